"""The accurate NLI model's calls on 2 cores: one pair or several side by side, on sessions of 2 threads
(as served) or of 1, and what a second session costs in memory. Prints a JSON result.

Run from the checkout's root, alone on the machine:
    python lab/experiments/one-thread-lanes/run.py > lab/experiments/one-thread-lanes/result.json
"""

from __future__ import annotations

import json
import resource
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import onnxruntime as ort

from factcheck.inference.int8 import model_for_this_cpu
from factcheck.settings import MODELS_DIR

TOKENS = 64
REPEATS = 30


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def session(model: str | bytes, threads: int) -> ort.InferenceSession:
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")  # as under factcheck serve
    return ort.InferenceSession(model, options, providers=["CPUExecutionProvider"])


def pair(rng: np.random.Generator) -> dict[str, np.ndarray]:
    ids = rng.integers(1000, 20000, (1, TOKENS)).astype(np.int64)
    return {"input_ids": ids, "attention_mask": np.ones_like(ids)}


def side_by_side_ms(s: ort.InferenceSession, pairs: list[dict], lanes: ThreadPoolExecutor) -> float:
    def once() -> None:
        list(lanes.map(lambda f: s.run(None, f), pairs)) if len(pairs) > 1 else s.run(None, pairs[0])

    for _ in range(3):
        once()
    started = time.perf_counter()
    for _ in range(REPEATS):
        once()
    return round((time.perf_counter() - started) / REPEATS * 1000, 1)


def main() -> None:
    model = model_for_this_cpu(MODELS_DIR / "nli" / "model.onnx")
    before = rss_mib()
    two = session(model, 2)
    after_first = rss_mib()
    one = session(model, 1)
    after_second = rss_mib()
    rng = np.random.default_rng(0)
    lanes = ThreadPoolExecutor(2)
    pairs = [pair(rng) for _ in range(4)]
    same = all(np.array_equal(two.run(None, f)[0], one.run(None, f)[0]) for f in (pair(rng) for _ in range(100)))
    result = {
        "tokens": TOKENS,
        "ms_for_k_pairs_side_by_side": {
            f"{name} threads": {k: side_by_side_ms(s, pairs[:k], lanes) for k in (1, 2, 3, 4)}
            for name, s in (("2", two), ("1", one))
        },
        "outputs_identical_1_vs_2_threads_on_100_pairs": same,
        "rss_mib_first_session": round(after_first - before, 1),
        "rss_mib_second_session": round(after_second - after_first, 1),
        "onnxruntime": ort.__version__,
    }
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
