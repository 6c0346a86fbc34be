"""Memory and time of reading a SQLite index's vectors into a worker (``SQLiteStore.load_vectors``).

Opens INDEX (any SQLite index, such as the 100,000-article one that lab.benchmarks.retrieval scales up)
with the vector graph off, reads every vector as the first search of a worker does, and reports the
seconds it took, the process's resident memory after it and its peak (from /proc and getrusage).

Usage: python -m lab.benchmarks.vector_memory INDEX [--out FILE]
Run it alone on the machine: the seconds are wall time.
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from pathlib import Path

from factcheck.store.sqlite import SQLiteStore
from lab.benchmarks.memory import resident_mib


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("index", type=Path)
    parser.add_argument("--out", type=Path, default=None, help="JSON result file (default: print only)")
    args = parser.parse_args()
    if not args.index.is_file():
        raise SystemExit(f"no SQLite index at {args.index}")
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
    print(json.dumps(result, indent=2))
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
