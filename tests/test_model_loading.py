"""NLIModel loading: label order from id2label, refusal of 2-label models, clear errors for
missing or corrupt models. The tiny models are built here, locally."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from factcheck.inference.nli import COLUMNS, NLIModel
from factcheck.inference.runtime import ModelError
from factcheck.records import Label
from factcheck.settings import MODELS_DIR

TOKENIZER_FILES = ("tokenizer.json", "tokenizer_config.json")


def _constant_logits_onnx(path: Path, logits: list[float]) -> None:
    """An ONNX graph with the serving inputs whose output is ``logits`` for every row."""
    onnx = pytest.importorskip("onnx", reason="the 'onnx' package (test extra) builds the tiny models")
    from onnx import TensorProto, helper

    inputs = [
        helper.make_tensor_value_info(n, TensorProto.INT64, ["batch", "seq"]) for n in ("input_ids", "attention_mask")
    ]
    output = helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch", len(logits)])
    nodes = [
        helper.make_node("ReduceSum", ["attention_mask"], ["rows"], keepdims=1),  # (batch, 1)
        helper.make_node("Cast", ["rows"], ["rows_f"], to=TensorProto.FLOAT),
        helper.make_node("Mul", ["rows_f", "zero"], ["zeros"]),
        helper.make_node("Add", ["zeros", "bias"], ["logits"]),  # broadcast to (batch, n)
    ]
    inits = [
        helper.make_tensor("zero", TensorProto.FLOAT, [1], [0.0]),
        helper.make_tensor("bias", TensorProto.FLOAT, [1, len(logits)], logits),
    ]
    graph = helper.make_graph(nodes, "constant_logits", inputs, [output], initializer=inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.save(model, str(path))


def _model_dir(tmp_path: Path, id2label: dict, logits: list[float]) -> Path:
    directory = tmp_path / "nli"
    directory.mkdir()
    for name in TOKENIZER_FILES:
        shutil.copy(MODELS_DIR / "embed" / name, directory / name)
    (directory / "config.json").write_text(json.dumps({"id2label": id2label}))
    _constant_logits_onnx(directory / "model.onnx", logits)
    return directory


@pytest.mark.parametrize(
    "id2label",
    [
        {"0": "entailment", "1": "neutral", "2": "contradiction"},
        {"0": "CONTRADICTION", "1": "ENTAILMENT", "2": "NEUTRAL"},
        {"0": "neutral", "1": "contradiction", "2": "entailment"},
    ],
)
def test_probabilities_follow_id2label_whatever_its_order(tmp_path, id2label):
    # the model puts a large logit on whichever output is named entailment
    entail_index = next(int(k) for k, v in id2label.items() if v.lower() == "entailment")
    logits = [0.0, 0.0, 0.0]
    logits[entail_index] = 5.0
    model = NLIModel(_model_dir(tmp_path, id2label, logits))
    probs = model.predict([("A man sleeps.", "Someone sleeps."), ("x", "y")])
    assert probs.shape == (2, 3)
    assert np.allclose(probs.sum(axis=1), 1.0, atol=1e-5)
    assert (probs.argmax(axis=1) == COLUMNS.index(Label.SUPPORT)).all()
    assert probs[0, 0] > 0.97


def test_two_label_models_are_refused_clearly(tmp_path):
    directory = _model_dir(tmp_path, {"0": "not_entailment", "1": "entailment"}, [0.0, 1.0])
    with pytest.raises(ModelError, match="2-label models are not supported"):
        NLIModel(directory)


def test_missing_model_directory_is_a_clear_error(tmp_path):
    with pytest.raises(ModelError, match="NLI model directory not found"):
        NLIModel(tmp_path / "nowhere")


def test_corrupt_onnx_file_is_a_clear_error(tmp_path):
    directory = _model_dir(tmp_path, {"0": "entailment", "1": "neutral", "2": "contradiction"}, [1.0, 0.0, 0.0])
    (directory / "model.onnx").write_bytes(b"this is not an onnx model")
    with pytest.raises(ModelError, match="cannot load ONNX model"):
        NLIModel(directory)


def test_corrupt_config_is_a_clear_error(tmp_path):
    directory = _model_dir(tmp_path, {"0": "entailment", "1": "neutral", "2": "contradiction"}, [1.0, 0.0, 0.0])
    (directory / "config.json").write_text("{not json")
    with pytest.raises(ModelError, match="not valid JSON"):
        NLIModel(directory)


def test_loading_the_models_holds_numpys_blas_to_the_configured_threads():
    """Idle BLAS threads spin against onnxruntime's: the models load with FACTCHECK_BLAS_THREADS (1)."""
    from threadpoolctl import threadpool_info

    from factcheck.compose import load_models
    from factcheck.inference.runtime import limit_blas
    from factcheck.settings import Settings

    def blas_threads() -> set[int]:
        return {pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"}

    limit_blas(2)
    assert blas_threads() == {2}
    load_models(Settings(screen_model="", ner_model=""))
    assert Settings().blas_threads == 1 and blas_threads() == {1}
