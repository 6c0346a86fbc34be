"""Verify: run the NLI model over (evidence sentence, claim) pairs, all pairs in one batch."""

from __future__ import annotations

from typing import Sequence

import numpy as np

from factcheck.core.types import Evidence, SentenceHit
from factcheck.inference.nli import NLIModel

# NLI label -> the service's evidence label
LABEL_NAMES = ("support", "neutral", "contradict")  # column order of NLIModel.predict


def premise(hit: SentenceHit, with_title: bool) -> str:
    """The premise shown to the model: the sentence, optionally after its article's title."""
    if with_title and hit.title and hit.title.strip() != hit.text.strip():
        return f"{hit.title.strip()}. {hit.text}"
    return hit.text


def to_evidence(hit: SentenceHit, probs: np.ndarray) -> Evidence:
    probabilities = {name: round(float(p), 4) for name, p in zip(LABEL_NAMES, probs)}
    return Evidence(hit, LABEL_NAMES[int(np.argmax(probs))], probabilities)


def verify_many(model: NLIModel, claims: Sequence[str], hits: Sequence[Sequence[SentenceHit]],
                with_title: bool = False) -> list[list[Evidence]]:
    """Label every retrieved sentence of every claim with one batched ``predict`` call."""
    pairs = [(premise(hit, with_title), claim) for claim, group in zip(claims, hits) for hit in group]
    probs = model.predict(pairs) if pairs else np.zeros((0, 3), dtype=np.float32)
    out, row = [], 0
    for group in hits:
        out.append([to_evidence(hit, probs[row + i]) for i, hit in enumerate(group)])
        row += len(group)
    return out
