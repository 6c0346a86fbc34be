"""Which confidence calibration stays calibrated on each source, not only on the tuning set as a
whole: the isotonic map of the raw confidence (sessions 2 to 8), a logistic map of the raw
confidence alone, and the logistic map of calibration.py (raw confidence, and relevance and word
overlap of the first cited sentence).

An eval set is one source, so what the ECE bar asks is ECE per source. Measured on the training-side
tuning set of `factcheck calibrate` (never eval/), under the shipped rule, two ways:
- cross-validated: fitted on one half of the claims, scored on the other, ECE per source;
- across sources: fitted on SciFact's checks, scored on FEVER's (the other way round is not
  informative: the FEVER part has no neutral gold).

Usage: python benchmarks/calibration_transfer.py
Reads benchmarks/tuning_errors.py's pickle; writes benchmarks/results/calibration_transfer.json.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from relevance_gates import with_overlap
from tuning_errors import load_checks

from factcheck.core.aggregate import aggregate
from factcheck.core.calibration import Calibration, LogisticCalibration, expected_calibration_error, fit_logistic
from factcheck.core.decision import RULE_FILE, DecisionRule
from factcheck.core.types import VERDICTS
from factcheck.evaluation.tuning import calibration_checks


class RawLogistic:
    """Platt scaling per verdict: the logistic map of the raw confidence's logit alone."""

    def __init__(self, verdicts, correct):
        self.weights = {}
        for name in VERDICTS:
            rows = [(v, ok) for v, ok in zip(verdicts, correct) if v.verdict == name]
            if rows:
                x = np.array([self._x(v) for v, _ in rows])
                self.weights[name] = fit_logistic(x, np.array([float(ok) for _, ok in rows]))

    @staticmethod
    def _x(verdict):
        raw = min(max(verdict.confidence, 1e-3), 1 - 1e-3)
        return [1.0, np.log(raw / (1 - raw))]

    def score(self, verdict, _claim: str = "") -> float:
        return float(1 / (1 + np.exp(-np.dot(self.weights[verdict.verdict], self._x(verdict)))))


METHODS = {  # (verdicts, claims, right) -> a map with score(verdict, claim)
    "isotonic (raw confidence)": lambda vs, _, ok: Calibration.fit([v.verdict for v in vs], [v.confidence for v in vs], ok),
    "logistic (raw confidence)": lambda vs, _, ok: RawLogistic(vs, ok),
    "logistic (raw, relevance, overlap, claim words): shipped since session 15": LogisticCalibration.fit,
}


def fitted(fit, rows):
    return fit([v for v, _, _ in rows], [c.claim for _, _, c in rows], [ok for _, ok, _ in rows])


def ece(calibration, rows) -> float:
    return expected_calibration_error([calibration.score(v, c.claim) for v, _, c in rows], [ok for _, ok, _ in rows])["ece"]


def main() -> None:
    _, checks, _ = load_checks(ROOT / "runs/tune/checks-all.pkl", None)
    checks = calibration_checks(with_overlap(checks))
    rule = DecisionRule.load(ROOT / "models/nli" / RULE_FILE)
    rows = []  # (verdict, right, check)
    for check in checks:
        verdict = aggregate(check.evidence, rule)
        rows.append((verdict, verdict.verdict == check.gold, check))
    out = {}
    for name, fit in METHODS.items():
        per_source = {"fever": [], "scifact": []}
        scored = []
        for fold in (0, 1):
            train = [r for r in rows if r[2].group % 2 != fold]
            test = [r for r in rows if r[2].group % 2 == fold]
            calibration = fitted(fit, train)
            scored += [(calibration.score(v, c.claim), ok, c.source) for v, ok, c in test]
        for source in per_source:
            part = [(p, ok) for p, ok, s in scored if s == source]
            per_source[source] = expected_calibration_error([p for p, _ in part], [ok for _, ok in part])["ece"]
        whole = expected_calibration_error([p for p, _, _ in scored], [ok for _, ok, _ in scored])["ece"]
        scifact = [r for r in rows if r[2].source == "scifact"]
        across = ece(fitted(fit, scifact), [r for r in rows if r[2].source == "fever"])
        out[name] = {"cv_ece": whole, "cv_ece_fever": per_source["fever"], "cv_ece_scifact": per_source["scifact"],
                     "scifact_to_fever_ece": across}
    print(f"{'method':48s} {'CV ECE':>7s} {'FEVER':>7s} {'SciFact':>7s} {'SciFact->FEVER':>15s}")
    for name, row in out.items():
        print(f"{name:48s} {row['cv_ece']:7.4f} {row['cv_ece_fever']:7.4f} {row['cv_ece_scifact']:7.4f} "
              f"{row['scifact_to_fever_ece']:15.4f}")
    (ROOT / "benchmarks/results/calibration_transfer.json").write_text(
        json.dumps({"checks": len(rows), "rule": rule.chosen_on, "methods": out}, indent=1) + "\n")


if __name__ == "__main__":
    main()
