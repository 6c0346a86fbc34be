"""Check latency and throughput over real HTTP to gunicorn on the Multi-News index.

1. Index the Multi-News test documents (``../shared/data/eval/multi-news/test.jsonl``, 15,505 documents)
   into a SQLite file through the normal ingest path (kept and reused with --index).
2. Start `factcheck serve` (gunicorn) on it; claims are the clusters' summary sentences.
3. p50/p95/p99 of POST /v1/checks (top_k 8) with 1 and 8 concurrent clients, and claims/s through
   POST /v1/checks/batch (32 claims per request).
4. Side by side, in process, on the same index and claims: the naive pipeline a user writes first
   (BM25 top 8, then transformers torch fp32 over one pair at a time) against the service's
   ``FactChecker.check``; ms per claim and the speed-up (``lab/benchmarks/naive.py``; needs torch,
   the lab's train extra; ``--side-by-side 0`` leaves it out).

Usage: python -m lab.benchmarks.check_latency [--docs N] [--requests 200] [--workers 2] [--index PATH]
       [--screen DIR | --no-screen] [--no-store] [--side-by-side 50] [--naive-model runs/nli-torch]
       [--out FILE]
Run it from the checkout's root on an idle machine: it measures wall time. Writes
lab/benchmarks/results/check_latency.json (or --out).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

from factcheck.inference.embed import Embedder
from factcheck.inference.runtime import available_cores
from factcheck.pipeline.ingest import Indexer
from factcheck.records import Article
from factcheck.settings import PROJECT_ROOT, Settings
from factcheck.store.sqlite import SQLiteStore
from lab.benchmarks.memory import resident_mib, torch_installed
from lab.benchmarks.multinews import multi_news
from lab.benchmarks.naive import side_by_side
from tests.servers import Server

ROOT = PROJECT_ROOT


def build_index(path: Path, articles: list[Article]) -> dict:
    store = SQLiteStore(path)
    if store.stats()["articles"] >= len(articles):
        return {"reused": True, **store.stats()}
    indexer = Indexer(store, Embedder(ROOT / "models/embed"))
    started = time.perf_counter()
    indexer.upsert_chunked(
        articles, 100, lambda done, _: print(f"indexed {done}/{len(articles)}", file=sys.stderr, flush=True)
    )
    seconds = time.perf_counter() - started
    return {
        "reused": False,
        "seconds": round(seconds, 1),
        "articles_per_s": round(len(articles) / seconds, 1),
        **store.stats(),
    }


def percentiles(samples: list[float]) -> dict:
    cuts = statistics.quantiles(samples, n=100)
    return {
        "p50_ms": round(cuts[49], 1),
        "p95_ms": round(cuts[94], 1),
        "p99_ms": round(cuts[98], 1),
        "requests": len(samples),
    }


def single_checks(base: str, claims: list[str], clients: int, store: bool = True) -> dict:
    def one(claim: str) -> tuple[float, dict]:
        started = time.perf_counter()
        response = requests.post(f"{base}/v1/checks", json={"claim": claim, "top_k": 8, "store": store}, timeout=120)
        response.raise_for_status()
        return (time.perf_counter() - started) * 1000, response.json()

    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        results = list(pool.map(one, claims))
    seconds = time.perf_counter() - started
    stages = {
        stage: round(statistics.median(body["timings_ms"][stage] for _, body in results), 1)
        for stage in results[0][1]["timings_ms"]
    }
    nli_pairs = [sum(e["probabilities"] is not None for e in body["evidence"]) for _, body in results]
    return {
        **percentiles([ms for ms, _ in results]),
        "clients": clients,
        "checks_per_s": round(len(claims) / seconds, 2),
        "server_stage_p50_ms": stages,
        "nli_pairs_per_check_mean": round(statistics.mean(nli_pairs), 2),
    }


def batch_throughput(base: str, claims: list[str], size: int = 32, store: bool = True) -> dict:
    started = time.perf_counter()
    stages = []
    for i in range(0, len(claims), size):
        response = requests.post(
            f"{base}/v1/checks/batch", json={"claims": claims[i : i + size], "top_k": 8, "store": store}, timeout=600
        )
        response.raise_for_status()
        stages.append(response.json()["results"][0]["timings_ms"])  # one check_many call: the same for all
    return {
        "claims": len(claims),
        "batch_size": size,
        "claims_per_s": round(len(claims) / (time.perf_counter() - started), 2),
        "server_stage_median_ms_per_request": {k: round(statistics.median(s[k] for s in stages), 1) for k in stages[0]},
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=None, help="Index only the first N documents")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--index", default=str(ROOT / "runs/bench/multi-news.db"))
    parser.add_argument(
        "--threads",
        type=int,
        default=None,
        help="FACTCHECK_THREADS per worker (default: as factcheck serve, every core)",
    )
    tier = parser.add_mutually_exclusive_group()
    tier.add_argument(
        "--screen",
        default=Settings.from_env().screen_model or None,
        help="screen model in front of"
        " the accurate model (a directory with screen.json); default: the service's"
        " (FACTCHECK_SCREEN_MODEL, unset: none)",
    )
    tier.add_argument("--no-screen", action="store_true", help="no screen: every pair to the accurate model")
    parser.add_argument("--no-store", action="store_true", help='checks sent with "store": false (not kept)')
    parser.add_argument("--side-by-side", type=int, default=50, help="claims for the naive pipeline beside ours")
    parser.add_argument(
        "--naive-model",
        type=Path,
        default=ROOT / "runs/nli-torch",
        help="the shipped model rebuilt in torch (made there on first use)",
    )
    parser.add_argument(
        "--out", default=str(ROOT / "lab/benchmarks/results/check_latency.json"), help="JSON result file"
    )
    args = parser.parse_args()
    args.screen = None if args.no_screen else args.screen
    articles, claims = multi_news(args.docs)
    index = build_index(Path(args.index), articles)
    claims = claims[: args.requests]
    work = Path(args.index).parent
    server = Server(
        f"sqlite:///{args.index}",
        work / "server.log",
        workers=args.workers,
        env={
            "FACTCHECK_RATE_LIMIT": "",
            "FACTCHECK_THREADS": str(args.threads or available_cores()),
            "FACTCHECK_SCREEN_MODEL": args.screen or "",
        },
    )
    server.wait_ready()
    try:
        single_checks(server.base, claims[:16], 2)  # warm every worker (the dense matrix loads on first use)
        result = {
            "index": index,
            "workers": args.workers,
            "screen": args.screen,
            "stored": not args.no_store,
            "one_client": single_checks(server.base, claims, 1, not args.no_store),
            "eight_clients": single_checks(server.base, claims, 8, not args.no_store),
            "batch": batch_throughput(server.base, claims, store=not args.no_store),
            "worker_rss_mib": worker_rss_mib(server.process.pid),
            "torch_installed": torch_installed(),
        }
    finally:
        server.terminate()
    if args.side_by_side:
        result["side_by_side"] = side_by_side(Path(args.index), claims[: args.side_by_side], args.naive_model)
    print_table(result)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")


def worker_rss_mib(root: int) -> list[float]:
    """The resident memory of each worker process under ``root`` (the processes with no children of
    their own: gunicorn's workers), in MiB, from /proc."""

    def children(pid: int) -> list[int]:
        tasks = Path(f"/proc/{pid}/task")
        return [int(c) for task in tasks.iterdir() for c in (task / "children").read_text().split()]

    leaves, todo = [], [root]
    while todo:
        pid = todo.pop()
        below = children(pid)
        todo += below
        if not below and pid != root:
            leaves.append(pid)
    return [resident_mib(pid) for pid in sorted(leaves)]


def print_table(result: dict) -> None:
    print(f"index: {result['index']}")
    print(f"{'POST /v1/checks, top_k 8':<28} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'checks/s':>9}")
    for name in ("one_client", "eight_clients"):
        r = result[name]
        print(
            f"{str(r['clients']) + ' client(s)':<28} {r['p50_ms']:>8} {r['p95_ms']:>8} {r['p99_ms']:>8}"
            f" {r['checks_per_s']:>9}"
        )
    print(
        f"batch endpoint: {result['batch']['claims_per_s']} claims/s ({result['batch']['batch_size']} per request);"
        f" server stages per request (ms): {result['batch']['server_stage_median_ms_per_request']}"
    )
    print(
        f"server-side stage medians, 1 client (ms): {result['one_client']['server_stage_p50_ms']};"
        f" NLI pairs per check: {result['one_client']['nli_pairs_per_check_mean']}"
    )
    print(f"worker RSS (MiB): {result['worker_rss_mib']}")
    if "side_by_side" in result:
        s = result["side_by_side"]
        print(
            f"side by side, in process, {s['claims']} claims: naive p50 {s['naive']['p50_ms']} ms,"
            f" ours {s['ours']['p50_ms']} ms: {s['speedup_p50']}x"
        )


if __name__ == "__main__":
    main()
