"""When strong evidence points both ways, which side should the verdict take? Measured on the
training-side tuning set of `factcheck calibrate` (never eval/), every sentence scored by the shipped
model, judged with its shipped decision rule (models/nli/decision_rule.json).

aggregate.py answers the side whose best sentence has the larger probability (and flags the
conflict). The variants, each without a parameter of its own:
- probability: that rule (shipped);
- about: the side whose best sentence is more about the claim (the rule's gate score: relevance +
  overlap_weight x word overlap), the larger probability on a tie;
- product: the side with the larger probability x gate score of its best sentence;
- support, contradict: that side always (session 15).

Usage: python benchmarks/conflict_sides.py [--checks FILE]
The checks come from benchmarks/tuning_errors.py's pickle. Writes benchmarks/results/conflict_sides.json.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from tuning_errors import shipped_rule_checks

from factcheck.core.aggregate import SIDES, strength
from factcheck.core.decision import DecisionRule


def best(evidence, rule: DecisionRule, side: str):
    """The sentence that counts most for ``side`` and its weight."""
    return max(((rule.weight(e, side), e) for e in evidence), key=lambda t: t[0], default=(0.0, None))


def side(variant: str, tops: dict, rule: DecisionRule) -> str:
    if variant == "probability":
        return max(SIDES, key=lambda s: tops[s][0])
    if variant in SIDES:
        return variant
    if variant == "about":
        return max(SIDES, key=lambda s: (round(rule.closeness(tops[s][1].relevance, tops[s][1].overlap), 4), tops[s][0]))
    return max(SIDES, key=lambda s: strength(tops[s][1], s, rule))  # what aggregate does


def main() -> None:
    checks, rule = shipped_rule_checks(__doc__)
    right: dict[str, Counter] = {v: Counter() for v in ("probability", "about", "product", *SIDES)}
    conflicts, gold_sides = Counter(), Counter()
    for check in checks:
        tops = {s: best(check.evidence, rule, s) for s in SIDES}
        if not all(tops[s][0] >= rule.threshold(s) for s in SIDES):
            continue
        conflicts[check.source] += 1
        gold_sides[f"{check.source}: gold {check.gold}"] += 1
        for variant, counter in right.items():
            counter[check.source] += side(variant, tops, rule) == check.gold
    result = {"checks": len(checks), "conflicts": dict(conflicts), "gold": dict(gold_sides),
              "right": {v: dict(c) for v, c in right.items()}}
    print(json.dumps(result, indent=1))
    (ROOT / "benchmarks/results/conflict_sides.json").write_text(json.dumps(result, indent=1) + "\n")


if __name__ == "__main__":
    main()
