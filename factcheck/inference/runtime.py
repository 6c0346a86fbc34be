"""Shared onnxruntime and tokenizer set-up: one session per process, threads sized to the cores."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import numpy as np

# The batch size at which an int8 model's output for an input depends on that input only: dynamic
# quantisation scales activations by their range over the whole call, so inputs batched together shift
# each other's results (docs/decisions/0022-the-same-scifact-checks-under-three-batchings-and.md). The check path
# runs every claim and sentence
# pair ALONE (a claim's title contexts share one call, never with another claim's: relevance.py), so a
# claim gets the same answer alone, in a batch request or in a job.
ALONE = 1

T = TypeVar("T")
R = TypeVar("R")


class ModelError(Exception):
    """A model directory is missing, incomplete or not usable."""


def available_cores() -> int:
    """The cores this process may use."""
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


@dataclass(frozen=True)
class RuntimeSettings:
    """How models run: ``threads`` intra-op threads (None: every available core), also the number of
    calls run side by side (Lanes); ``spin``: idle onnxruntime threads spin (off under ``factcheck
    serve``, so concurrent requests share the cores); ``int8_weights``: auto, signed or unsigned (int8)."""

    threads: int | None = None
    spin: bool = True
    int8_weights: str = "auto"

    @property
    def thread_count(self) -> int:
        return max(1, self.threads) if self.threads else available_cores()


class Lanes:
    """Runs independent model calls side by side, ``count`` at a time. ``session.run`` releases the GIL
    and, with idle onnxruntime threads sleeping (FACTCHECK_SPIN=0, as under ``factcheck serve``), two
    calls of one input each keep both cores busy where one such call cannot: 25.8 against 18.6 pairs/s
    for the NLI pairs of the check path (docs/decisions/0029-batch-requests-one-pass-over-the-vectors-two.md). Calls
    of many inputs already fill the cores; side by side they ran slower (``map_if``). Each call still
    sees its own input only, so results do not depend on the number of lanes."""

    def __init__(self, count: int):
        self.count = max(1, count)
        self._threads = ThreadPoolExecutor(self.count, thread_name_prefix="lane") if self.count > 1 else None
        self._inside = threading.local()

    def map(self, fn: Callable[[T], R], items: Iterable[T]) -> list[R]:
        """``[fn(item) for item in items]``, up to ``count`` calls at a time. A call made from inside a
        lane runs its items in that lane (waiting on the threads from inside it could deadlock)."""
        items = list(items)
        if self._threads is None or len(items) < 2 or getattr(self._inside, "lane", False):
            return [fn(item) for item in items]
        return list(self._threads.map(lambda item: self._in_lane(fn, item), items))

    def map_if(self, side_by_side: bool, fn: Callable[[T], R], items: Iterable[T]) -> list[R]:
        """``map`` when ``side_by_side``, else one call after another in this thread."""
        return self.map(fn, items) if side_by_side else [fn(item) for item in items]

    def _in_lane(self, fn: Callable[[T], R], item: T) -> R:
        self._inside.lane = True
        try:
            return fn(item)
        finally:
            self._inside.lane = False


def limit_blas(threads: int | None) -> None:
    """Hold numpy's BLAS (OpenBLAS in numpy's wheels) to ``threads`` threads in this process; None: leave
    it as the library starts, a thread per core. Its idle threads keep spinning after each product (the
    dense search's, spaCy's layers'), taking the cores from onnxruntime's threads: on 2 cores with 2
    workers, one BLAS thread made a whole check faster (docs/decisions/0109)."""
    if threads:
        from threadpoolctl import threadpool_limits

        threadpool_limits(limits=threads, user_api="blas")


def onnx_session(path: Path, runtime: RuntimeSettings):
    """An onnxruntime CPU session for ``path`` with all graph optimisations on, int8 weights in the form
    this CPU runs fastest (factcheck.inference.int8)."""
    import onnxruntime as ort

    from factcheck.inference.int8 import model_for_this_cpu

    options = ort.SessionOptions()
    options.intra_op_num_threads = runtime.thread_count
    options.inter_op_num_threads = 1
    if not runtime.spin:
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    try:
        return ort.InferenceSession(
            model_for_this_cpu(path, runtime.int8_weights), options, providers=["CPUExecutionProvider"]
        )
    except Exception as exc:  # onnxruntime raises several unrelated types for a bad file
        raise ModelError(f"cannot load ONNX model {path}: {exc}") from exc


def load_tokenizer(directory: Path):
    """The fast tokenizer saved in ``directory`` (transformers, without torch: the serving install has none)."""
    # transformers announces at import that torch is absent, an advisory the serving install does not need
    os.environ.setdefault("TRANSFORMERS_NO_ADVISORY_WARNINGS", "1")
    import transformers

    try:
        return transformers.AutoTokenizer.from_pretrained(str(directory))
    except Exception as exc:  # transformers raises OSError, ValueError, JSON errors...
        raise ModelError(f"cannot load tokenizer from {directory}: {exc}") from exc


def require_dir(path: str | Path, what: str) -> Path:
    directory = Path(path)
    if not directory.is_dir():
        raise ModelError(f"{what} model directory not found: {directory}")
    return directory


def run_session(session, encoded: dict) -> np.ndarray:
    """Run ``session`` on tokenizer output, feeding only the inputs the graph declares."""
    wanted = {i.name for i in session.get_inputs()}
    feed = {k: np.asarray(v, dtype=np.int64) for k, v in encoded.items() if k in wanted}
    return session.run(None, feed)[0]


def length_order(texts: Sequence[str]) -> list[int]:
    """Indices sorted by text length: batches of similar length need less padding."""
    return sorted(range(len(texts)), key=lambda i: len(texts[i]))


def token_batches(lengths: Sequence[int], max_tokens: int | None, max_batch: int) -> list[list[int]]:
    """Indices grouped into batches by token length: sorted, then cut whenever the batch padded to its
    longest member would exceed ``max_tokens`` tokens (None: no budget) or ``max_batch`` rows. A row
    longer than the budget runs alone. Short rows share big batches and a few long ones no longer pad a
    whole batch to their length (docs/decisions/0021-nli-batches-by-token-budget.md)."""
    batches: list[list[int]] = []
    batch: list[int] = []
    for i in sorted(range(len(lengths)), key=lambda i: lengths[i]):
        too_many = len(batch) == max_batch
        too_long = max_tokens is not None and (len(batch) + 1) * lengths[i] > max_tokens
        if batch and (too_many or too_long):
            batches.append(batch)
            batch = []
        batch.append(i)
    if batch:
        batches.append(batch)
    return batches
