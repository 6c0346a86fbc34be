"""Aggregate: turn per-sentence NLI probabilities into one verdict, a confidence and an order.

The rule (documented in the README):
- Only sentences about the claim count (relevance ≥ MIN_RELEVANCE, see verify.py): S = the highest
  support probability among them, C = the highest contradict one.
- If neither reaches ``threshold`` (0.5: the model gives that side the majority of its mass), the
  verdict is neutral with confidence 1 - max(S, C).
- Otherwise the larger side wins with confidence = its probability; if the other side also reaches
  the threshold the result is flagged ``conflict`` and both sides stay cited.
- Evidence is ordered by the probability of the verdict's label (retrieval score for neutral), so
  the first citation is the one that decides the verdict most.

The threshold is a fixed prior choice (majority of probability mass), not tuned on any eval set.
"""

from __future__ import annotations

from typing import Sequence

from factcheck.core.types import Evidence, Verdict
from factcheck.core.verify import MIN_RELEVANCE

DEFAULT_THRESHOLD = 0.5


def aggregate(evidence: Sequence[Evidence], threshold: float = DEFAULT_THRESHOLD) -> Verdict:
    counted = [e for e in evidence if e.relevance >= MIN_RELEVANCE]
    # no counted sentence: S = C = 0, so the neutral branch answers with confidence 1.0
    support = max((e.probabilities["support"] for e in counted), default=0.0)
    contradict = max((e.probabilities["contradict"] for e in counted), default=0.0)
    if max(support, contradict) < threshold:
        ordered = sorted(evidence, key=lambda e: -e.hit.retrieval_score)
        return Verdict("neutral", round(1.0 - max(support, contradict), 4), ordered, False)
    verdict, other = ("support", "contradict") if support >= contradict else ("contradict", "support")
    ordered = sorted(evidence, key=lambda e: (-e.probabilities[verdict], -e.probabilities[other]))
    conflict = min(support, contradict) >= threshold
    return Verdict(verdict, round(max(support, contradict), 4), ordered, conflict)
