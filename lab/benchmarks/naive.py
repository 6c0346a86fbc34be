"""The naive pipeline a newsroom engineer writes first, side by side with the service, in process.

Naive: the BM25 top 8 from the same index, then the NLI model in torch fp32 (transformers) over each
(sentence, claim) pair, one call per pair; the strongest support or contradiction above 0.5 wins.
Ours: ``FactChecker.check`` as the service composes it (hybrid retrieval, the gate, the news reading,
the screen, the int8 ONNX model). Both run one claim at a time on the same index and claims, 2 threads.

The naive model is the shipped model rebuilt in torch from its int8 ONNX file (``rebuild``): every
8-bit weight dequantised (value = (q - zero point) x scale) and put back under its torch name. Its
weights carry the 8-bit rounding, so its answers are close to, not equal to, the shipped model's; its
speed is that of fp32 torch, which is what the comparison is about. Needs the lab's train extra (torch).
"""

from __future__ import annotations

import re
import shutil
import statistics
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from factcheck.compose import build_services
from factcheck.pipeline.retrieve import lexical_query
from factcheck.records import Filters
from factcheck.settings import PROJECT_ROOT, Settings

TOKENIZER_FILES = ("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "vocab.txt")
THREADS = 2


def _array(initializers: dict, name: str) -> np.ndarray:
    from onnx import numpy_helper

    return numpy_helper.to_array(initializers[name])


def _param_name(node_name: str) -> str:
    """The torch parameter of a MatMul node: '/model/mpnet/encoder/layer.0/attention/attn/q/MatMul_quant'
    -> 'mpnet.encoder.layer.0.attention.attn.q.weight'."""
    path = re.sub(r"/(Gemm_)?MatMul(_quant|_Q8)$", "", node_name).removeprefix("/model/")
    return path.replace("/", ".") + ".weight"


def state_dict_from_onnx(onnx_file: Path) -> dict[str, np.ndarray]:
    """The torch parameters of a dynamically quantised ONNX export, dequantised to float32."""
    import onnx

    graph = onnx.load(str(onnx_file)).graph
    inits = {i.name: i for i in graph.initializer}
    state: dict[str, np.ndarray] = {}
    for name in inits:  # biases, LayerNorms: stored as they were
        if name.startswith("model.") and not re.search(r"_(quantized|scale|zero_point)$", name):
            state[name.removeprefix("model.")] = _array(inits, name)
    for name in {n[: -len("_quantized")] for n in inits if n.startswith("model.") and n.endswith("_quantized")}:
        if name.startswith("model.classifier"):
            continue  # matrices of MatMulInteger nodes: below
        q = _array(inits, name + "_quantized").astype(np.float32)  # embeddings (Gather): per tensor
        zero = _array(inits, name + "_zero_point").astype(np.float32)
        state[name.removeprefix("model.")] = (q - zero) * _array(inits, name + "_scale")
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
    """A torch checkpoint in ``out`` of the int8 ONNX model in ``model_dir``."""
    import torch
    from transformers import AutoConfig, AutoModelForSequenceClassification

    model = AutoModelForSequenceClassification.from_config(AutoConfig.from_pretrained(str(model_dir)))
    state = {
        k: torch.from_numpy(np.ascontiguousarray(v)) for k, v in state_dict_from_onnx(model_dir / "model.onnx").items()
    }
    expected = model.state_dict()
    missing = [k for k in expected if k not in state and "position_ids" not in k]
    if missing:
        raise SystemExit(f"weights not found in {model_dir / 'model.onnx'}: {missing[:5]} ...")
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


def naive_check(store, model, claim: str, top_k: int = 8) -> str:
    """BM25 top ``top_k``, then the model on each (sentence, claim) pair separately; strongest side wins."""
    ids = [i for i, _ in store.lexical_search(lexical_query(claim), Filters(), top_k)]
    best, verdict = 0.0, "neutral"
    for hit in store.hits(ids).values():
        probs = model.predict([(hit.text, claim)])[0]  # (entailment, neutral, contradiction)
        for label, p in (("support", probs[0]), ("contradict", probs[2])):
            if p > max(best, 0.5):
                best, verdict = p, label
    return verdict


def side_by_side(index: Path, claims: list[str], torch_model: Path) -> dict:
    """ms per claim of the naive pipeline and of ours, one claim at a time, same process, same index."""
    from factcheck.inference.runtime import RuntimeSettings
    from factcheck_lab.checkpoints import load_nli

    try:
        import torch  # noqa: F401
    except ImportError as exc:
        raise SystemExit(
            "the naive pipeline runs in torch: pip install -e 'lab[train]' (or --side-by-side 0 to leave it out)"
        ) from exc
    if not (torch_model / "config.json").is_file():
        rebuild(PROJECT_ROOT / "models/nli", torch_model)
    settings = replace(Settings.from_env(), store_url=f"sqlite:///{index}", threads=THREADS)
    ours = build_services(settings).checker
    naive = load_nli(torch_model, RuntimeSettings(threads=THREADS))
    timings = {}
    for name, run in (("naive", lambda c: naive_check(ours.store, naive, c)), ("ours", lambda c: ours.check(c, 8))):
        run(claims[0])  # warm-up (the dense matrix loads on first use)
        samples = []
        for claim in claims:
            started = time.perf_counter()
            run(claim)
            samples.append((time.perf_counter() - started) * 1000)
        timings[name] = {"p50_ms": round(statistics.median(samples), 1), "mean_ms": round(statistics.mean(samples), 1)}
    return {
        "claims": len(claims),
        "naive_runtime": "torch fp32",
        **timings,
        "speedup_p50": round(timings["naive"]["p50_ms"] / timings["ours"]["p50_ms"], 2),
    }
