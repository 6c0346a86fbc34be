"""Quantisation recipes of factcheck-lab export-nli."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

onnx = pytest.importorskip("onnx", reason="the 'onnx' package (test extra) builds the tiny graph")
ort = pytest.importorskip("onnxruntime")

from onnx import TensorProto, helper, numpy_helper  # noqa: E402  (after the importorskip)

from factcheck_lab.training.quantize import quantize_int8, quantize_smooth, smooth_ffn_outputs  # noqa: E402
from tests.int8_graphs import saturating_case  # noqa: E402

HIDDEN, INNER = 16, 64


def _ffn_block(path: Path, rng: np.random.Generator) -> None:
    w1 = rng.normal(0, 0.5, (HIDDEN, INNER)).astype(np.float32)
    w1[:, 3] *= 40  # an outlier channel after GELU, as in mpnet
    w2 = rng.normal(0, 0.2, (INNER, HIDDEN)).astype(np.float32)
    prefix = "/model/mpnet/encoder/layer.0"
    nodes = [
        helper.make_node("MatMul", ["input_ids_f", "w1"], ["h"], name=f"{prefix}/intermediate/dense/MatMul"),
        helper.make_node("Constant", [], ["sqrt2"], value=numpy_helper.from_array(np.array(1.4142135, np.float32))),
        helper.make_node("Div", ["h", "sqrt2"], ["h_div"]),
        helper.make_node("Erf", ["h_div"], ["h_erf"]),
        helper.make_node("Constant", [], ["one"], value=numpy_helper.from_array(np.array(1.0, np.float32))),
        helper.make_node("Add", ["h_erf", "one"], ["h_add"]),
        helper.make_node("Mul", ["h", "h_add"], ["h_mul"]),
        helper.make_node(
            "Constant",
            [],
            ["half"],
            value=numpy_helper.from_array(np.array(0.5, np.float32)),
            name=f"{prefix}/intermediate/intermediate_act_fn/Constant_2",
        ),
        helper.make_node("Mul", ["h_mul", "half"], ["gelu"], name=f"{prefix}/intermediate/intermediate_act_fn/Mul_1"),
        helper.make_node("MatMul", ["gelu", "w2"], ["logits"], name=f"{prefix}/output/dense/MatMul"),
    ]
    graph = helper.make_graph(
        nodes,
        "ffn",
        [
            helper.make_tensor_value_info("input_ids_f", TensorProto.FLOAT, ["batch", "seq", HIDDEN]),
            helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["batch", "seq"]),
        ],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch", "seq", HIDDEN])],
        initializer=[numpy_helper.from_array(w1, "w1"), numpy_helper.from_array(w2, "w2")],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.save(model, str(path))


def _run(path: Path, x: np.ndarray) -> np.ndarray:
    mask = np.ones(x.shape[:2], dtype=np.int64)
    return ort.InferenceSession(str(path), providers=["CPUExecutionProvider"]).run(
        None, {"input_ids_f": x, "attention_mask": mask}
    )[0]


def test_smoothing_is_exact_in_fp32_and_helps_int8(tmp_path):
    rng = np.random.default_rng(0)
    fp32 = tmp_path / "ffn.onnx"
    _ffn_block(fp32, rng)
    x = rng.normal(0, 1, (4, 8, HIDDEN)).astype(np.float32)
    mask = np.ones((2, 8), dtype=np.int64)
    mask[1, 6:] = 0  # padding rows are left out of the activation ranges
    batches = [{"input_ids_f": x[:2], "attention_mask": mask}, {"input_ids_f": x[2:], "attention_mask": mask}]
    smoothed = tmp_path / "smoothed.onnx"
    smooth_ffn_outputs(fp32, smoothed, batches)
    reference = _run(fp32, x)
    assert np.allclose(_run(smoothed, x), reference, atol=1e-4)
    assert not any(
        n.op_type == "Constant" and n.name.endswith("Constant_2") for n in onnx.load(str(smoothed)).graph.node
    )

    plain, smooth = tmp_path / "plain.onnx", tmp_path / "smooth.onnx"
    quantize_int8(fp32, plain)
    quantize_smooth(fp32, smooth, batches)
    plain_error = np.abs(_run(plain, x) - reference).mean()
    smooth_error = np.abs(_run(smooth, x) - reference).mean()
    assert smooth_error < plain_error


def test_unsigned_weights_give_the_exact_integer_products(tmp_path):
    from factcheck_lab.training.quantize import unsigned_weights

    path, weight, a = saturating_case(tmp_path, 1)
    model = onnx.load(str(path))
    assert unsigned_weights(model) == 1
    assert numpy_helper.to_array(model.graph.initializer[0]).dtype == np.uint8
    onnx.save(model, str(path))
    y = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"]).run(None, {"a": a})[0]
    np.testing.assert_array_equal(y, a.astype(np.int64) @ weight.astype(np.int64))
