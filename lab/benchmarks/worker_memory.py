"""A worker's resident memory over its life: `factcheck serve` with one worker on INDEX, read when the
worker is ready (models loaded), after its first check (the index's vectors and vector graph read),
and after 20 and 120 checks (Multi-News summary sentences, one at a time).

The vector graph is built first when INDEX has enough sentences for one (FACTCHECK_VECTOR_GRAPH_ROWS)
and none is saved beside it, so the worker loads it as a restarted worker does. Says when torch is
installed (spaCy imports it whenever it can; the serving install has none).

Usage: python -m lab.benchmarks.worker_memory INDEX [--out FILE]
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import requests

from factcheck.store.graph import GRAPH_ROWS
from factcheck.store.sqlite import SQLiteStore
from lab.benchmarks.check_latency import worker_rss_mib
from lab.benchmarks.memory import index_and_out, report, torch_installed
from lab.benchmarks.multinews import multi_news
from tests.servers import Server

MARKS = (1, 20, 120)  # checks done when the memory is read


def main() -> None:
    args = index_and_out()
    store = SQLiteStore(args.index, graph_rows=GRAPH_ROWS, graph_in_background=False)
    store.load_vectors()  # builds and saves the graph if the index is large enough and has none
    sentences = store.stats()["sentences"]
    del store
    _, claims = multi_news(2000)
    with tempfile.TemporaryDirectory() as work:
        server = Server(
            f"sqlite:///{args.index}",
            Path(work) / "server.log",
            workers=1,
            env={"FACTCHECK_RATE_LIMIT": "", "FACTCHECK_THREADS": "2"},
        )
        try:
            server.wait_ready()
            memory = {"ready": worker_rss_mib(server.process.pid)[0]}
            done = 0
            for mark in MARKS:
                for claim in claims[done:mark]:
                    requests.post(f"{server.base}/v1/checks", json={"claim": claim}, timeout=120).raise_for_status()
                done = mark
                memory[f"after_{mark}_checks"] = worker_rss_mib(server.process.pid)[0]
        finally:
            server.terminate()
    result = {"index": str(args.index), "sentences": sentences, "rss_mib": memory, "torch_installed": torch_installed()}
    report(result, args.out)


if __name__ == "__main__":
    main()
