"""Confidence calibration: from a verdict to the probability that it is right, one map per verdict.

Two kinds, both fitted on the tuning set built from the held-out slice of the training pool
(``factcheck calibrate``), never on eval/, and stored as ``calibration.json`` beside the NLI model
they belong to (its ``method`` says which); a model without that file serves its raw confidence:
- ``LogisticCalibration`` (what ``factcheck calibrate`` fits): a logistic regression per verdict on
  the raw confidence's logit, the relevance and word overlap of the first cited sentence, and (since
  session 15) the claim's number of content words. How related the deciding sentence is tells a
  verdict from a lucky guess across sources, where the raw confidence alone does not (cross-validated
  per source on the tuning set, RESULTS.md session 9); how much the claim says tells the sources
  apart (long scientific claims are decided less reliably at the same score: RESULTS.md session 15).
- ``Calibration``: an isotonic (monotone) map of the raw confidence alone (sessions 2 to 8).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from factcheck.core.relevance import content_words
from factcheck.core.types import VERDICTS, Verdict

# LogisticCalibration's inputs, in weight order; files of sessions 9 to 14 have the first four
FEATURES = ("bias", "logit", "relevance", "overlap", "claim_words")
FEATURES_S9 = FEATURES[:4]


def fit_isotonic(x: Sequence[float], y: Sequence[float]) -> tuple[list[float], list[float]]:
    """Non-decreasing least-squares fit of ``y`` on ``x``; returns knots (block mean x, block value).

    Equal x values start as one block (their mean y): otherwise ties were split into knots at the same
    x with different values, and ``apply`` took one of them instead of their mean. That is the common
    case here: every check where no sentence counted has raw confidence 1.0."""
    values, inverse, counts = np.unique(np.asarray(x, dtype=float), return_inverse=True, return_counts=True)
    sums = np.bincount(inverse, weights=np.asarray(y, dtype=float), minlength=len(values))
    blocks: list[list[float]] = []  # [sum_y, count, sum_x]
    for xi, sum_y, n in zip(values, sums, counts):
        blocks.append([float(sum_y), float(n), float(xi * n)])
        while len(blocks) > 1 and blocks[-2][0] / blocks[-2][1] >= blocks[-1][0] / blocks[-1][1]:
            sy, n, sx = blocks.pop()
            blocks[-1] = [blocks[-1][0] + sy, blocks[-1][1] + n, blocks[-1][2] + sx]
    return [round(float(b[2] / b[1]), 6) for b in blocks], [round(float(b[0] / b[1]), 6) for b in blocks]


@dataclass(frozen=True)
class Calibration:
    """verdict -> (knot confidences, calibrated probabilities); linear between knots, flat outside."""

    maps: dict[str, tuple[list[float], list[float]]]
    fitted_on: str = ""

    def apply(self, verdict: str, confidence: float) -> float:
        if verdict not in self.maps:
            return confidence
        xs, ys = self.maps[verdict]
        return round(float(np.interp(confidence, xs, ys)), 4)

    def score(self, verdict: Verdict, claim: str = "") -> float:
        """The calibrated confidence of ``verdict`` (its ``confidence`` is the raw one; the claim is not used)."""
        return self.apply(verdict.verdict, verdict.confidence)

    @classmethod
    def fit(cls, verdicts: Sequence[str], confidences: Sequence[float], correct: Sequence[bool],
            fitted_on: str = "") -> Calibration:
        maps = {}
        for verdict in VERDICTS:
            rows = [(c, float(ok)) for v, c, ok in zip(verdicts, confidences, correct) if v == verdict]
            if rows:
                maps[verdict] = fit_isotonic([c for c, _ in rows], [ok for _, ok in rows])
        return cls(maps, fitted_on)

    def save(self, path: Path) -> None:
        path.write_text(json.dumps({"method": "isotonic", "fitted_on": self.fitted_on,
                                    "maps": {v: {"confidence": xs, "probability": ys}
                                             for v, (xs, ys) in self.maps.items()}}, indent=1) + "\n")

    @classmethod
    def load(cls, path: Path) -> Calibration | LogisticCalibration | None:
        """The calibration stored at ``path``, of the kind its ``method`` names; None without a file."""
        if not path.is_file():
            return None
        data = json.loads(path.read_text())
        if data.get("method") == "logistic":
            return LogisticCalibration.from_dict(data)
        return cls({v: (m["confidence"], m["probability"]) for v, m in data["maps"].items()}, data.get("fitted_on", ""))


def features(verdict: Verdict, claim: str, names: Sequence[str] = FEATURES) -> np.ndarray:
    """LogisticCalibration's inputs ``names`` of FEATURES: 1, logit of the raw confidence (clipped to
    [0.001, 0.999]), the relevance and word overlap of the first cited sentence (0 when nothing is
    cited), and the claim's content words / 10."""
    raw = min(max(verdict.confidence, 1e-3), 1 - 1e-3)
    first = verdict.evidence[0] if verdict.evidence else None
    values = {"bias": 1.0, "logit": np.log(raw / (1 - raw)), "relevance": first.relevance if first else 0.0,
              "overlap": first.overlap if first else 0.0, "claim_words": content_words(claim) / 10}
    return np.array([values[name] for name in names])


