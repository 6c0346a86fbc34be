"""Should support have a lower relevance gate than contradiction? Measured on the training-side tuning
set of `factcheck calibrate` (never eval/), offline: the grid of `factcheck calibrate` against the same
grid with a fifth dimension, ``support_gate_offset`` (support's gate = min_relevance - offset), each
choosing its best rule in sample and cross-validated over two halves of the claims.

The model calls related but silent text a contradiction far more often than it calls it support, and
the gate is there for that bias; this measures whether support needs it as high.

Usage: python benchmarks/support_gate.py [--checks runs/tune/checks-all-v3.pkl]
Writes benchmarks/results/support_gate.json.
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import asdict, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from tuning_errors import shipped_rule_checks

from factcheck.evaluation.tuning import candidate_rules, choose_rule, cross_validated, scores

OFFSETS = (0.0, 0.05, 0.1, 0.15, 0.2)


def report(checks, rules) -> dict:
    started = time.perf_counter()
    rule = choose_rule(checks, rules=rules)
    chosen = scores(rule, checks)
    out = {"rules": len(rules), "rule": {k: v for k, v in asdict(rule).items() if k != "chosen_on"},
           "in_sample": {"macro_f1": chosen["macro_f1"], "accuracy": chosen["accuracy"], **chosen["accuracy_by_source"]},
           "cross_validated": cross_validated(checks, rules)}
    print(json.dumps(out), f"({time.perf_counter() - started:.0f} s)", flush=True)
    return out


def main() -> None:
    checks, _ = shipped_rule_checks(__doc__)
    grid = candidate_rules()
    extended = [replace(rule, support_gate_offset=d) for d in OFFSETS for rule in grid]  # offset 0 first: ties keep it
    result = {"checks": len(checks), "present grid": report(checks, grid),
              "with support_gate_offset": report(checks, extended)}
    (ROOT / "benchmarks/results/support_gate.json").write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
