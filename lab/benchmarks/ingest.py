"""Ingest throughput: articles/s and sentences/s of Multi-News documents
1. through the API: POST /v1/articles/batch (32 articles per request) to gunicorn over loopback, one
   client per worker;
2. through the CLI: `factcheck ingest FILE.jsonl` into a fresh SQLite file (wall time of the command,
   model loading included).

Usage: python -m lab.benchmarks.ingest [--docs 1000] [--workers 1] [--out FILE]
Run it on an idle machine: it measures wall time. Writes lab/benchmarks/results/ingest.json (or --out).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict
from pathlib import Path

import requests

from factcheck.settings import PROJECT_ROOT
from lab.benchmarks.multinews import multi_news
from tests.servers import Server

ROOT = PROJECT_ROOT

BATCH = 32


def _article_json(article) -> dict:
    return {k: v for k, v in asdict(article).items() if k in ("id", "title", "text", "source")}


def through_api(articles, work: Path, workers: int) -> dict:
    server = Server(
        f"sqlite:///{work / 'api.db'}",
        work / "server.log",
        workers=workers,
        env={"FACTCHECK_RATE_LIMIT": "", "FACTCHECK_THREADS": str(max(1, 2 // workers))},
    ).wait_ready()
    batches = [articles[i : i + BATCH] for i in range(0, len(articles), BATCH)]

    def post(batch) -> int:
        response = requests.post(
            f"{server.base}/v1/articles/batch", timeout=600, json={"articles": [_article_json(a) for a in batch]}
        )
        response.raise_for_status()
        return sum(r["sentences"] for r in response.json()["results"])

    try:
        started = time.perf_counter()
        with ThreadPoolExecutor(workers) as clients:  # one client per worker
            sentences = sum(clients.map(post, batches))
        seconds = time.perf_counter() - started
    finally:
        server.terminate()
    how = f"POST /v1/articles/batch x{BATCH}, {workers} worker(s), {workers} client(s)"
    return _rates(len(articles), sentences, seconds, how)


def through_cli(articles, work: Path) -> dict:
    source = work / "articles.jsonl"
    source.write_text("".join(json.dumps(_article_json(a)) + "\n" for a in articles))
    started = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-m", "service.cli", "ingest", str(source), "--store", f"sqlite:///{work / 'cli.db'}"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    seconds = time.perf_counter() - started
    return _rates(len(articles), json.loads(out)["index"]["sentences"], seconds, "factcheck ingest FILE.jsonl")


def _rates(articles: int, sentences: int, seconds: float, how: str) -> dict:
    return {
        "how": how,
        "articles": articles,
        "sentences": sentences,
        "seconds": round(seconds, 1),
        "articles_per_s": round(articles / seconds, 1),
        "sentences_per_s": round(sentences / seconds, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=1, help="gunicorn workers for the API run")
    parser.add_argument("--out", default=str(ROOT / "lab/benchmarks/results/ingest.json"), help="JSON result file")
    args = parser.parse_args()
    articles, _ = multi_news(args.docs)
    with tempfile.TemporaryDirectory() as tmp:
        result = {"api": through_api(articles, Path(tmp), args.workers), "cli": through_cli(articles, Path(tmp))}
    print(f"{'path':<45} {'articles/s':>10} {'sentences/s':>12} {'seconds':>8}")
    for row in result.values():
        print(f"{row['how']:<45} {row['articles_per_s']:>10} {row['sentences_per_s']:>12} {row['seconds']:>8}")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
