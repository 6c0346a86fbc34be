"""int8 MatMulInteger weights in the form this CPU's fastest correct onnxruntime kernel wants.

A dynamically quantised model multiplies uint8 activations by int8 weights (u8s8). On x86 CPUs with
VNNI (``avx512_vnni`` / ``avx_vnni``) onnxruntime's u8s8 kernel is exact and the fastest: the shipped
NLI model ran 75.0 pairs/s at 64 tokens against 45.6 with uint8 weights (u8u8 kernel), same accuracy
(docs/decisions/0014-int8-weight-form-per-cpu.md). On AVX2-only CPUs the u8s8 kernel adds pairs of products in
saturating int16
and the model answered "entailment" for everything. So the shipped files hold uint8 weights with zero
point +128 (correct everywhere), and on a CPU with VNNI they are shifted back to int8 in memory at load:
the integer products are the same either way.

``FACTCHECK_INT8_WEIGHTS`` = ``auto`` (default), ``signed`` or ``unsigned`` overrides the choice.
"""

from __future__ import annotations

from pathlib import Path

VNNI_FLAGS = frozenset({"avx512_vnni", "avx_vnni"})
CHOICES = ("auto", "signed", "unsigned")


def cpu_flags(cpuinfo: Path = Path("/proc/cpuinfo")) -> frozenset[str]:
    """The CPU feature flags Linux reports (empty elsewhere)."""
    try:
        text = cpuinfo.read_text()
    except OSError:
        return frozenset()
    for line in text.splitlines():
        if line.startswith("flags"):
            return frozenset(line.split(":", 1)[1].split())
    return frozenset()


def wants_signed_weights(choice: str = "auto", flags: frozenset[str] | None = None) -> bool:
    """True when int8 weights should run as int8 (u8s8 kernel): set so, or ``auto`` on a CPU with VNNI."""
    if choice not in CHOICES:
        raise ValueError(f"FACTCHECK_INT8_WEIGHTS must be one of {', '.join(CHOICES)}, not {choice!r}")
    if choice != "auto":
        return choice == "signed"
    return bool((cpu_flags() if flags is None else flags) & VNNI_FLAGS)


def shift_weights(model, signed: bool) -> int:
    """Rewrite the constant weights (and zero points) of every ``MatMulInteger`` as int8 (``signed``) or
    as uint8 with the zero point moved by +128. The integer products, hence the outputs, are unchanged.
    Returns the number of weights rewritten; ``model`` (an onnx ModelProto) is changed in place."""
    import numpy as np
    from onnx import numpy_helper

    source, target, offset = (np.uint8, np.int8, -128) if signed else (np.int8, np.uint8, 128)
    initializers = {i.name: i for i in model.graph.initializer}
    done: set[str] = set()
    for node in model.graph.node:
        if node.op_type != "MatMulInteger" or node.input[1] in done or node.input[1] not in initializers:
            continue
        weight = initializers[node.input[1]]
        zero_point = initializers.get(node.input[3]) if len(node.input) > 3 else None
        if numpy_helper.to_array(weight).dtype != source or zero_point is None:
            continue
        for tensor in (weight, zero_point):
            shifted = (numpy_helper.to_array(tensor).astype(np.int16) + offset).astype(target)
            tensor.CopyFrom(numpy_helper.from_array(shifted, tensor.name))
        done.add(node.input[1])
    return len(done)


def model_for_this_cpu(path: Path, choice: str = "auto") -> str | bytes:
    """What to give onnxruntime for ``path``: the file itself, or its bytes with int8 weights when this
    CPU runs them faster (see the module docstring)."""
    if not wants_signed_weights(choice):
        return str(path)
    import onnx

    model = onnx.load(str(path))
    if not shift_weights(model, signed=True):
        return str(path)
    return model.SerializeToString()
