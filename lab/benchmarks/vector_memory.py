"""Memory and time of reading a SQLite index's vectors into a worker (``SQLiteStore.load_vectors``).

Opens INDEX (any SQLite index, such as the 100,000-article one that lab.benchmarks.retrieval scales up)
with the vector graph off, reads every vector as the first search of a worker does, and reports the
seconds it took, the process's resident memory after it and its peak (from /proc and getrusage).

Usage: python -m lab.benchmarks.vector_memory INDEX [--out FILE]
Run it alone on the machine: the seconds are wall time.
"""

from __future__ import annotations

import resource
import time

from factcheck.store.sqlite import SQLiteStore
from lab.benchmarks.memory import index_and_out, report, resident_mib


def main() -> None:
    args = index_and_out()
    store = SQLiteStore(args.index, graph_rows=2**62, graph_in_background=False)  # the vectors alone
    before = resident_mib()
    started = time.perf_counter()
    store.load_vectors()
    result = {
        "index": str(args.index),
        "sentences": store.stats()["sentences"],
        "seconds": round(time.perf_counter() - started, 1),
        "resident_mib_before": before,
        "resident_mib_after": resident_mib(),
        "peak_resident_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
    }
    report(result, args.out)


if __name__ == "__main__":
    main()
