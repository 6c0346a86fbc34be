"""Aggregate: turn per-sentence NLI probabilities into one verdict, a confidence and an order.

The rule (documented in the README):
- Only sentences about the claim count (relevance ≥ MIN_RELEVANCE, see verify.py): S = the highest
  support probability among them, C = the highest contradict one. A sentence that states one of the
  claim's quantities differently (number, year, weekday, month: see mismatch.py) adds nothing to S.
- If neither reaches ``threshold`` (0.5: the model gives that side the majority of its mass), the
  verdict is neutral with confidence 1 - max(S, C).
- Otherwise the larger side wins with confidence = its probability; if the other side also reaches
  the threshold the result is flagged ``conflict`` and both sides stay cited.
- Evidence is ordered by the probability of the verdict's label (retrieval score for neutral), so
  the first citation is the one that decides the verdict most.

The threshold is a fixed prior choice (majority of probability mass), not tuned on any eval set.
"""

from __future__ import annotations

from collections.abc import Sequence

from factcheck.core.types import Evidence, Verdict
from factcheck.core.verify import MIN_RELEVANCE

DEFAULT_THRESHOLD = 0.5


def weight(evidence: Evidence, label: str) -> float:
    """How much a sentence backs ``label``: its probability, or 0 when it does not count for it
    (not about the claim, or a support that states a quantity differently)."""
    if evidence.relevance < MIN_RELEVANCE or (label == "support" and evidence.mismatch):
        return 0.0
    return evidence.probabilities[label]


def aggregate(evidence: Sequence[Evidence], threshold: float = DEFAULT_THRESHOLD) -> Verdict:
    # no counted sentence: S = C = 0, so the neutral branch answers with confidence 1.0
    support = max((weight(e, "support") for e in evidence), default=0.0)
    contradict = max((weight(e, "contradict") for e in evidence), default=0.0)
    if max(support, contradict) < threshold:
        ordered = sorted(evidence, key=lambda e: -e.hit.retrieval_score)
        return Verdict("neutral", round(1.0 - max(support, contradict), 4), ordered, False)
    verdict, other = ("support", "contradict") if support >= contradict else ("contradict", "support")
    ordered = sorted(evidence, key=lambda e: (-weight(e, verdict), -weight(e, other)))
    conflict = min(support, contradict) >= threshold
    return Verdict(verdict, round(max(support, contradict), 4), ordered, conflict)
