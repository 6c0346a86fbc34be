"""Post-training quantisation of exported ONNX encoders (onnx + onnxruntime only; no torch).

Recipes for the NLI cross-encoder (measured in models/nli/MODEL_CARD.md):
- ``quantize_int8``: dynamic int8, per-channel weights, activations quantised per tensor at run time.
- ``quantize_hybrid`` (shipped): as above, but the FFN-output MatMuls of chosen layers weight-only
  8-bit (MatMulNBits): within 1 point of fp32, slower per layer kept.
- ``quantize_smooth``: SmoothQuant on the FFN-output MatMuls, then dynamic per-channel int8 (measured
  and rejected for mpnet: alpha 0.5 lost 7 points on the held-out slice).
"""

from __future__ import annotations

import re
from functools import partial
from pathlib import Path

from factcheck.inference.int8 import shift_weights


def quantize_int8(
    fp32_file: Path, out_file: Path, exclude_nodes: list[str] | None = None, per_channel: bool = True
) -> None:
    """Dynamic int8 quantisation (weights int8, activations quantised at run time)."""
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(
        str(fp32_file),
        str(out_file),
        weight_type=QuantType.QInt8,
        per_channel=per_channel,
        nodes_to_exclude=exclude_nodes or [],
    )
    model = onnx.load(str(out_file))
    unsigned_weights(model)
    onnx.save(model, str(out_file))


def unsigned_weights(model) -> int:
    """Rewrite every int8 weight of a ``MatMulInteger`` as uint8 with its zero point moved by +128.

    The integer products are the same, so the result is unchanged, but onnxruntime then runs its u8u8
    kernel. Its u8s8 kernel on x86 CPUs without VNNI (AVX2 only, e.g. many AMD EPYC) adds pairs of
    u8 x s8 products in saturating int16 and overflows: the shipped NLI model answered "entailment"
    for every MNLI pair there (0.41 accuracy on 200 pairs; 0.785 after this rewrite). Files are shipped
    this way; ``factcheck.inference.int8`` shifts them back at load on CPUs with VNNI. Returns the
    number of weights rewritten; ``model`` (an onnx ModelProto) is changed in place."""
    return shift_weights(model, signed=False)


def ffn_output_matmuls(onnx_file: Path) -> list[str]:
    """Names of the MatMuls that project each layer's FFN back to the hidden size (their inputs are
    GELU outputs with outliers: the nodes per-tensor activation quantisation hurts most)."""
    import onnx

    graph = onnx.load(str(onnx_file), load_external_data=False).graph
    return [n.name for n in graph.node if re.search(r"layer\.\d+/output/dense/MatMul", n.name)]


def _layer(node_name: str) -> int:
    return int(re.search(r"layer\.(\d+)/", node_name).group(1))


# FFN-output MatMuls kept weight-only 8-bit in the shipped v2 model: chosen on the held-out slice of
# nli-train (fp32 0.8445; per-channel everywhere 0.827; these six layers 0.837 at 61.6 pairs/s; all
# twelve 0.8375 at 47.5 pairs/s; layers 0-3, 7, 10: 0.835). See models/nli/MODEL_CARD.md.
HYBRID_LAYERS = frozenset({4, 5, 7, 8, 9, 11})


def quantize_hybrid(fp32_file: Path, out_file: Path, layers: frozenset[int] | None = HYBRID_LAYERS) -> None:
    """Dynamic int8 (per-channel) everywhere but the FFN-output MatMuls, which get weight-only 8-bit
    (MatMulNBits, blocks of 128, int8 compute): int8 size, accuracy within 0.5 point of fp32 on the
    held-out slice (per-channel int8 alone lost 1.7 points; see models/nli/MODEL_CARD.md)."""
    import onnx
    from onnxruntime.quantization.matmul_nbits_quantizer import DefaultWeightOnlyQuantConfig, MatMulNBitsQuantizer

    ffn = [name for name in ffn_output_matmuls(fp32_file) if layers is None or _layer(name) in layers]
    partial = out_file.with_suffix(".partial.onnx")
    quantize_int8(fp32_file, partial, exclude_nodes=ffn)
    config = DefaultWeightOnlyQuantConfig(block_size=128, is_symmetric=True, accuracy_level=4, bits=8)
    quantizer = MatMulNBitsQuantizer(
        onnx.load(str(partial)),
        bits=8,
        block_size=128,
        is_symmetric=True,
        accuracy_level=4,
        nodes_to_include=ffn,
        algo_config=config,
    )
    quantizer.process()
    quantizer.model.save_model_to_file(str(out_file), use_external_data_format=False)
    partial.unlink()


# The recipes by the names export-nli gives them; lab/benchmarks/quantization_agreement.py tells which one
# a new model needs (v2 to v5 shipped "hybrid"; v7 needed "hybrid-all":
# docs/decisions/0094-nli-model-v7-a-third-pass-over-v3.md).
RECIPES = {"hybrid": quantize_hybrid, "hybrid-all": partial(quantize_hybrid, layers=None), "per-channel": quantize_int8}


