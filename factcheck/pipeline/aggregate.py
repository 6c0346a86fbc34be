"""Aggregate: turn per-sentence NLI probabilities into one verdict, a confidence and an order.

The rule (documented in the README; the numbers are the model's DecisionRule, see decision.py):
- S = the highest support probability among the sentences that can count for support (about the
  claim, no quantity stated differently), C = the highest contradict probability among the
  sentences about the claim.
- If S does not reach the rule's support threshold and C does not reach its contradict threshold,
  the verdict is neutral with confidence 1 - max(S, C).
- Otherwise the side that reaches its threshold wins, with confidence = its probability. When both
  reach theirs, the result is flagged ``conflict``, both sides stay cited, and the side whose best
  sentence has the larger probability x closeness to the claim (DecisionRule.closeness) wins: a
  sentence that is only loosely about the claim does not outvote one that states it. (On the
  tuning set's 95 conflicts this got 70 right against 68 for the larger probability alone:
  docs/decisions/0060-which-side-wins-a-conflict.md.)
- Evidence is ordered by how strongly it backs the verdict: the probability of the verdict's label x
  closeness to the claim, the measure that decides a conflict (retrieval score for neutral), so the
  first citation is the one that decides the verdict most. (On the tuning set the first citation of a
  right answer is the claim's own evidence 0.920 of the time against 0.891 by the probability alone:
  docs/decisions/0067-evidence-order-probability-closeness.md.)
"""

from __future__ import annotations

from collections.abc import Sequence

from factcheck.pipeline.decision import DEFAULT_RULE, DecisionRule
from factcheck.records import SIDES, Evidence, Label, Verdict


def strength(evidence: Evidence, side: Label, rule: DecisionRule) -> float:
    """How strongly a sentence backs ``side``: its weight for it (decision.py) x its closeness to the claim."""
    return rule.weight(evidence, side) * rule.closeness(evidence.relevance, evidence.overlap)


def aggregate(evidence: Sequence[Evidence], rule: DecisionRule = DEFAULT_RULE) -> Verdict:
    # no counted sentence: S = C = 0, so the neutral branch answers with confidence 1.0
    if not evidence:
        return Verdict(Label.NEUTRAL, 1.0, [], False)
    best = {side: max(evidence, key=lambda e: rule.weight(e, side)) for side in SIDES}
    weight = {side: rule.weight(e, side) for side, e in best.items()}
    passing = [side for side in SIDES if weight[side] >= rule.threshold(side)]
    if not passing:
        ordered = sorted(evidence, key=lambda e: -e.hit.retrieval_score)
        return Verdict(Label.NEUTRAL, round(1.0 - max(weight.values()), 4), ordered, False)
    verdict = max(passing, key=lambda side: strength(best[side], side, rule))
    ordered = sorted(evidence, key=lambda e: (-strength(e, verdict, rule), -strength(e, verdict.opposite, rule)))
    return Verdict(verdict, round(weight[verdict], 4), ordered, len(passing) == 2)
