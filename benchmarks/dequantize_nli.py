"""Rebuild a torch (Hugging Face) checkpoint of the shipped NLI model from its int8 ONNX file.

The fp32 training checkpoint is not shipped (438 MB); the speed benchmarks still need the model in
torch fp32 (the naive pipeline) and in ONNX fp32. Every int8 / 8-bit weight of ``models/nli/model.onnx``
is dequantised (value = (q - zero point) * scale) and put back under its torch parameter name. The
result is the shipped model with fp32 arithmetic: its weights carry the 8-bit rounding, so its
accuracy is close to, not equal to, the original fp32 model's; its speed is exactly that of fp32.

Usage: python benchmarks/dequantize_nli.py OUT_DIR [--model models/nli] [--onnx]
(--onnx also exports OUT_DIR/onnx/ as an fp32 ONNX model with `factcheck export-nli --quantization none`'s
code path). Needs the train extra (torch).
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TOKENIZER_FILES = ("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "vocab.txt")


def _array(initializers: dict, name: str) -> np.ndarray:
    from onnx import numpy_helper

    return numpy_helper.to_array(initializers[name])


def _param_name(node_name: str) -> str:
    """'/model/mpnet/encoder/layer.0/attention/attn/q/MatMul_quant' -> 'mpnet.encoder.layer.0.attention.attn.q.weight'."""
    path = re.sub(r"/(Gemm_)?MatMul(_quant|_Q8)$", "", node_name).removeprefix("/model/")
    return path.replace("/", ".") + ".weight"


def state_dict_from_onnx(onnx_file: Path) -> dict[str, np.ndarray]:
    import onnx

    graph = onnx.load(str(onnx_file)).graph
    inits = {i.name: i for i in graph.initializer}
    state: dict[str, np.ndarray] = {}
    for name in inits:  # biases, LayerNorms: stored as they were
        if name.startswith("model.") and not re.search(r"_(quantized|scale|zero_point)$", name):
            state[name.removeprefix("model.")] = _array(inits, name)
    for name in {n[: -len("_quantized")] for n in inits if n.startswith("model.") and n.endswith("_quantized")}:
        if name.startswith("model.classifier"):
            continue  # matrices of MatMulInteger nodes: handled below
        q = _array(inits, name + "_quantized").astype(np.float32)  # embeddings (Gather): per-tensor
        state[name.removeprefix("model.")] = (q - _array(inits, name + "_zero_point").astype(np.float32)) \
            * _array(inits, name + "_scale")
    for node in graph.node:
        if node.op_type == "MatMulInteger":
            q, zp = _array(inits, node.input[1]).astype(np.float32), _array(inits, node.input[3]).astype(np.float32)
            scale = _array(inits, node.input[1].removesuffix("_quantized") + "_scale")
            state[_param_name(node.name)] = ((q - zp) * scale).T  # ONNX (in, out) -> torch (out, in)
        elif node.op_type == "MatMulNBits":
            q, scales = _array(inits, node.input[1]).astype(np.float32), _array(inits, node.input[2])
            weight = (q - 128.0) * scales[:, :, None]  # (out, blocks, block): symmetric, zero point 128
            state[_param_name(node.name)] = weight.reshape(weight.shape[0], -1)
    return state


def rebuild(model_dir: Path, out: Path) -> Path:
    import torch
    from transformers import AutoConfig, AutoModelForSequenceClassification

    config = AutoConfig.from_pretrained(str(model_dir))
    model = AutoModelForSequenceClassification.from_config(config)
    state = {k: torch.from_numpy(np.ascontiguousarray(v)) for k, v in state_dict_from_onnx(model_dir / "model.onnx").items()}
    expected = model.state_dict()
    missing = [k for k in expected if k not in state and "position_ids" not in k]
    if missing:
        raise SystemExit(f"weights not found in the ONNX file: {missing[:5]} ...")
    for key, value in state.items():
        if key in expected and tuple(expected[key].shape) != tuple(value.shape):
            raise SystemExit(f"shape mismatch for {key}: {tuple(value.shape)} vs {tuple(expected[key].shape)}")
    model.load_state_dict({k: v for k, v in state.items() if k in expected}, strict=False)
    out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(str(out))
    for name in TOKENIZER_FILES:
        if (model_dir / name).is_file():
            shutil.copy(model_dir / name, out / name)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--model", type=Path, default=ROOT / "models/nli")
    parser.add_argument("--onnx", action="store_true", help="also export OUT/onnx as fp32 ONNX")
    args = parser.parse_args()
    rebuild(args.model, args.out)
    print(f"torch checkpoint: {args.out}")
    if args.onnx:
        from factcheck.training.export import export_nli

        export_nli(args.out, args.out / "onnx", "factcheck-nli-mpnet-base-dequantized", "2-fp32", quantization="none")
        print(f"fp32 ONNX: {args.out / 'onnx'}")


if __name__ == "__main__":
    main()
