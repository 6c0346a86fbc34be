"""Check latency and throughput over real HTTP to gunicorn on the Multi-News index.

1. Index the Multi-News test documents (``../shared/data/eval/multi-news/test.jsonl``, 15,505 documents)
   into a SQLite file through the normal ingest path (kept and reused with --index).
2. Start `factcheck serve` (gunicorn) on it; claims are the clusters' summary sentences.
3. p50/p95/p99 of POST /v1/checks (top_k 8) with 1 and 8 concurrent clients, and claims/s through
   POST /v1/checks/batch (32 claims per request).

Usage: python benchmarks/check_latency.py [--docs N] [--requests 200] [--workers 2] [--index PATH]
Run it on an idle machine: it measures wall time. Writes benchmarks/results/check_latency.json.
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

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from factcheck.core.ingest import Indexer
from factcheck.core.sentences import split_sentences
from factcheck.core.types import Article
from factcheck.inference.embed import Embedder
from factcheck.store.sqlite import SQLiteStore
from tests.servers import Server

MULTI_NEWS = ROOT.parent / "shared/data/eval/multi-news/test.jsonl"


def clusters(limit_docs: int | None) -> tuple[list[Article], list[str]]:
    articles, claims = [], []
    for line in MULTI_NEWS.open():
        row = json.loads(line)
        for n, text in enumerate(row["documents"]):
            if text.strip():
                articles.append(Article(id=f"mn-{row['test_index']}-{n}", title="", text=text, source="multi-news"))
        claims += [s.text for s in split_sentences(row["summary"]) if len(s.text.split()) >= 6]
        if limit_docs and len(articles) >= limit_docs:
            break
    return articles[:limit_docs] if limit_docs else articles, claims


def build_index(path: Path, articles: list[Article]) -> dict:
    store = SQLiteStore(path)
    if store.stats()["articles"] >= len(articles):
        return {"reused": True, **store.stats()}
    indexer = Indexer(store, Embedder(ROOT / "models/embed"))
    started = time.perf_counter()
    for i, article in enumerate(articles, start=1):
        indexer.upsert(article)
        if i % 500 == 0:
            print(f"indexed {i}/{len(articles)}", file=sys.stderr, flush=True)
    seconds = time.perf_counter() - started
    return {"reused": False, "seconds": round(seconds, 1), "articles_per_s": round(len(articles) / seconds, 1),
            **store.stats()}


def percentiles(samples: list[float]) -> dict:
    cuts = statistics.quantiles(samples, n=100)
    return {"p50_ms": round(cuts[49], 1), "p95_ms": round(cuts[94], 1), "p99_ms": round(cuts[98], 1),
            "requests": len(samples)}


def single_checks(base: str, claims: list[str], clients: int) -> dict:
    def one(claim: str) -> float:
        started = time.perf_counter()
        response = requests.post(f"{base}/v1/checks", json={"claim": claim, "top_k": 8}, timeout=120)
        response.raise_for_status()
        return (time.perf_counter() - started) * 1000

    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        samples = list(pool.map(one, claims))
    return {**percentiles(samples), "clients": clients,
            "checks_per_s": round(len(claims) / (time.perf_counter() - started), 2)}


def batch_throughput(base: str, claims: list[str], size: int = 32) -> dict:
    started = time.perf_counter()
    for i in range(0, len(claims), size):
        requests.post(f"{base}/v1/checks/batch", json={"claims": claims[i:i + size], "top_k": 8},
                      timeout=600).raise_for_status()
    return {"claims": len(claims), "batch_size": size,
            "claims_per_s": round(len(claims) / (time.perf_counter() - started), 2)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=None, help="Index only the first N documents")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--index", default=str(ROOT / "runs/bench/multi-news.db"))
    args = parser.parse_args()
    articles, claims = clusters(args.docs)
    index = build_index(Path(args.index), articles)
    claims = claims[: args.requests]
    work = Path(args.index).parent
    server = Server(f"sqlite:///{args.index}", work / "server.log", workers=args.workers,
                    env={"FACTCHECK_RATE_LIMIT": "", "FACTCHECK_THREADS": str(max(1, 2 // args.workers))})
    server.wait_ready()
    try:
        single_checks(server.base, claims[:16], 2)  # warm every worker (the dense matrix loads on first use)
        result = {"index": index, "workers": args.workers,
                  "one_client": single_checks(server.base, claims, 1),
                  "eight_clients": single_checks(server.base, claims, 8),
                  "batch": batch_throughput(server.base, claims)}
    finally:
        server.terminate()
    out = ROOT / "benchmarks/results/check_latency.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