def _ffn_output_inputs(graph) -> list[tuple[object, object]]:
    """(GELU's final ``Mul`` by 0.5, FFN-output MatMul) per layer: the Mul's output feeds the MatMul."""
    producers = {out: node for node in graph.node for out in node.output}
    pairs = []
    for matmul in (n for n in graph.node if re.search(r"layer\.\d+/output/dense/MatMul", n.name)):
        gelu_mul = producers[matmul.input[0]]
        if gelu_mul.op_type != "Mul":
            raise ValueError(f"unexpected graph: {matmul.name} is fed by {gelu_mul.op_type}")
        pairs.append((gelu_mul, matmul))
    return pairs


def _valid_rows(feed: dict, x):
    """The (token, channel) rows of activation ``x`` that are real tokens, not padding."""
    return x[feed["attention_mask"].astype(bool)]


def ffn_activation_ranges(fp32_file: Path, batches: list[dict]) -> list:
    """Per-channel max |x| of every FFN-output MatMul's input over calibration batches (fp32 run)."""
    import numpy as np
    import onnx
    import onnxruntime as ort

    model = onnx.load(str(fp32_file))
    names = [gelu_mul.output[0] for gelu_mul, _ in _ffn_output_inputs(model.graph)]
    for name in names:
        model.graph.output.append(onnx.helper.make_tensor_value_info(name, onnx.TensorProto.FLOAT, None))
    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    ranges = [None] * len(names)
    for feed in batches:
        outputs = session.run(names, feed)
        for i, x in enumerate(outputs):
            peak = np.abs(_valid_rows(feed, x)).max(axis=0)
            ranges[i] = peak if ranges[i] is None else np.maximum(ranges[i], peak)
    return ranges


def smooth_ffn_outputs(fp32_file: Path, out_file: Path, batches: list[dict], alpha: float = 0.5) -> None:
    """SmoothQuant (Xiao et al. 2023) for the FFN-output MatMuls: divide each input channel by
    s = max|x|^alpha / max|w|^(1-alpha) and multiply the weight's row by s, so per-tensor activation
    quantisation no longer meets GELU's outlier channels. Exact in fp32; free at run time (1/s is
    folded into GELU's constant 0.5 multiplier)."""
    import numpy as np
    import onnx
    from onnx import numpy_helper

    ranges = ffn_activation_ranges(fp32_file, batches)
    model = onnx.load(str(fp32_file))
    inits = {init.name: init for init in model.graph.initializer}
    constants = {n.output[0]: n for n in model.graph.node if n.op_type == "Constant"}
    for (gelu_mul, matmul), x_peak in zip(_ffn_output_inputs(model.graph), ranges, strict=True):
        weight = numpy_helper.to_array(inits[matmul.input[1]])
        half = float(numpy_helper.to_array(constants[gelu_mul.input[1]].attribute[0].t))
        scale = np.clip(x_peak, 1e-5, None) ** alpha / np.clip(np.abs(weight).max(axis=1), 1e-5, None) ** (1 - alpha)
        inits[matmul.input[1]].CopyFrom(
            numpy_helper.from_array((weight * scale[:, None]).astype(np.float32), matmul.input[1])
        )
        name = f"{gelu_mul.name}/smooth_scale"
        model.graph.initializer.append(numpy_helper.from_array((half / scale).astype(np.float32), name))
        gelu_mul.input[1] = name
    used = {name for node in model.graph.node for name in node.input}
    for constant in [c for c in constants.values() if c.output[0] not in used]:
        model.graph.node.remove(constant)
    onnx.save(model, str(out_file))


def quantize_smooth(fp32_file: Path, out_file: Path, batches: list[dict], alpha: float = 0.5) -> None:
    """SmoothQuant on the FFN-output MatMuls, then dynamic per-channel int8 everywhere."""
    smoothed = out_file.with_suffix(".smooth.onnx")
    smooth_ffn_outputs(fp32_file, smoothed, batches, alpha)
    quantize_int8(smoothed, out_file)
    smoothed.unlink()


def calibration_batches(
    tokenizer, pairs: list[tuple[str, str]], batch_size: int = 32, max_len: int = 256
) -> list[dict]:
    import numpy as np

    batches = []
    for start in range(0, len(pairs), batch_size):
        chunk = pairs[start : start + batch_size]
        enc = tokenizer(
            [p for p, _ in chunk],
            [h for _, h in chunk],
            truncation=True,
            max_length=max_len,
            padding=True,
            return_tensors="np",
        )
        batches.append(
            {"input_ids": enc["input_ids"].astype(np.int64), "attention_mask": enc["attention_mask"].astype(np.int64)}
        )
    return batches
