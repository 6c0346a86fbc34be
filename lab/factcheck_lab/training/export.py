"""Export models to ONNX for serving (needs the ``train`` extra: torch, transformers, onnx).

- ``export_embedder``: a sentence-transformers MiniLM directory -> ONNX graph that returns
  mean-pooled, L2-normalised sentence vectors (pooling inside the graph, nothing to redo in Python).
- ``export_nli``: a sequence-classification checkpoint -> ONNX logits graph, quantised with one of
  the recipes in ``quantize.py``.
"""

from __future__ import annotations

import json
from pathlib import Path

import torch
from transformers import AutoModel, AutoModelForSequenceClassification, AutoTokenizer

from factcheck_lab.training.quantize import RECIPES, quantize_int8


class _MeanPooled(torch.nn.Module):
    def __init__(self, encoder: torch.nn.Module):
        super().__init__()
        self.encoder = encoder

    def forward(self, input_ids, attention_mask):
        hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
        return torch.nn.functional.normalize(pooled, p=2, dim=1)


def _copy_tokenizer(src: Path, out: Path) -> None:
    AutoTokenizer.from_pretrained(str(src)).save_pretrained(str(out))


def _onnx_export(module: torch.nn.Module, tokenizer, out_file: Path, output_name: str) -> None:
    sample = tokenizer(
        ["a premise sentence here", "another"], ["a hypothesis", "one more"], padding=True, return_tensors="pt"
    )
    inputs = (sample["input_ids"], sample["attention_mask"])
    torch.onnx.export(
        module,
        inputs,
        str(out_file),
        input_names=["input_ids", "attention_mask"],
        output_names=[output_name],
        opset_version=17,
        dynamo=False,
        dynamic_axes={
            "input_ids": {0: "batch", 1: "seq"},
            "attention_mask": {0: "batch", 1: "seq"},
            output_name: {0: "batch"},
        },
    )


def export_embedder(src: Path, out: Path, int8: bool = True) -> Path:
    """Export a sentence-transformers MiniLM directory to ``out/model.onnx``."""
    out.mkdir(parents=True, exist_ok=True)
    module = _MeanPooled(AutoModel.from_pretrained(str(src), attn_implementation="eager")).eval()
    tokenizer = AutoTokenizer.from_pretrained(str(src))
    fp32 = out / "model.fp32.onnx"
    _onnx_export(module, tokenizer, fp32, "sentence_embedding")
    if int8:
        quantize_int8(fp32, out / "model.onnx")
        fp32.unlink()
    else:
        fp32.replace(out / "model.onnx")
    _copy_tokenizer(src, out)
    (out / "model_info.json").write_text(
        json.dumps(
            {"name": "all-MiniLM-L6-v2" + ("-int8" if int8 else ""), "pooling": "mean", "normalized": True}, indent=2
        )
    )
    return out / "model.onnx"


def export_nli(
    checkpoint: Path, out: Path, name: str, version: str, quantization: str = "hybrid", keep_fp32: bool = False
) -> Path:
    """Export an NLI checkpoint to ``out/model.onnx`` plus tokenizer and config (with id2label).

    Args:
        quantization: "hybrid" (the shipped recipe: per-channel int8 + weight-only 8-bit FFN outputs
            of HYBRID_LAYERS, chosen for v2), "hybrid-all" (the same in all twelve layers: what v7
            needed, lab/benchmarks/quantization_agreement.py), "per-channel" (dynamic int8) or "none" (fp32).
    """
    out.mkdir(parents=True, exist_ok=True)
    # eager attention exports as plain MatMul/Softmax, which onnxruntime fuses; the SDPA path does not
    model = AutoModelForSequenceClassification.from_pretrained(str(checkpoint), attn_implementation="eager").eval()
    model.config.return_dict = False
    tokenizer = AutoTokenizer.from_pretrained(str(checkpoint))

    class _Logits(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.model = model

        def forward(self, input_ids, attention_mask):
            return self.model(input_ids=input_ids, attention_mask=attention_mask)[0]

    fp32 = out / "model.fp32.onnx"
    _onnx_export(_Logits().eval(), tokenizer, fp32, "logits")
    if quantization != "none":
        RECIPES[quantization](fp32, out / "model.onnx")
        if not keep_fp32:
            fp32.unlink()
    else:
        fp32.replace(out / "model.onnx")
    _copy_tokenizer(checkpoint, out)
    config = json.loads((checkpoint / "config.json").read_text())
    config.update(factcheck_model_name=name, factcheck_model_version=version)
    (out / "config.json").write_text(json.dumps(config, indent=2))
    return out / "model.onnx"
