"""Candidate pool size and fusion weights of retrieval (retrieve.py: top ``pool`` of BM25 and of the
dense search, fused by reciprocal rank), measured by own-evidence recall on the training-side tuning
set of `factcheck calibrate` (never eval/): the pool's FEVER and SciFact evidence texts indexed through
the service's ingest path, every tuning claim with a support or contradict gold label searched once
per retriever (the largest pool), and each variant fused offline as Retriever._fused does, repeated
sentences cited once.

Usage: python benchmarks/retrieval_fusion.py [--index FILE]
The index (~2 min to build) is kept at --index (default runs/tune/fusion.db) and reused.
Writes benchmarks/results/retrieval_fusion.json.
"""

from __future__ import annotations

import argparse
import json
import sys
from itertools import product
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from factcheck.core.ingest import Indexer
from factcheck.core.retrieve import Retriever, lexical_query, reciprocal_rank_fusion
from factcheck.core.types import Article, Filters
from factcheck.evaluation.tuning import article_ids, tuning_claims
from factcheck.inference.embed import Embedder
from factcheck.inference.runtime import ALONE
from factcheck.store.sqlite import SQLiteStore

POOL = ROOT.parent / "shared/data/nli-train"
POOLS = (20, 50, 100)
WEIGHTS = {"1:1 (shipped)": (1.0, 1.0), "BM25 alone": (1.0, 0.0), "dense alone": (0.0, 1.0),
           "0.5:1": (0.5, 1.0), "1:0.5": (1.0, 0.5)}
K = 60
KS = (5, 8)


def fused(lexical: list[int], dense: list[int], pool: int, weights: tuple[float, float]) -> list[int]:
    """Retriever._fused's ranking with per-retriever weights (a retriever weighted 0 proposes nothing)."""
    scores = reciprocal_rank_fusion([lexical[:pool], dense[:pool]], K, weights)
    return sorted((i for i, s in scores.items() if s > 0), key=lambda i: -scores[i])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--index", type=Path, default=ROOT / "runs/tune/fusion.db")
    args = parser.parse_args()
    claims, texts = tuning_claims(POOL, general=False)
    article_id = article_ids(texts)
    args.index.parent.mkdir(parents=True, exist_ok=True)
    store, embedder = SQLiteStore(args.index), Embedder(str(ROOT / "models/embed"))
    if store.stats().get("articles", 0) < len(texts):
        Indexer(store, embedder).upsert_chunked(
            [Article(id=aid, title="", text=text, source="tuning") for text, aid in article_id.items()], 100,
            lambda done, _: print(f"indexed {done}/{len(texts)}", file=sys.stderr, flush=True) if done % 500 == 0 else None)
    decided = [c for c in claims if c.gold != "neutral"]
    vectors = embedder.encode([c.claim for c in decided], batch_size=ALONE)
    found = {}  # (source, claim index) -> (lexical ids, dense ids, own article ids)
    for n, (claim, vector) in enumerate(zip(decided, vectors)):
        lexical = [i for i, _ in store.lexical_search(lexical_query(claim.claim), Filters(), max(POOLS))]
        dense = [i for i, _ in store.dense_search(vector, Filters(), max(POOLS))]
        found[n] = (claim.source, lexical, dense, {article_id[t] for t in claim.own_texts})
    hits = store.hits(sorted({i for _, lex, den, _ in found.values() for i in lex + den}))
    table = {}
    for pool, (name, weights) in product(POOLS, WEIGHTS.items()):
        right = {(s, k): 0 for s in ("fever", "scifact") for k in KS}
        for source, lexical, dense, own in found.values():
            chosen = Retriever._distinct(fused(lexical, dense, pool, weights), hits, max(KS))
            for k in KS:
                right[(source, k)] += any(hits[i].article_id in own for i in chosen[:k])
        counts = {s: sum(1 for v in found.values() if v[0] == s) for s in ("fever", "scifact")}
        table[f"pool {pool}, {name}"] = {f"{s} recall@{k}": round(right[(s, k)] / counts[s], 4)
                                         for s in ("fever", "scifact") for k in KS}
    print(f"claims: {len(found)} ({', '.join(f'{s} {sum(1 for v in found.values() if v[0] == s)}' for s in ('fever', 'scifact'))})")
    for name, row in table.items():
        print(f"{name:28s} " + "  ".join(f"{k} {v:.4f}" for k, v in row.items()))
    (ROOT / "benchmarks/results/retrieval_fusion.json").write_text(
        json.dumps({"claims": len(found), "k": K, "variants": table}, indent=1) + "\n")


if __name__ == "__main__":
    main()
