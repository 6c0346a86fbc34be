"""Aggregate: turn per-sentence NLI probabilities into one verdict, a confidence and an order.

The rule (documented in the README; the numbers are the model's DecisionRule, see decision.py):
- S = the highest support probability among the sentences that can count for support (about the
  claim, no quantity stated differently), C = the highest contradict probability among the
  sentences about the claim.
- If S does not reach the rule's support threshold and C does not reach its contradict threshold,
  the verdict is neutral with confidence 1 - max(S, C).
- Otherwise the side that reaches its threshold wins (the larger probability when both do), with
  confidence = its probability; when both reach theirs the result is flagged ``conflict`` and both
  sides stay cited.
- Evidence is ordered by the probability of the verdict's label (retrieval score for neutral), so
  the first citation is the one that decides the verdict most.
"""

from __future__ import annotations

from collections.abc import Sequence

from factcheck.core.decision import DEFAULT_RULE, DecisionRule
from factcheck.core.types import Evidence, Verdict


def aggregate(evidence: Sequence[Evidence], rule: DecisionRule = DEFAULT_RULE) -> Verdict:
    # no counted sentence: S = C = 0, so the neutral branch answers with confidence 1.0
    support = max((rule.weight(e, "support") for e in evidence), default=0.0)
    contradict = max((rule.weight(e, "contradict") for e in evidence), default=0.0)
    passing = {side: p for side, p in (("support", support), ("contradict", contradict)) if p >= rule.threshold(side)}
    if not passing:
        ordered = sorted(evidence, key=lambda e: -e.hit.retrieval_score)
        return Verdict("neutral", round(1.0 - max(support, contradict), 4), ordered, False)
    verdict = max(passing, key=lambda side: passing[side])
    other = "contradict" if verdict == "support" else "support"
    ordered = sorted(evidence, key=lambda e: (-rule.weight(e, verdict), -rule.weight(e, other)))
    return Verdict(verdict, round(passing[verdict], 4), ordered, len(passing) == 2)
