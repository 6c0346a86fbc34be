"""How many sentences must agree before a side wins: the shipped rule with a minimum of 1 (shipped), 2
or 3 distinct sentences counting for support (or contradict) before that side can be the verdict,
judged on the training-side tuning set of `factcheck calibrate` (never eval/), every sentence scored.

Usage: python benchmarks/agreeing_sentences.py [--checks FILE]
Reads benchmarks/tuning_errors.py's pickle; writes benchmarks/results/agreeing_sentences.json.
"""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from tuning_errors import shipped_rule_checks

from factcheck.core.aggregate import aggregate
from factcheck.evaluation.tuning import macro_f1


def verdict(evidence, rule, minimum: int) -> str:
    """The shipped verdict, with a side whose counting sentences are fewer than ``minimum`` left out."""
    for side in ("support", "contradict"):
        if sum(rule.counts(e, side) for e in evidence) < minimum:
            evidence = [replace(e, probabilities={**e.probabilities, side: 0.0}) if e.probabilities else e
                        for e in evidence]
    return aggregate(evidence, rule).verdict


def main() -> None:
    checks, rule = shipped_rule_checks(__doc__)
    gold = [c.gold for c in checks]
    out = {}
    for minimum in (1, 2, 3):
        predicted = [verdict(c.evidence, rule, minimum) for c in checks]
        by_source = {s: round(sum(p == c.gold for p, c in zip(predicted, checks) if c.source == s)
                              / sum(c.source == s for c in checks), 4) for s in ("fever", "scifact")}
        out[minimum] = {"macro_f1": round(macro_f1(gold, predicted), 4), **by_source}
    print(json.dumps(out, indent=1))
    (ROOT / "benchmarks/results/agreeing_sentences.json").write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()
