"""Evidence recall@8 on the tuning set's FEVER and SciFact parts with lexical search on impact-ordered
postings, for each budget of NOTE.md (best postings read per query term; None: all of them)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from factcheck.pipeline.retrieve import Retriever
from factcheck.records import Filters
from factcheck_lab.evaluation.tuning_index import indexed_tuning_claims

BUDGETS = (None, 1000, 250, 100)
TOP_K = 8


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--index", type=Path, default=None, help="keep the tuning index in this file")
    parser.add_argument("--budgets", nargs="+", default=[str(b) for b in BUDGETS], help="None: every posting")
    args = parser.parse_args()
    indexed = indexed_tuning_claims(args.index)
    pipeline, ids, with_evidence, vectors = indexed.pipeline, indexed.ids, indexed.claims, indexed.vectors
    retriever = Retriever(pipeline.store)
    result: dict = {"claims": {}, "recall@8": {}, "lexical recall@50": {}}
    for budget in [None if b == "None" else int(b) for b in args.budgets]:
        pipeline.store._lexical.per_term = budget  # type: ignore[attr-defined]  # None: every posting
        found: dict[str, list[bool]] = {}
        lexical: dict[str, list[bool]] = {}
        for claim, vector in zip(with_evidence, vectors, strict=True):
            own = {ids[t] for t in claim.own_texts}
            hits = retriever.retrieve(claim.claim, vector, Filters(), TOP_K)
            found.setdefault(claim.source, []).append(any(h.article_id in own for h in hits))
            candidates = pipeline.store.hits([i for i, _ in retriever._lexical(claim.claim, Filters())])
            lexical.setdefault(claim.source, []).append(any(h.article_id in own for h in candidates.values()))
        result["claims"] = {source: len(hits) for source, hits in found.items()}
        result["recall@8"][str(budget)] = {source: round(sum(h) / len(h), 4) for source, h in found.items()}
        result["lexical recall@50"][str(budget)] = {s: round(sum(h) / len(h), 4) for s, h in lexical.items()}
        print(budget, result["recall@8"][str(budget)], result["lexical recall@50"][str(budget)], file=sys.stderr)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
