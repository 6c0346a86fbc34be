"""The tuning set's FEVER and SciFact claims with evidence, their texts indexed as the service indexes
articles: what the retrieval experiments (``lab/experiments/``) measure evidence recall on."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from factcheck.inference.runtime import ALONE
from factcheck.pipeline.checker import CheckSettings
from factcheck.records import Article
from factcheck.settings import PROJECT_ROOT, Settings
from factcheck_lab.evaluation.pipeline import EvalPipeline
from factcheck_lab.evaluation.tuning import TuningClaim, article_ids, tuning_claims


@dataclass
class IndexedClaims:
    pipeline: EvalPipeline
    ids: dict[str, str]  # article id per indexed text
    claims: list[TuningClaim]  # the claims with evidence (gold support or contradict)
    vectors: np.ndarray  # their embeddings, one per claim


def indexed_tuning_claims(index: Path | None) -> IndexedClaims:
    """Index the tuning texts (into ``index``, kept, or a temporary file) and embed the claims."""
    settings = Settings.from_env()
    claims, texts = tuning_claims(PROJECT_ROOT.parent / "shared/data/nli-train", general=False)
    pipeline = EvalPipeline(settings.nli_model, settings.embed_model, CheckSettings(calibrate=False), index)
    ids = article_ids(texts)
    pipeline.index(
        [Article(id=aid, title="", text=text, source="tuning") for text, aid in ids.items()],
        lambda m: print(m, file=sys.stderr),
    )
    with_evidence = [c for c in claims if c.gold in ("support", "contradict")]
    vectors = pipeline.checker.embedder.encode([c.claim for c in with_evidence], batch_size=ALONE)
    return IndexedClaims(pipeline, ids, with_evidence, vectors)
