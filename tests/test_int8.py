"""int8 weights in the form this CPU runs (inference/int8.py), on tiny graphs built here and the shipped models."""

from __future__ import annotations

import numpy as np
import pytest

onnx = pytest.importorskip("onnx", reason="the 'onnx' package (test extra) builds the tiny graph")
ort = pytest.importorskip("onnxruntime")

from onnx import TensorProto, numpy_helper  # noqa: E402  (after the importorskip)

from tests.int8_graphs import saturating_case  # noqa: E402


@pytest.mark.parametrize("model", ["nli", "embed"])
def test_shipped_models_have_no_signed_matmul_integer_weights(model):
    from factcheck.settings import MODELS_DIR

    graph = onnx.load(str(MODELS_DIR / model / "model.onnx")).graph
    weights = {i.name: i for i in graph.initializer}
    signed = [
        n.name
        for n in graph.node
        if n.op_type == "MatMulInteger" and n.input[1] in weights and weights[n.input[1]].data_type == TensorProto.INT8
    ]
    assert signed == [], "int8 MatMulInteger weights saturate on AVX2-only CPUs: see quantize.unsigned_weights"


def test_weights_chosen_for_this_cpu_give_the_exact_integer_products(tmp_path):
    # whichever form this CPU gets (int8 with VNNI, uint8 without), the products must be exact
    from factcheck.inference.int8 import model_for_this_cpu, shift_weights, wants_signed_weights

    path, weight, a = saturating_case(tmp_path, 2)
    model = onnx.load(str(path))
    assert shift_weights(model, signed=False) == 1
    onnx.save(model, str(path))
    source = model_for_this_cpu(path)
    assert isinstance(source, bytes) == wants_signed_weights()
    if isinstance(source, bytes):  # shifted back: the original int8 weights
        restored = onnx.load_from_string(source)
        np.testing.assert_array_equal(numpy_helper.to_array(restored.graph.initializer[0]), weight)
    y = ort.InferenceSession(source, providers=["CPUExecutionProvider"]).run(None, {"a": a})[0]
    np.testing.assert_array_equal(y, a.astype(np.int64) @ weight.astype(np.int64))


def test_int8_weight_form_follows_the_cpu_flags_unless_set(tmp_path, monkeypatch):
    from factcheck.inference.int8 import cpu_flags, wants_signed_weights
    from factcheck.settings import Settings

    cpuinfo = tmp_path / "cpuinfo"
    cpuinfo.write_text("processor\t: 0\nflags\t\t: fpu sse2 avx2 avx512f avx512_vnni\n")
    assert {"avx2", "avx512_vnni"} <= cpu_flags(cpuinfo)
    assert cpu_flags(tmp_path / "missing") == frozenset()
    assert wants_signed_weights("auto", frozenset({"avx2", "avx512_vnni"}))
    assert wants_signed_weights("auto", frozenset({"avx2", "avx_vnni"}))
    assert not wants_signed_weights("auto", frozenset({"avx2", "avx512f", "avx512bw"}))  # no VNNI: saturates too
    assert not wants_signed_weights("unsigned", frozenset({"avx512_vnni"}))
    assert wants_signed_weights("signed", frozenset({"avx2"}))
    monkeypatch.setenv("FACTCHECK_INT8_WEIGHTS", "fast")
    with pytest.raises(ValueError, match="FACTCHECK_INT8_WEIGHTS"):
        Settings.from_env()
