"""Batch checks with the claims retrieved one at a time vs as a batch (FactChecker._retrieve ->
Retriever.retrieve_many: the dense search in one matrix product, the rest two claims at a time), in
process on the Multi-News index, alternating the two on the same 32-claim batches so that machine noise
hits both alike. Prints the medians of the retrieve stage and of the whole check_many call.

Usage: python benchmarks/batch_retrieval.py [--index runs/bench/multi-news.db] [--batches 6]
(build the index with benchmarks/check_latency.py first). Run it on an idle machine.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("FACTCHECK_SPIN", "0")  # as under factcheck serve

from benchmarks.multinews import multi_news
from factcheck.core.checker import FactChecker
from factcheck.inference.embed import Embedder
from factcheck.inference.nli import NLIModel
from factcheck.store.sqlite import SQLiteStore


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--index", default=str(ROOT / "runs/bench/multi-news.db"))
    parser.add_argument("--batches", type=int, default=6)
    args = parser.parse_args()
    _, claims = multi_news(None)
    checker = FactChecker(SQLiteStore(Path(args.index)), Embedder(ROOT / "models/embed", threads=2),
                          NLIModel(ROOT / "models/nli", threads=2))
    concurrent = checker._retrieve

    def one_at_a_time(claims, vectors, filters, top_k):
        return [checker.retriever.retrieve(c, v, filters, top_k) for c, v in zip(claims, vectors)]

    checker.check_many(claims[:8])  # warm-up: the vector matrix loads on first use
    stages: dict[str, list] = {"one at a time": [], "as a batch": []}
    for n in range(args.batches):
        batch = claims[32 * n: 32 * n + 32]
        for name, retrieve in (("one at a time", one_at_a_time), ("as a batch", concurrent)):
            checker._retrieve = retrieve
            stages[name].append(checker.check_many(batch)[0].timings_ms)
    for name, rows in stages.items():
        print(f"{name:<14} retrieve {statistics.median(r['retrieve'] for r in rows):7.1f} ms"
              f"  whole batch {statistics.median(r['total'] for r in rows):7.1f} ms  ({len(rows)} batches of 32)")


if __name__ == "__main__":
    main()
