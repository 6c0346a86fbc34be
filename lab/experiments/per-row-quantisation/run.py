"""Per-row activation quantisation for the NLI model: is a pair's answer the same in any batch, and
does batching then pay? (NOTE.md; needs ../shared for the MNLI pairs.)

    python lab/experiments/per-row-quantisation/run.py [--pairs 2000] > result.json
"""

from __future__ import annotations

import argparse
import json
import sys
import time

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from factcheck.inference import int8
from factcheck.inference.nli import NLIModel
from factcheck.inference.runtime import ALONE, RuntimeSettings
from factcheck.settings import PROJECT_ROOT, Settings

FUSION = "MatMulIntegerToFloatFusion"  # assumes one activation scale per call: wrong with a scale per row


def quantise_per_row(model) -> int:
    """Rewrite every DynamicQuantizeLinear as symmetric quantisation of each row along the last axis:
    scale = max |x| / 127 per row, uint8 ``round(x / scale) + 128``, zero point 128."""
    graph = model.graph
    nodes, constants, rewritten = [], [], 0
    for node in graph.node:
        if node.op_type != "DynamicQuantizeLinear":
            nodes.append(node)
            continue
        x, (quantised, scale, zero_point), p = node.input[0], node.output, f"row/{rewritten}"
        nodes += [
            helper.make_node("Abs", [x], [f"{p}/abs"]),
            helper.make_node("ReduceMax", [f"{p}/abs"], [f"{p}/max"], axes=[-1], keepdims=1),
            helper.make_node("Max", [f"{p}/max", "row/tiny"], [f"{p}/range"]),
            helper.make_node("Div", [f"{p}/range", "row/127"], [scale]),
            helper.make_node("Div", [x, scale], [f"{p}/scaled"]),
            helper.make_node("Round", [f"{p}/scaled"], [f"{p}/rounded"]),
            helper.make_node("Add", [f"{p}/rounded", "row/128"], [f"{p}/shifted"]),
            helper.make_node("Clip", [f"{p}/shifted", "row/0", "row/255"], [f"{p}/clipped"]),
            helper.make_node("Cast", [f"{p}/clipped"], [quantised], to=TensorProto.UINT8),
        ]
        constants.append(numpy_helper.from_array(np.array(128, np.uint8), zero_point))
        rewritten += 1
    values = {"tiny": 1e-12, "127": 127.0, "128": 128.0, "0": 0.0, "255": 255.0}
    constants += [numpy_helper.from_array(np.array(v, np.float32), f"row/{k}") for k, v in values.items()]
    del graph.node[:]
    graph.node.extend(nodes)
    graph.initializer.extend(constants)
    return rewritten


class PerRow:
    """The service's NLIModel with its graph rewritten per row (the fusion above left out)."""

    def __init__(self, directory: str, runtime: RuntimeSettings):
        import onnxruntime as ort

        self.model = NLIModel(directory, runtime)
        graph = onnx.load(str(self.model.directory / "model.onnx"))
        quantise_per_row(graph)
        int8.shift_weights(graph, signed=int8.wants_signed_weights())
        options = ort.SessionOptions()
        options.intra_op_num_threads = runtime.thread_count
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self.model.backend.session = ort.InferenceSession(
            graph.SerializeToString(), options, providers=["CPUExecutionProvider"], disabled_optimizers=[FUSION]
        )


def _pad_to(multiple: int | None, model: NLIModel) -> None:
    """Pad every call's inputs to a multiple of ``multiple`` tokens (None: to the longest in the call)."""
    pad = type(model.tokenizer).pad.__get__(model.tokenizer)  # the tokenizer's own, not an earlier wrapper
    model.tokenizer.pad = lambda rows, **kw: pad(rows, **{**kw, "pad_to_multiple_of": multiple})


def _speed(model: NLIModel, pairs: list[tuple[str, str]]) -> dict:
    checks = [pairs[i : i + 8] for i in range(0, 400, 8)]  # a check's eight pairs
    out = {}
    for name, size in (("alone, two lanes", ALONE), ("batched", 8)):
        model.predict(checks[0], batch_size=size)
        started = time.perf_counter()
        for check in checks:
            model.predict(check, batch_size=size)
        out[f"8-pair check, {name} (ms)"] = round((time.perf_counter() - started) / len(checks) * 1000, 1)
    started = time.perf_counter()
    model.predict(pairs[:400], batch_size=32)
    out["bulk, token batches (pairs/s)"] = round(400 / (time.perf_counter() - started), 1)
    return out


def _invariance(model: NLIModel, pairs: list[tuple[str, str]]) -> dict:
    alone = np.vstack([model.predict([p], batch_size=ALONE) for p in pairs[:300]])
    together = model.predict(pairs[:300], batch_size=50, max_tokens=None)
    return {"pairs": 300, "rows that differ in a batch of 50": int((np.abs(alone - together).max(1) > 0).sum())}


def _accuracy(model: NLIModel, rows: list[dict]) -> float:
    probs = model.predict([(r["premise"], r["hypothesis"]) for r in rows], batch_size=32)
    names = ("entailment", "neutral", "contradiction")  # nli.COLUMNS order
    return round(float(np.mean([names[i] == r["label"] for i, r in zip(probs.argmax(1), rows, strict=True)])), 4)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pairs", type=int, default=2000, help="MNLI matched pairs for the accuracy")
    args = parser.parse_args()
    data = PROJECT_ROOT.parent / "shared/data/eval/mnli_matched.jsonl"
    rows = [json.loads(line) for line in data.open()][: args.pairs]
    pairs = [(r["premise"], r["hypothesis"]) for r in rows]
    runtime = RuntimeSettings(spin=False)
    directory = Settings.from_env().nli_model
    result = {}
    for name, model in (
        ("per tensor (shipped)", NLIModel(directory, runtime)),
        ("per row", PerRow(directory, runtime).model),
    ):
        entry = {}
        for padding in (None, 8):
            _pad_to(padding, model)
            entry[f"padded to {padding or 'the longest'}"] = _invariance(model, pairs)
        entry.update(_speed(model, pairs))
        entry[f"MNLI matched accuracy ({len(rows)} pairs)"] = _accuracy(model, rows)
        result[name] = entry
        print(name, entry, file=sys.stderr, flush=True)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
