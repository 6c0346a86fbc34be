"""Draft checking over real HTTP: seconds per 1,000-word draft on POST /v1/drafts/check.

The index is check_latency's (the first N Multi-News test documents, kept and reused with --index).
Each draft is a run of Multi-News summaries (news prose about the indexed stories) cut at the first
sentence end after ``--words`` words. Drafts are sent one at a time, after one warm-up draft.

Usage: python -m lab.benchmarks.draft_latency [--docs 2000] [--drafts 10] [--words 1000] [--workers 2]
       [--index PATH] [--out FILE]
Run it from the checkout's root on an idle machine: it measures wall time. Writes
lab/benchmarks/results/draft_latency.json (or --out).
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

import requests

from factcheck.inference.runtime import available_cores
from factcheck.pipeline.sentences import split_sentences
from factcheck.settings import PROJECT_ROOT
from lab.benchmarks.check_latency import build_index
from lab.benchmarks.multinews import MULTI_NEWS, multi_news
from tests.servers import Server

ROOT = PROJECT_ROOT


def drafts(count: int, words: int) -> list[str]:
    """``count`` drafts of at least ``words`` words, from consecutive Multi-News summaries."""
    sentences = []
    with MULTI_NEWS.open(encoding="utf-8") as handle:
        for line in handle:
            summary = json.loads(line)["summary"].replace("–", "").strip()
            sentences += [s.text for s in split_sentences(summary)]
            if sum(len(s.split()) for s in sentences) > (count + 1) * words * 1.2:
                break
    out, current = [], []
    for sentence in sentences:
        current.append(sentence)
        if sum(len(s.split()) for s in current) >= words:
            out.append(" ".join(current))
            current = []
    return out[:count]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=2000, help="Index the first N documents")
    parser.add_argument("--drafts", type=int, default=10)
    parser.add_argument("--words", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--index", default=str(ROOT / "runs/bench/multi-news.db"))
    parser.add_argument("--out", default=str(ROOT / "lab/benchmarks/results/draft_latency.json"))
    args = parser.parse_args()
    articles, _ = multi_news(args.docs)
    index = build_index(Path(args.index), articles)
    texts = drafts(args.drafts + 1, args.words)
    server = Server(
        f"sqlite:///{args.index}",
        Path(args.index).parent / "server.log",
        workers=args.workers,
        env={"FACTCHECK_RATE_LIMIT": "", "FACTCHECK_THREADS": str(available_cores())},
    ).wait_ready()
    runs = []
    try:
        for n, text in enumerate(texts):
            started = time.perf_counter()
            response = requests.post(f"{server.base}/v1/drafts/check", json={"text": text}, timeout=600)
            seconds = time.perf_counter() - started
            response.raise_for_status()
            summary = response.json()["summary"]
            if n:  # the first draft warms the workers
                runs.append({"words": len(text.split()), "seconds": round(seconds, 2), **summary})
    finally:
        server.terminate()
    seconds = [r["seconds"] for r in runs]
    result = {
        "index": index,
        "workers": args.workers,
        "drafts": len(runs),
        "words_mean": round(statistics.mean(r["words"] for r in runs)),
        "sentences_mean": round(statistics.mean(r["checked"] + r["skipped"] for r in runs), 1),
        "checked_mean": round(statistics.mean(r["checked"] for r in runs), 1),
        "seconds_p50": round(statistics.median(seconds), 2),
        "seconds_max": max(seconds),
        "runs": runs,
    }
    print(
        f"{result['drafts']} drafts of {result['words_mean']} words ({result['sentences_mean']} sentences,"
        f" {result['checked_mean']} checked): p50 {result['seconds_p50']} s, max {result['seconds_max']} s"
    )
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
