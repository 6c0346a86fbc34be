"""Confidence calibration: from a verdict to the probability that it is right.

The map is a logistic regression per verdict on the raw confidence's logit, the relevance and word
overlap of the first cited sentence, and the claim's number of content words (``FEATURES``). How
related the deciding sentence is tells a verdict from a lucky guess across sources, where the raw
confidence alone does not; how much the claim says tells the sources apart (long scientific claims
are decided less reliably at the same score). It is fitted by ``factcheck-lab calibrate`` on the
training-side tuning set, never on eval/, and stored as ``calibration.json`` beside the NLI model it
belongs to; a model without that file serves its raw confidence (docs/verdicts.md).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from factcheck.pipeline.relevance import content_words
from factcheck.records import Label, Verdict

CALIBRATION_FILE = "calibration.json"
FEATURES = ("bias", "logit", "relevance", "overlap", "claim_words")  # the map's inputs, in weight order


def features(verdict: Verdict, claim: str, names: Sequence[str] = FEATURES) -> np.ndarray:
    """The map's inputs ``names`` of FEATURES: 1, logit of the raw confidence (clipped to
    [0.001, 0.999]), the relevance and word overlap of the first cited sentence (0 when nothing is
    cited), and the claim's content words / 10."""
    raw = min(max(verdict.confidence, 1e-3), 1 - 1e-3)
    first = verdict.evidence[0] if verdict.evidence else None
    values = {
        "bias": 1.0,
        "logit": np.log(raw / (1 - raw)),
        "relevance": first.relevance if first else 0.0,
        "overlap": first.overlap if first else 0.0,
        "claim_words": content_words(claim) / 10,
    }
    return np.array([values[name] for name in names])


@dataclass(frozen=True)
class LogisticCalibration:
    """verdict -> weights over ``inputs``; P(right) = sigmoid(weights · features(verdict, claim, inputs))."""

    weights: dict[Label, list[float]]
    fitted_on: str = ""
    inputs: tuple[str, ...] = FEATURES

    def score(self, verdict: Verdict, claim: str) -> float:
        if verdict.verdict not in self.weights:
            return verdict.confidence
        x = features(verdict, claim, self.inputs)
        return round(float(1 / (1 + np.exp(-np.dot(self.weights[verdict.verdict], x)))), 4)

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": "logistic",
            "fitted_on": self.fitted_on,
            "features": list(self.inputs),
            "weights": {str(label): w for label, w in self.weights.items()},
        }

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(self.to_dict(), indent=1) + "\n")

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LogisticCalibration:
        """The map in ``data``; a map of other inputs or another method is refused.

        Raises:
            ValueError: not a logistic map over FEATURES.
        """
        if data.get("method") != "logistic" or tuple(data.get("features", ())) != FEATURES:
            raise ValueError(
                f"calibration.json: expected method 'logistic' over features {list(FEATURES)}, found"
                f" {data.get('method')!r} over {data.get('features')}"
            )
        return cls({Label(v): [float(x) for x in w] for v, w in data["weights"].items()}, data.get("fitted_on", ""))

    @classmethod
    def load(cls, path: Path) -> LogisticCalibration | None:
        """The map stored at ``path``; None without a file."""
        if not path.is_file():
            return None
        return cls.from_dict(json.loads(path.read_text()))
