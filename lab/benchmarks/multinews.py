"""The Multi-News test documents as articles and its summaries' sentences as claims (benchmarks only)."""

from __future__ import annotations

import json

from factcheck.pipeline.sentences import split_sentences
from factcheck.records import Article
from factcheck.settings import PROJECT_ROOT

ROOT = PROJECT_ROOT
MULTI_NEWS = ROOT.parent / "shared/data/eval/multi-news/test.jsonl"


def multi_news(limit_docs: int | None = None, copy: int = 0) -> tuple[list[Article], list[str]]:
    """Articles ``mn-<cluster>-<n>`` (``copy`` > 0 suffixes the ids, to scale an index up by re-ingesting)
    and the claims: summary sentences of six words or more."""
    if not MULTI_NEWS.is_file():
        raise SystemExit(f"Multi-News not found at {MULTI_NEWS} (it lives in ../shared beside the checkout)")
    articles, claims = [], []
    suffix = f"-c{copy}" if copy else ""
    for line in MULTI_NEWS.open(encoding="utf-8"):
        row = json.loads(line)
        for n, text in enumerate(row["documents"]):
            if text.strip():
                articles.append(
                    Article(id=f"mn-{row['test_index']}-{n}{suffix}", title="", text=text, source="multi-news")
                )
        claims += [s.text for s in split_sentences(row["summary"]) if len(s.text.split()) >= 6]
        if limit_docs and len(articles) >= limit_docs:
            break
    return (articles[:limit_docs] if limit_docs else articles), claims
