"""Hugging Face checkpoints: loading through torch, training's layer cut, export (need the lab's train extra)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from factcheck.inference.nli import COLUMNS, NLIModel
from factcheck.records import Label
from factcheck.settings import MODELS_DIR
from factcheck_lab.checkpoints import load_nli

TOKENIZER_FILES = ("tokenizer.json", "tokenizer_config.json")


def _labelled(id2label: dict[int, str]) -> dict:
    """A sequence-classification config's label arguments for ``id2label``."""
    return {"num_labels": len(id2label), "id2label": id2label, "label2id": {v: k for k, v in id2label.items()}}


def _saved(model, directory: Path, tokenizer_from: Path = MODELS_DIR / "embed") -> Path:
    """``model`` saved as a Hugging Face checkpoint in ``directory``, with the tokenizer files of ``tokenizer_from``."""
    model.save_pretrained(directory)
    for name in TOKENIZER_FILES:
        shutil.copy(tokenizer_from / name, directory / name)
    return directory


def test_hugging_face_checkpoint_with_other_label_order_loads_through_torch(tmp_path):
    torch = pytest.importorskip(
        "torch", reason="torch is only in the 'train' extra; the ONNX path is tested in tests/test_model_loading.py"
    )
    from transformers import BertConfig, BertForSequenceClassification

    id2label = {0: "contradiction", 1: "entailment", 2: "neutral"}
    config = BertConfig(
        vocab_size=30522,
        hidden_size=8,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=16,
        **_labelled(id2label),
    )
    torch.manual_seed(0)
    model = BertForSequenceClassification(config)
    with torch.no_grad():
        model.classifier.weight.zero_()
        model.classifier.bias.copy_(torch.tensor([0.0, 6.0, 0.0]))  # always "entailment" (index 1)
    nli = load_nli(_saved(model, tmp_path / "hf"))
    assert nli.info["runtime"] == "torch"
    assert nli.predict([("a", "b")]).argmax() == COLUMNS.index(Label.SUPPORT)


def test_training_keeps_only_the_first_layers_when_asked(tmp_path):
    torch = pytest.importorskip("torch", reason="torch is only in the 'train' extra (factcheck-lab train-nli --layers)")
    from transformers import BertConfig, BertModel

    from factcheck_lab.training.train_nli import _load_model

    torch.manual_seed(0)
    base = BertModel(
        BertConfig(vocab_size=30522, hidden_size=8, num_hidden_layers=4, num_attention_heads=2, intermediate_size=16)
    )
    directory = _saved(base, tmp_path / "base")
    model, _ = _load_model(str(directory), layers=2)
    assert len(model.base_model.encoder.layer) == model.config.num_hidden_layers == 2
    kept = model.base_model.encoder.layer[1].attention.self.query.weight
    assert torch.equal(kept, base.encoder.layer[1].attention.self.query.weight)
    with pytest.raises(ValueError, match="4 layers"):
        _load_model(str(directory), layers=5)


@pytest.mark.parametrize(("quantization", "weight_only_layers"), [("hybrid", 6), ("hybrid-all", 12)])
def test_export_quantises_the_ffn_outputs_of_the_layers_its_recipe_names(tmp_path, quantization, weight_only_layers):
    torch = pytest.importorskip("torch", reason="torch is only in the 'train' extra (factcheck-lab export-nli)")
    import onnx
    from transformers import MPNetConfig, MPNetForSequenceClassification

    from factcheck_lab.training.export import export_nli

    id2label = {0: "entailment", 1: "neutral", 2: "contradiction"}
    config = MPNetConfig(
        vocab_size=30527,
        hidden_size=128,
        num_hidden_layers=12,
        num_attention_heads=2,
        intermediate_size=128,
        **_labelled(id2label),
    )
    torch.manual_seed(0)
    checkpoint = _saved(MPNetForSequenceClassification(config), tmp_path / "checkpoint", MODELS_DIR / "nli")
    out = tmp_path / "export"
    export_nli(checkpoint, out, "tiny", "1", quantization=quantization)
    nodes = onnx.load(str(out / "model.onnx")).graph.node
    assert sum(n.op_type == "MatMulNBits" for n in nodes) == weight_only_layers
    assert NLIModel(out).predict([("a premise", "a claim")]).shape == (1, 3)
