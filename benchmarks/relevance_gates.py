"""Which relevance gate decides best which sentences count: the embedding cosine alone, the cosine OR
the share of the claim's content words the sentence contains (relevance.overlap), or the cosine plus
a weight times that share, OR the share alone. Measured on the training-side tuning set of `factcheck calibrate` (never eval/),
with every sentence scored, so each rule is judged without running the model again.

For each family the grid's best rule by macro-F1 is chosen in sample and, as `factcheck calibrate`
reports it, on one half of the claims and scored on the other (`cross_validated`, two folds by claim;
ECE of the calibration fitted on the other half). A family can only beat the other honestly in the
cross-validated columns.

Judged on session 8's form of the tuning set, with every claim's without-evidence check; since
session 9 `factcheck calibrate` leaves FEVER's out (`tuning.calibration_checks`, see
benchmarks/negative_checks.py), so these numbers are not those of the shipped rule's choice.

Usage: python benchmarks/relevance_gates.py [--fever-limit N] [--checks FILE]
The checks come from benchmarks/tuning_errors.py's pickle (made on first use, ~15 min for the whole
set). Writes benchmarks/results/relevance_gates.json.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from tuning_errors import load_checks

from factcheck.core.relevance import overlap
from factcheck.evaluation.tuning import candidate_rules, choose_rule, cross_validated, scores


def with_overlap(checks):
    """Checks pickled before Evidence had ``overlap`` get it computed from their claim and sentence."""
    for check in checks:
        check.evidence = [replace(e, overlap=overlap(check.claim, e.hit.text)) for e in check.evidence]
    return checks


def report(checks, rules=None) -> dict:
    """The grid's (or ``rules``') best rule on ``checks``: in sample and cross-validated."""
    rule = choose_rule(checks, rules=rules)
    chosen = scores(rule, checks)
    return {"rule": rule.numbers(),
            "in_sample": {"macro_f1": chosen["macro_f1"], "accuracy": chosen["accuracy"],
                          **chosen["accuracy_by_source"]},
            "cross_validated": cross_validated(checks, rules)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--fever-limit", type=int, default=None)
    parser.add_argument("--checks", type=Path, default=None)
    args = parser.parse_args()
    default = ROOT / f"runs/tune/checks-{args.fever_limit or 'all'}.pkl"
    _, checks, _ = load_checks(args.checks or default, args.fever_limit)
    checks = with_overlap(checks)
    every = candidate_rules()
    families = {"cosine gate": [r for r in every if r.min_overlap is None and r.overlap_weight == 0],
                "cosine or overlap gate": [r for r in every if r.overlap_weight == 0],
                "cosine + weight x overlap, or overlap gate": every}
    result = {"checks": len(checks), **{name: report(checks, rules) for name, rules in families.items()}}
    for name in families:
        r = result[name]
        print(f"{name}: rule {r['rule']}\n  in sample {r['in_sample']}\n  cross-validated {r['cross_validated']}")
    out = ROOT / "benchmarks/results/relevance_gates.json"
    out.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
