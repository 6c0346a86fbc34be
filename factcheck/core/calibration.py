"""Confidence calibration: a monotone map from the aggregate's raw confidence to the observed
probability that the verdict is right, one map per verdict.

The maps are fitted by isotonic regression (pool-adjacent-violators) on the tuning set built from
the held-out slice of the training pool (``factcheck calibrate``), never on eval/, and stored as
``calibration.json`` beside the NLI model they belong to. A model without that file serves its raw
confidence.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from factcheck.core.types import VERDICTS


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
    def load(cls, path: Path) -> Calibration | None:
        if not path.is_file():
            return None
        data = json.loads(path.read_text())
        return cls({v: (m["confidence"], m["probability"]) for v, m in data["maps"].items()}, data.get("fitted_on", ""))


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
