"""Evidence recall@8 on the tuning set's FEVER and SciFact parts for each max_term_share of NOTE.md."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from factcheck.pipeline.retrieve import RetrievalSettings, Retriever
from factcheck.records import Filters
from factcheck_lab.evaluation.tuning_index import indexed_tuning_claims

CANDIDATES = (1.0, 0.2, 0.1, 0.05, 0.02, 0.01)
TOP_K = 8


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--index", type=Path, default=None, help="keep the tuning index in this file")
    args = parser.parse_args()
    indexed = indexed_tuning_claims(args.index)
    pipeline, ids, with_evidence, vectors = indexed.pipeline, indexed.ids, indexed.claims, indexed.vectors
    result: dict = {"claims": {}, "recall@8": {}}
    for share in CANDIDATES:
        retriever = Retriever(pipeline.store, RetrievalSettings(max_term_share=share))
        found: dict[str, list[bool]] = {}
        for claim, vector in zip(with_evidence, vectors, strict=True):
            own = {ids[t] for t in claim.own_texts}
            hits = retriever.retrieve(claim.claim, vector, Filters(), TOP_K)
            found.setdefault(claim.source, []).append(any(h.article_id in own for h in hits))
        result["claims"] = {source: len(hits) for source, hits in found.items()}
        result["recall@8"][str(share)] = {source: round(sum(h) / len(h), 4) for source, h in found.items()}
        print(share, result["recall@8"][str(share)], file=sys.stderr, flush=True)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
