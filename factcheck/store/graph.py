"""A nearest-neighbour graph over the SQLite store's vector rows, so the dense search of a large index
does not scan every row.

An HNSW graph (faiss ``IndexHNSWSQ``, vectors held as 8-bit codes) whose keys are the row positions
of the store's in-memory matrix. It only picks candidates: the store ranks them by their exact cosine,
as it ranks the candidates of a full scan. It is built in a background thread once the matrix holds
``FACTCHECK_VECTOR_GRAPH_ROWS`` rows (until then, and while it builds, searches scan), takes the rows
appended after an insert, and is dropped and built again after a deletion (row positions change).

Building takes minutes at hundreds of thousands of rows, so a built graph is saved beside the database
(``<db>.graph``, with ``<db>.graph.json`` naming the rows it holds). A worker that starts later, or
after a restart, loads it and adds only the rows written since. A lock file makes the workers of one
database build it once.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import threading
from pathlib import Path

import numpy as np

from factcheck.heap import give_back

log = logging.getLogger(__name__)

GRAPH_ROWS = 200_000  # default of FACTCHECK_VECTOR_GRAPH_ROWS; 0: never build one
NEIGHBOURS = 32  # links per node (HNSW M)
BUILD_EFFORT = 80  # efConstruction
# efSearch: candidates kept while walking the graph
# (docs/decisions/0039-dense-search-of-large-sqlite-indexes-through-a.md)
SEARCH_EFFORT = 512
TRAINING_ROWS = 20_000  # rows the 8-bit codes' ranges are fitted on


def _faiss():
    import faiss  # imported on first use: small indexes never need it

    return faiss


class GraphFile:
    """The saved graph of one database: ``<db>.graph`` and its description ``<db>.graph.json``."""

    def __init__(self, database: str, store_key: str):
        self.path = Path(database + ".graph")
        self.meta = Path(database + ".graph.json")
        self.lock = Path(database + ".graph.lock")
        self.store_key = store_key

    def load(self, ids: np.ndarray):
        """The saved graph and the number of rows it holds, when it was built from a prefix of ``ids``
        (same database, no row it holds deleted since); else None."""
        try:
            meta = json.loads(self.meta.read_text())
        except (OSError, ValueError):
            return None
        rows, last = int(meta.get("rows", 0)), int(meta.get("last_id", -1))
        if meta.get("store_key") != self.store_key or not 0 < rows <= len(ids) or int(ids[rows - 1]) != last:
            return None
        try:
            index = _faiss().read_index(str(self.path))
        except RuntimeError as exc:
            log.warning("vector graph %s unreadable, building it again: %s", self.path, exc)
            return None
        return (index, rows) if index.ntotal == rows else None

    def save(self, index, ids: np.ndarray) -> None:
        """Write the graph, then its description, each by rename (a crash leaves the old pair or none)."""
        temporary = Path(f"{self.path}.tmp")
        _faiss().write_index(index, str(temporary))
        os.replace(temporary, self.path)
        description = {"store_key": self.store_key, "rows": int(index.ntotal), "last_id": int(ids[index.ntotal - 1])}
        temporary = Path(f"{self.meta}.tmp")
        temporary.write_text(json.dumps(description))
        os.replace(temporary, self.meta)


def build(matrix: np.ndarray):
    """A new graph over every row of ``matrix``."""
    faiss = _faiss()
    index = faiss.IndexHNSWSQ(matrix.shape[1], faiss.ScalarQuantizer.QT_8bit, NEIGHBOURS, faiss.METRIC_INNER_PRODUCT)
    index.hnsw.efConstruction = BUILD_EFFORT
    index.train(np.ascontiguousarray(matrix[:: max(1, len(matrix) // TRAINING_ROWS)]))
    index.add(np.ascontiguousarray(matrix))
    return index


class VectorGraph:
    """The graph of one store's matrix, kept in step with it by ``follow``; thread-safe."""

    def __init__(self, file: GraphFile | None, min_rows: int = GRAPH_ROWS, background: bool = True):
        """``background`` False: ``follow`` builds the graph before it returns (tests)."""
        self.file = file
        self.min_rows = min_rows
        self.background = background
        self._lock = threading.Lock()
        self._index = None
        self._rows = 0
        self._epoch = 0  # bumped by reset: a build started before it is thrown away
        self._builder: threading.Thread | None = None

    @property
    def ready(self) -> bool:
        return self._index is not None

    def follow(self, ids: np.ndarray, matrix: np.ndarray) -> None:
        """Called with the store's current rows: start a build when there is no graph yet, and add to
        the graph the rows appended since it was built or last followed."""
        with self._lock:
            if self._index is None and self.min_rows and len(ids) >= self.min_rows and self._builder is None:
                self._builder = threading.Thread(
                    target=self._build, args=(self._epoch, ids, matrix), name="vector-graph", daemon=True
                )
                self._builder.start()
            builder = self._builder
        if builder is not None and not self.background:
            builder.join()
        with self._lock:
            if self._index is not None and len(ids) > self._rows:
                self._index.add(np.ascontiguousarray(matrix[self._rows : len(ids)]))
                self._rows = len(ids)

    def reset(self) -> None:
        """The rows were read again (a deletion): positions changed, so the graph goes."""
        with self._lock:
            self._index, self._rows = None, 0
            self._epoch += 1

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for a running build (tests, benchmarks); True when a graph is ready."""
        builder = self._builder
        if builder is not None:
            builder.join(timeout)
        return self.ready

    @property
    def epoch(self) -> int:
        """Changes with every reset: row positions from a graph of another epoch name other rows."""
        return self._epoch

    def candidates(self, vectors: np.ndarray, count: int, rows: int, epoch: int) -> list[np.ndarray] | None:
        """Row positions (< ``rows``) of about the ``count`` nearest rows of each vector in the caller's
        matrix of ``epoch``; None while there is no graph of that epoch (the caller scans)."""
        with self._lock:
            if self._index is None or epoch != self._epoch:
                return None
            _faiss().omp_set_num_threads(1)  # this thread's searches; requests already run side by side
            self._index.hnsw.efSearch = max(SEARCH_EFFORT, count)
            _, found = self._index.search(np.ascontiguousarray(vectors, dtype=np.float32), count)
        return [row[(row >= 0) & (row < rows)] for row in found]

    def _build(self, epoch: int, ids: np.ndarray, matrix: np.ndarray) -> None:
        index = None
        try:
            index, rows = self._load_or_build(ids, matrix)
        except Exception:  # the store goes on scanning, as it does below min_rows; said once, not retried
            log.exception("building the vector graph failed; dense search keeps scanning every row")
            self.min_rows = 0
        with self._lock:
            if index is not None and epoch == self._epoch:
                self._index, self._rows = index, rows
            self._builder = None
        give_back()  # the buffers of the graph's read or build

    def _load_or_build(self, ids: np.ndarray, matrix: np.ndarray):
        if self.file is None:
            return build(matrix), len(ids)
        try:
            lock = open(self.file.lock, "w")  # noqa: SIM115 - closed by the with below, once it opened
        except OSError as exc:
            log.warning("vector graph kept in memory only, nothing can be written beside the database: %s", exc)
            return build(matrix), len(ids)
        with lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # another worker may be building it: wait, then load its graph
            loaded = self.file.load(ids)
            if loaded is not None:
                log.info("vector graph loaded from %s (%d rows)", self.file.path, loaded[1])
                return loaded
            log.info("building the vector graph over %d rows (searches scan until it is ready)", len(ids))
            index = build(matrix)
            try:
                self.file.save(index, ids)
                log.info("vector graph built and saved to %s", self.file.path)
            except (OSError, RuntimeError) as exc:  # faiss reports a failed write as RuntimeError
                log.warning("vector graph built but not saved (the next worker builds its own): %s", exc)
            return index, len(ids)
