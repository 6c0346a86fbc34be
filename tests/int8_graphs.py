"""Tiny ONNX graphs with int8 MatMulInteger weights, built for the int8 tests (serving and lab)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def matmul_integer(path: Path, weight: np.ndarray) -> None:
    nodes = [helper.make_node("MatMulInteger", ["a", "w", "a_zp", "w_zp"], ["y"])]
    graph = helper.make_graph(
        nodes,
        "mmi",
        [helper.make_tensor_value_info("a", TensorProto.UINT8, ["m", weight.shape[0]])],
        [helper.make_tensor_value_info("y", TensorProto.INT32, ["m", weight.shape[1]])],
        initializer=[
            numpy_helper.from_array(weight, "w"),
            numpy_helper.from_array(np.uint8(0), "a_zp"),
            numpy_helper.from_array(np.zeros(weight.shape[1], np.int8), "w_zp"),
        ],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.save(model, str(path))


def saturating_case(tmp_path, seed: int):
    """Large activations times large int8 weights: the sums a u8s8 kernel without VNNI saturates."""
    rng = np.random.default_rng(seed)
    weight = rng.choice(np.array([-128, -127, 120, 127], dtype=np.int8), size=(64, 8))
    a = rng.integers(200, 256, size=(5, 64)).astype(np.uint8)
    path = tmp_path / "mmi.onnx"
    matmul_integer(path, weight)
    return path, weight, a
