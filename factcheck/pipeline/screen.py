"""The screen: a small, fast NLI model in front of the accurate one."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from factcheck.inference.nli import COLUMNS, NLIModel
from factcheck.inference.runtime import ALONE, ModelError, RuntimeSettings
from factcheck.records import Label

SCREEN_FILE = "screen.json"


@dataclass(frozen=True)
class Screen:
    """A small NLI model that sees every pair first: only pairs to which it gives support or
    contradiction at least ``threshold`` go on to the accurate model. The threshold belongs to the
    pair of models; ``factcheck-lab calibrate-screen`` chooses it on the training-side tuning set and
    stores it as ``screen.json`` in the screen model's directory."""

    model: NLIModel
    threshold: float

    def passes(self, pairs: Sequence[tuple[str, str]]) -> list[bool]:
        probs = self.model.predict(pairs, batch_size=ALONE)  # columns: nli.COLUMNS
        decided = np.maximum(probs[:, COLUMNS.index(Label.SUPPORT)], probs[:, COLUMNS.index(Label.CONTRADICT)])
        return [bool(p) for p in decided >= self.threshold]

    @classmethod
    def load(cls, directory: str | Path, runtime: RuntimeSettings = RuntimeSettings()) -> Screen:
        """The screen model in ``directory`` with the threshold its ``screen.json`` states."""
        path = Path(directory) / SCREEN_FILE
        if not path.is_file():
            raise ModelError(
                f"screen model has no {SCREEN_FILE} (choose one with factcheck-lab calibrate-screen): {directory}"
            )
        return cls(NLIModel(directory, runtime), float(json.loads(path.read_text())["threshold"]))
