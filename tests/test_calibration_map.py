"""The confidence map as served: loading calibration.json, scoring a verdict."""

from __future__ import annotations

import json

import pytest

from factcheck.pipeline.calibration import CALIBRATION_FILE, LogisticCalibration
from factcheck.records import Evidence, Label, SentenceHit, Verdict
from factcheck.settings import MODELS_DIR


def _verdict(label: Label, raw: float, relevance: float) -> Verdict:
    hit = SentenceHit(1, "a1", "Title", None, None, None, 0, 0, 11, "A sentence.", 1.0)
    return Verdict(label, raw, [Evidence(hit, label, None, relevance, (), 0.0)])


def test_a_missing_file_means_raw_confidence_and_the_shipped_map_scores_every_verdict(tmp_path):
    assert LogisticCalibration.load(tmp_path / CALIBRATION_FILE) is None
    shipped = LogisticCalibration.load(MODELS_DIR / "nli" / CALIBRATION_FILE)
    assert shipped is not None and set(shipped.weights) == set(Label)
    assert 0 < shipped.score(_verdict(Label.SUPPORT, 0.9, 0.7), "Russia pulled its jets out of Syria.") < 1


def test_a_verdict_without_a_map_keeps_its_raw_confidence_and_a_map_round_trips(tmp_path):
    calibration = LogisticCalibration({Label.SUPPORT: [0.0, 1.0, 0.0, 0.0, 0.0]}, "test")
    assert calibration.score(_verdict(Label.SUPPORT, 0.9, 0.5), "claim") == pytest.approx(0.9)
    assert calibration.score(_verdict(Label.CONTRADICT, 0.83, 0.5), "claim") == 0.83
    calibration.save(tmp_path / CALIBRATION_FILE)
    assert LogisticCalibration.load(tmp_path / CALIBRATION_FILE) == calibration


@pytest.mark.parametrize(
    "content",
    [
        {"method": "logistic", "features": ["bias", "logit"], "weights": {"support": [0.0, 1.0]}},
        {"method": "isotonic", "maps": {"support": {"confidence": [0.5], "probability": [0.5]}}},
    ],
)
def test_a_map_of_other_inputs_or_another_method_is_refused_clearly(tmp_path, content):
    (tmp_path / CALIBRATION_FILE).write_text(json.dumps(content))
    with pytest.raises(ValueError, match="expected method 'logistic'"):
        LogisticCalibration.load(tmp_path / CALIBRATION_FILE)