# The L2 penalty LogisticCalibration is fitted with: of 0.1, 1 (sessions 9 to 11), 3, 10 and 30, 0.1 had the
# lowest cross-validated ECE on both sources of the tuning set and carried best from SciFact to FEVER
# (benchmarks/calibration_features.py, RESULTS.md session 12).
L2_PENALTY = 0.1


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = L2_PENALTY, steps: int = 50,
                 sample_weight: np.ndarray | None = None) -> np.ndarray:
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


@dataclass(frozen=True)
class LogisticCalibration:
    """verdict -> weights over ``inputs``; P(right) = sigmoid(weights · features(verdict, claim, inputs))."""

    weights: dict[str, list[float]]
    fitted_on: str = ""
    inputs: tuple[str, ...] = FEATURES

    def score(self, verdict: Verdict, claim: str) -> float:
        if verdict.verdict not in self.weights:
            return verdict.confidence
        x = features(verdict, claim, self.inputs)
        return round(float(1 / (1 + np.exp(-np.dot(self.weights[verdict.verdict], x)))), 4)

    @classmethod
    def fit(cls, verdicts: Sequence[Verdict], claims: Sequence[str], correct: Sequence[bool], fitted_on: str = "",
            sample_weight: Sequence[float] | None = None) -> LogisticCalibration:
        """One logistic map per verdict over FEATURES (``claims[i]``: the claim of ``verdicts[i]``); each
        (verdict, correct) pair counts ``sample_weight`` times (default 1)."""
        counts = [1.0] * len(verdicts) if sample_weight is None else list(sample_weight)
        weights = {}
        for name in VERDICTS:
            rows = [(features(v, claim), float(ok), c) for v, claim, ok, c in zip(verdicts, claims, correct, counts)
                    if v.verdict == name]
            if rows:
                x, y, s = (np.array(column) for column in zip(*rows))
                weights[name] = [round(float(w), 6) for w in fit_logistic(x, y, sample_weight=s)]
        return cls(weights, fitted_on)

    def save(self, path: Path) -> None:
        path.write_text(json.dumps({"method": "logistic", "fitted_on": self.fitted_on, "features": list(self.inputs),
                                    "weights": self.weights}, indent=1) + "\n")

    @classmethod
    def from_dict(cls, data: dict) -> LogisticCalibration:
        """A map of this session's inputs (FEATURES) or of sessions 9 to 14's (FEATURES_S9); others are refused."""
        inputs = tuple(data.get("features", ()))
        if inputs not in (FEATURES, FEATURES_S9):
            raise ValueError(f"calibration.json: features {data.get('features')} are neither {list(FEATURES)}"
                             f" nor {list(FEATURES_S9)}")
        return cls({v: [float(x) for x in w] for v, w in data["weights"].items()}, data.get("fitted_on", ""), inputs)


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
        table.append({"bin": f"{edges[b]:.1f}-{edges[b + 1]:.1f}", "n": int(inside.sum()),
                      "confidence": round(float(conf[inside].mean()), 4),
                      "accuracy": round(float(ok[inside].mean()), 4)})
    return {"ece": round(float(ece), 4), "reliability": table}
