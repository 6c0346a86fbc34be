"""Which extra input, if any, makes the confidence map of calibration.py hold better per source: the
shipped logistic map (raw score's logit, relevance and word overlap of the first cited sentence) with
one more input each time. Measured on the training-side tuning set of `factcheck calibrate` (never
eval/), under the shipped rule, as benchmarks/calibration_transfer.py measures maps: two folds by
claim with ECE per source, and fitted on SciFact's checks, scored on FEVER's.

Then the shipped inputs with other L2 penalties (fit_logistic's ``l2``: 1.0 when this was measured, since
then calibration.L2_PENALTY = 0.1; the table's "shipped" rows keep 1.0, so the measurement stays as it was).

Usage: python benchmarks/calibration_features.py [--checks FILE]
Reads benchmarks/tuning_errors.py's pickle; writes benchmarks/results/calibration_features.json.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from tuning_errors import shipped_rule_checks

from factcheck.core.aggregate import aggregate
from factcheck.core.calibration import FEATURES_S9, expected_calibration_error, features, fit_logistic
from factcheck.core.decision import DecisionRule
from factcheck.core.relevance import _stems
from factcheck.core.types import VERDICTS


def extra_inputs(rule: DecisionRule) -> dict:
    """name -> f(verdict, claim) giving the one extra input (None: the shipped map)."""
    def counting(verdict, _):
        return float(np.log1p(sum(rule.counts(e, verdict.verdict) for e in verdict.evidence)))

    def margin(verdict, _):
        if verdict.verdict == "neutral":
            return 0.0
        other = "contradict" if verdict.verdict == "support" else "support"
        return verdict.confidence - max((rule.weight(e, other) for e in verdict.evidence), default=0.0)

    return {"shipped (no extra input)": None,
            "conflict flag": lambda v, _: float(v.conflict),
            "log(1 + sentences counting for the verdict)": counting,
            "margin over the other side": margin,
            "claim's content words / 10": lambda _, claim: len(_stems(claim)) / 10}


class Map:
    """LogisticCalibration of sessions 9 to 14 (four inputs) with an optional extra input and L2 penalty
    ``l2`` (1.0 until session 12)."""

    def __init__(self, rows, extra, l2: float = 1.0):
        self.extra, self.weights = extra, {}
        for name in VERDICTS:
            mine = [(v, c, ok) for v, c, ok in rows if v.verdict == name]
            if mine:
                x = np.array([self.x(v, c) for v, c, _ in mine])
                self.weights[name] = fit_logistic(x, np.array([float(ok) for _, _, ok in mine]), l2=l2)

    def x(self, verdict, claim):
        base = features(verdict, claim, FEATURES_S9)  # the map as session 12 measured it
        return base if self.extra is None else np.r_[base, self.extra(verdict, claim)]

    def score(self, verdict, claim) -> float:
        return float(1 / (1 + np.exp(-np.dot(self.weights[verdict.verdict], self.x(verdict, claim)))))


L2_PENALTIES = (0.1, 1.0, 3.0, 10.0, 30.0)


def ece(rows) -> float:
    return expected_calibration_error([p for p, _ in rows], [ok for _, ok in rows])["ece"]


def main() -> None:
    checks, rule = shipped_rule_checks(__doc__)
    rows = []  # (verdict, claim, right, check)
    for check in checks:
        verdict = aggregate(check.evidence, rule)
        rows.append((verdict, check.claim, verdict.verdict == check.gold, check))
    out = {}
    variants = [(name, extra, 1.0) for name, extra in extra_inputs(rule).items()]
    variants += [(f"shipped inputs, L2 penalty {l2:g}", None, l2) for l2 in L2_PENALTIES if l2 != 1.0]
    for name, extra, l2 in variants:
        scored = []
        for fold in (0, 1):
            fitted = Map([r[:3] for r in rows if r[3].group % 2 != fold], extra, l2)
            scored += [(fitted.score(v, c), ok, k.source) for v, c, ok, k in rows if k.group % 2 == fold]
        per_source = {s: ece([(p, ok) for p, ok, src in scored if src == s]) for s in ("fever", "scifact")}
        on_scifact = Map([r[:3] for r in rows if r[3].source == "scifact"], extra, l2)
        across = ece([(on_scifact.score(v, c), ok) for v, c, ok, k in rows if k.source == "fever"])
        out[name] = {"cv_ece": ece([(p, ok) for p, ok, _ in scored]), "cv_ece_fever": per_source["fever"],
                     "cv_ece_scifact": per_source["scifact"], "scifact_to_fever_ece": across}
    print(f"{'input':46s} {'CV ECE':>7s} {'FEVER':>7s} {'SciFact':>7s} {'SciFact->FEVER':>15s}")
    for name, row in out.items():
        print(f"{name:46s} {row['cv_ece']:7.4f} {row['cv_ece_fever']:7.4f} {row['cv_ece_scifact']:7.4f} "
              f"{row['scifact_to_fever_ece']:15.4f}")
    (ROOT / "benchmarks/results/calibration_features.json").write_text(
        json.dumps({"checks": len(rows), "rule": rule.chosen_on, "inputs": out}, indent=1) + "\n")


if __name__ == "__main__":
    main()
