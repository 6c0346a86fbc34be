"""Would dropping common words from the lexical query pay? (Tried in session 6, not adopted.)

FTS5 ranks every row that matches any term of an OR query, so a common word ("said", "year") costs
more than all the rare ones. The variant measured here keeps a term only when at most SHARE of the
index's sentences contain it (the MIN_TERMS rarest always stay), for each SHARE:
1. speed: ms per lexical search (pool 50) on the Multi-News index built by check_latency.py, and the
   overlap of its top 10 / top 50 with the full query's;
2. quality, training side only: recall@8 of the fused retrieval (the claim's own evidence text among
   the 8 cited sentences) for the tuning-set claims that have evidence, on an index of every tuning
   text (fever_paper_test + scifact_train of ../shared/data/nli-train; built at runs/tune/all-texts.db
   on first use, a few minutes).

Usage: python benchmarks/lexical_pruning.py [--shares 0.05 0.02 0.01] [--claims 200]
Run it on an idle machine: it measures wall time. Writes benchmarks/results/lexical_pruning.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.multinews import multi_news
from factcheck.core.ingest import Indexer
from factcheck.core.retrieve import Retriever, lexical_query
from factcheck.core.types import Article, Filters
from factcheck.evaluation.tuning import article_ids, tuning_claims
from factcheck.inference.embed import Embedder
from factcheck.store.sqlite import SQLiteStore

MIN_TERMS = 3
POOL = 50


class Pruner:
    """Sentence counts per term (one FTS5 count query each, cached) and the pruned query."""

    def __init__(self, store: SQLiteStore):
        self.store = store
        self.counts: dict[str, int] = {}
        self.sentences = store.stats()["sentences"]

    def count(self, term: str) -> int:
        if term not in self.counts:
            self.counts[term] = self.store.connection().execute(
                "SELECT count(*) FROM sentence_fts WHERE sentence_fts MATCH ?", ('"' + term + '"',)).fetchone()[0]
        return self.counts[term]

    def query(self, claim: str, share: float | None) -> str:
        terms = lexical_query(claim).split()
        if share is None or len(terms) <= MIN_TERMS:
            return " ".join(terms)
        rarest = set(sorted(terms, key=self.count)[:MIN_TERMS])
        return " ".join(t for t in terms if self.count(t) <= share * self.sentences or t in rarest)


def speed(index: Path, claims: list[str], shares: list[float | None]) -> list[dict]:
    store = SQLiteStore(index)
    pruner = Pruner(store)
    full = [[i for i, _ in store.lexical_search(pruner.query(c, None), Filters(), POOL)] for c in claims]
    rows = []
    for share in shares:
        queries = [pruner.query(c, share) for c in claims]  # counts cached before timing
        samples, found = [], []
        for query in queries:
            started = time.perf_counter()
            found.append([i for i, _ in store.lexical_search(query, Filters(), POOL)])
            samples.append((time.perf_counter() - started) * 1000)
        rows.append({"share": share, "lexical_p50_ms": round(statistics.median(samples), 2),
                     "lexical_mean_ms": round(statistics.mean(samples), 2),
                     "terms_mean": round(statistics.mean(len(q.split()) for q in queries), 1),
                     "top10_overlap": round(float(np.mean([len(set(a[:10]) & set(b[:10])) / max(1, len(a[:10]))
                                                            for a, b in zip(full, found)])), 4),
                     "top50_overlap": round(float(np.mean([len(set(a) & set(b)) / max(1, len(a))
                                                            for a, b in zip(full, found)])), 4)})
    return rows


def tuning_index(path: Path, embedder: Embedder) -> tuple[SQLiteStore, list, dict[str, str]]:
    claims, texts = tuning_claims(ROOT.parent / "shared/data/nli-train", general=False)
    article_id = article_ids(texts)
    store = SQLiteStore(path)
    if store.stats()["articles"] < len(texts):
        Indexer(store, embedder).upsert_chunked(
            [Article(id=a, title="", text=t, source="tuning") for t, a in article_id.items()], 200,
            lambda done, _: print(f"indexed {done}/{len(texts)}", file=sys.stderr, flush=True))
    return store, [c for c in claims if c.gold != "neutral"], article_id


def recall(store: SQLiteStore, claims: list, article_id: dict[str, str], embedder: Embedder,
           shares: list[float | None]) -> list[dict]:
    retriever, pruner = Retriever(store), Pruner(store)
    vectors = embedder.encode([c.claim for c in claims], batch_size=1)
    rows = []
    for share in shares:
        found: dict[str, list[bool]] = {}
        for claim, vector in zip(claims, vectors):
            lexical = store.lexical_search(pruner.query(claim.claim, share), Filters(), POOL)
            hits = retriever._fused(lexical, store.dense_search(vector, Filters(), POOL), 8)
            own = {article_id[t] for t in claim.own_texts}
            found.setdefault(claim.source, []).append(any(h.article_id in own for h in hits))
        rows.append({"share": share, **{f"recall@8_{s}": round(float(np.mean(v)), 4) for s, v in found.items()},
                     **{f"claims_{s}": len(v) for s, v in found.items()}})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--index", default=str(ROOT / "runs/bench/multi-news.db"))
    parser.add_argument("--tuning-index", default=str(ROOT / "runs/tune/all-texts.db"))
    parser.add_argument("--shares", type=float, nargs="+", default=[0.05, 0.02, 0.01])
    parser.add_argument("--claims", type=int, default=200)
    args = parser.parse_args()
    if not Path(args.index).is_file():
        raise SystemExit(f"no index at {args.index}: run benchmarks/check_latency.py first (it builds it)")
    shares = [None, *args.shares]
    _, claims = multi_news(None)
    embedder = Embedder(ROOT / "models/embed", threads=2)
    result = {"multi_news": speed(Path(args.index), claims[: args.claims], shares)}
    store, tuning, article_id = tuning_index(Path(args.tuning_index), embedder)
    result["tuning"] = recall(store, tuning, article_id, embedder, shares)
    print(f"{'share':>6} {'lexical p50 ms':>15} {'terms':>6} {'top10 overlap':>14} {'top50 overlap':>14}"
          f" {'FEVER recall@8':>15} {'SciFact recall@8':>17}")
    for speed_row, recall_row in zip(result["multi_news"], result["tuning"]):
        print(f"{speed_row['share'] or 'all'!s:>6} {speed_row['lexical_p50_ms']:>15} {speed_row['terms_mean']:>6}"
              f" {speed_row['top10_overlap']:>14} {speed_row['top50_overlap']:>14}"
              f" {recall_row.get('recall@8_fever', '-'):>15} {recall_row.get('recall@8_scifact', '-'):>17}")
    out = ROOT / "benchmarks/results/lexical_pruning.json"
    out.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
