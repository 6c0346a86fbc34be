"""Should each part of the tuning set weigh the same in the confidence map's fit? With the general-prose
part (session 15) more than half of the checks are general prose; an eval set is one source and the
ECE bar is per set, so a map shaped by the largest part may not carry to the others. Measured on the
training-side tuning set of `factcheck calibrate` (never eval/), under the shipped rule: the logistic
map of calibration.py fitted as `factcheck calibrate` fits it, and fitted with each check weighted
1 / (checks of its part in the fit), cross-validated over two halves of the claims; ECE per part and
pooled.

With --inputs: instead, the map fitted as now with one more input each time (session 12's inputs of
benchmarks/calibration_features.py, and log of the first cited sentence's length in words), L2 penalty
as shipped; ECE per part (session 15). Writes benchmarks/results/calibration_inputs.json.

Usage: python benchmarks/calibration_balance.py --checks runs/tune/checks-all-v5.pkl [--inputs]
(the pickle of benchmarks/tuning_errors.py and its *-general.pkl, made by benchmarks/general_neutral.py
on first use). Writes benchmarks/results/calibration_balance.json.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from calibration_features import Map, extra_inputs
from general_neutral import three_parts

from factcheck.core.aggregate import aggregate
from factcheck.core.calibration import L2_PENALTY, LogisticCalibration, expected_calibration_error
from factcheck.core.decision import RULE_FILE, DecisionRule


def part_weights(checks: list) -> list[float]:
    """1 / (checks of the same part): every part weighs the same in total."""
    counts = Counter(c.source for c in checks)
    return [1.0 / counts[c.source] for c in checks]


def cross_validated_ece(checks: list, rule: DecisionRule, balanced: bool) -> dict:
    """Fit on one half of the claims, score the other; ECE per part and pooled."""
    scored: list[tuple[str, float, bool]] = []
    for fold in (0, 1):
        train = [c for c in checks if c.group % 2 != fold]
        verdicts = [aggregate(c.evidence, rule) for c in train]
        correct = [v.verdict == c.gold for v, c in zip(verdicts, train)]
        calibration = LogisticCalibration.fit(verdicts, [c.claim for c in train], correct,
                                              sample_weight=part_weights(train) if balanced else None)
        for check in (c for c in checks if c.group % 2 == fold):
            verdict = aggregate(check.evidence, rule)
            scored.append((check.source, calibration.score(verdict, check.claim), verdict.verdict == check.gold))
    return per_part_ece(scored)


def per_part_ece(scored: list[tuple[str, float, bool]]) -> dict:
    """ECE of (part, confidence, right) rows per part and pooled."""
    def ece(rows):
        return expected_calibration_error([s for _, s, _ in rows], [ok for _, _, ok in rows])["ece"]
    return {**{part: ece([r for r in scored if r[0] == part]) for part in sorted({r[0] for r in scored})},
            "pooled": ece(scored)}


def first_sentence_length(verdict, _claim) -> float:
    """log of the first cited sentence's length in words (0 when nothing is cited)."""
    return float(np.log1p(len(verdict.evidence[0].hit.text.split()))) if verdict.evidence else 0.0


def with_one_more_input(checks: list, rule: DecisionRule) -> dict:
    """The shipped map with one more input each time: cross-validated ECE per part."""
    rows = [(aggregate(c.evidence, rule), c) for c in checks]
    inputs = {**extra_inputs(rule), "log(words of the first cited sentence)": first_sentence_length}
    out = {}
    for name, extra in inputs.items():
        scored = []
        for fold in (0, 1):
            fitted = Map([(v, c.claim, v.verdict == c.gold) for v, c in rows if c.group % 2 != fold], extra, L2_PENALTY)
            scored += [(c.source, fitted.score(v, c.claim), v.verdict == c.gold) for v, c in rows if c.group % 2 == fold]
        out[name] = per_part_ece(scored)
        print(name, json.dumps(out[name]), flush=True)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--checks", type=Path, required=True)
    parser.add_argument("--inputs", action="store_true", help="one more map input each time, instead")
    args = parser.parse_args()
    parts = three_parts(args.checks)
    checks = [c for part in parts.values() for c in part]
    rule = DecisionRule.load(ROOT / "models/nli" / RULE_FILE)
    if args.inputs:
        result = {"checks": {name: len(part) for name, part in parts.items()}, "l2": L2_PENALTY,
                  "cross-validated ECE per part": with_one_more_input(checks, rule)}
        (ROOT / "benchmarks/results/calibration_inputs.json").write_text(json.dumps(result, indent=1) + "\n")
        return
    result = {"checks": {name: len(part) for name, part in parts.items()},
              "rule": rule.numbers(),
              "cross-validated ECE, fitted as now": cross_validated_ece(checks, rule, balanced=False),
              "cross-validated ECE, parts weighted equally": cross_validated_ece(checks, rule, balanced=True)}
    print(json.dumps(result, indent=1))
    (ROOT / "benchmarks/results/calibration_balance.json").write_text(json.dumps(result, indent=1) + "\n")


if __name__ == "__main__":
    main()
