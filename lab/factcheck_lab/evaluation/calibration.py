"""Fitting the confidence map (pipeline.calibration.LogisticCalibration) and measuring calibration."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from factcheck.pipeline.calibration import FEATURES, LogisticCalibration, features
from factcheck.records import Label, Verdict

# The L2 penalty the map is fitted with: of 0.1, 1, 3, 10 and 30, 0.1 had the lowest cross-validated
# ECE on both sources of the tuning set (docs/decisions/0068-the-confidence-map-s-l2-penalty.md).
L2_PENALTY = 0.1


def fit_logistic(
    x: np.ndarray, y: np.ndarray, l2: float = L2_PENALTY, steps: int = 50, sample_weight: np.ndarray | None = None
) -> np.ndarray:
    """Weights of a logistic regression of ``y`` (0/1) on the rows of ``x`` (first column the bias, not
    penalised), by Newton's method with an L2 penalty ``l2``; each row counts ``sample_weight`` times
    (default 1)."""
    w = np.zeros(x.shape[1])
    s = np.ones(len(y)) if sample_weight is None else np.asarray(sample_weight, dtype=float)
    penalty = l2 * np.diag(np.r_[0.0, np.ones(x.shape[1] - 1)])
    for _ in range(steps):
        p = 1 / (1 + np.exp(-x @ w))
        gradient = x.T @ (s * (p - y)) + penalty @ w
        hessian = (x.T * (s * p * (1 - p))) @ x + penalty
        # least squares, not solve: when every row of a verdict is right (or wrong), p(1 - p) underflows
        # to 0 and the Hessian is singular in the bias; the step then leaves the bias where it is
        w -= np.linalg.lstsq(hessian, gradient, rcond=None)[0]
    return w


def fit_calibration_map(
    verdicts: Sequence[Verdict],
    claims: Sequence[str],
    correct: Sequence[bool],
    fitted_on: str = "",
    sample_weight: Sequence[float] | None = None,
) -> LogisticCalibration:
    """One logistic map per verdict over FEATURES (``claims[i]``: the claim of ``verdicts[i]``); each
    (verdict, correct) pair counts ``sample_weight`` times (default 1)."""
    counts = [1.0] * len(verdicts) if sample_weight is None else list(sample_weight)
    weights = {}
    for label in Label:
        rows = [
            (features(v, claim), float(ok), c)
            for v, claim, ok, c in zip(verdicts, claims, correct, counts, strict=False)
            if v.verdict == label
        ]
        if rows:
            x, y, s = (np.array(column) for column in zip(*rows, strict=False))
            weights[label] = [round(float(w), 6) for w in fit_logistic(x, y, sample_weight=s)]
    return LogisticCalibration(weights, fitted_on, FEATURES)


def expected_calibration_error(confidences: Sequence[float], correct: Sequence[bool], bins: int = 10) -> dict:
    """ECE over equal-width confidence bins, with the reliability table (per bin: count, mean
    confidence, accuracy)."""
    conf = np.asarray(confidences, dtype=float)
    ok = np.asarray(correct, dtype=float)
    edges = np.arange(bins + 1) / bins  # exact tenths (linspace gives 0.30000000000000004)
    which = np.clip(np.digitize(conf, edges[1:-1]), 0, bins - 1)
    table, ece = [], 0.0
    for b in range(bins):
        inside = which == b
        if not inside.any():
            continue
        gap = abs(ok[inside].mean() - conf[inside].mean())
        ece += inside.mean() * gap
        table.append(
            {
                "bin": f"{edges[b]:.1f}-{edges[b + 1]:.1f}",
                "n": int(inside.sum()),
                "confidence": round(float(conf[inside].mean()), 4),
                "accuracy": round(float(ok[inside].mean()), 4),
            }
        )
    return {"ece": round(float(ece), 4), "reliability": table}
