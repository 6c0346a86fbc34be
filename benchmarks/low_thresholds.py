"""Should the decision rule's grid go below 0.5? Measured on the training-side tuning set of
`factcheck calibrate` (never eval/), offline: the grid of `factcheck calibrate` against the same grid
with support and contradict thresholds of 0.35, 0.4 and 0.45 added, each choosing its best rule in
sample and cross-validated over two halves of the claims.

Why: with NLI model v4 `factcheck calibrate` chose support 0.5 and contradict 0.5, both at the grid's
lower edge, so the best rule may lie outside the grid. Under 0.5 a sentence can count for both sides
(it takes the larger, ``DecisionRule.label``). The present grid's rules come first, so a tie keeps them.

Usage: python benchmarks/low_thresholds.py [--checks runs/tune/checks-all-v5.pkl]
The pickle must have been scored by the shipped model (benchmarks/tuning_errors.py makes it).
Writes benchmarks/results/low_thresholds.json.
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from relevance_gates import report
from tuning_errors import shipped_rule_checks

from factcheck.evaluation.tuning import RULE_GRID, candidate_rules

LOW = (0.35, 0.4, 0.45)


def extended_grid() -> list:
    """The present grid, then every rule of it with a support or contradict threshold from ``LOW``
    (and the other from the grid or ``LOW``)."""
    grid = candidate_rules()
    lower = [replace(rule, support=s, contradict=c)
             for rule in grid if rule.support == RULE_GRID["support"][0] and rule.contradict == RULE_GRID["contradict"][0]
             for s in LOW + RULE_GRID["support"] for c in LOW + RULE_GRID["contradict"] if s in LOW or c in LOW]
    return grid + lower


def main() -> None:
    checks, shipped = shipped_rule_checks(__doc__)
    result = {"checks": len(checks), "shipped rule": {"support": shipped.support, "contradict": shipped.contradict}}
    for name, rules in (("present grid", candidate_rules()), ("with 0.35-0.45", extended_grid())):
        started = time.perf_counter()
        result[name] = {"rules": len(rules), **report(checks, rules)}
        print(name, json.dumps(result[name]), f"({time.perf_counter() - started:.0f} s)", flush=True)
    (ROOT / "benchmarks/results/low_thresholds.json").write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
