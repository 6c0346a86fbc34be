"""Fitting the confidence map, and ECE (factcheck-lab calibrate)."""

from __future__ import annotations

import pytest

from factcheck.pipeline.calibration import LogisticCalibration
from factcheck.records import Evidence, Label, SentenceHit, Verdict
from factcheck_lab.evaluation.calibration import expected_calibration_error, fit_calibration_map


def test_expected_calibration_error_and_reliability_table():
    result = expected_calibration_error([0.9, 0.9, 0.3, 0.3], [True, False, False, False])
    assert result["ece"] == pytest.approx(0.5 * 0.4 + 0.5 * 0.3)
    assert [row["bin"] for row in result["reliability"]] == ["0.3-0.4", "0.9-1.0"]
    assert expected_calibration_error([1.0, 0.0], [True, False])["ece"] == 0.0


CLAIM = "Russia pulled its jets out of Syria."
LONG_CLAIM = (
    "Low-dose aspirin taken daily reduces the risk of colorectal adenoma recurrence in patients"
    " with a previous adenoma after polypectomy."
)


def _verdict(name: str, raw: float, relevance: float, overlap: float = 0.0) -> Verdict:
    hit = SentenceHit(1, "a1", "Title", None, None, None, 0, 0, 11, "A sentence.", 1.0)
    return Verdict(name, raw, [Evidence(hit, name, None, relevance, (), overlap)])


def test_logistic_calibration_learns_that_a_related_deciding_sentence_is_right_more_often(tmp_path):
    """Same raw confidence, different relevance of the first cited sentence: the fitted map tells them
    apart and it round-trips through its file."""
    verdicts = [_verdict("support", 0.9, 0.8)] * 400 + [_verdict("support", 0.9, 0.3)] * 400
    correct = [True] * 360 + [False] * 40 + [True] * 120 + [False] * 280
    calibration = fit_calibration_map(verdicts, [CLAIM] * 800, correct, fitted_on="test")
    related, unrelated = calibration.score(verdicts[0], CLAIM), calibration.score(verdicts[-1], CLAIM)
    assert related == pytest.approx(0.9, abs=0.05) and unrelated == pytest.approx(0.3, abs=0.05)
    assert calibration.score(_verdict("contradict", 0.83, 0.5), CLAIM) == 0.83  # no map for it: raw confidence
    calibration.save(tmp_path / "calibration.json")
    assert LogisticCalibration.load(tmp_path / "calibration.json") == calibration


def test_logistic_calibration_of_a_verdict_that_is_always_right_does_not_fail():
    """Every row right: p(1 - p) underflows and the Newton system is singular; the fit still ends."""
    verdicts = [_verdict("neutral", 1.0, 0.2)] * 5
    calibration = fit_calibration_map(verdicts, [CLAIM] * 5, [True] * 5)
    assert calibration.score(verdicts[0], CLAIM) > 0.99


def test_a_weighted_fit_is_the_fit_of_the_rows_repeated():
    """sample_weight 3 on a row counts it three times, so a large part of the tuning set can be made to
    weigh as much as a small one ."""
    small = [_verdict("support", 0.9, 0.8)] * 20 + [_verdict("support", 0.6, 0.4)] * 20
    correct = [True] * 12 + [False] * 8 + [True] * 10 + [False] * 10
    claims = [CLAIM] * 20 + [LONG_CLAIM] * 20
    weighted = fit_calibration_map(small, claims, correct, sample_weight=[3.0] * 20 + [1.0] * 20)
    repeated = fit_calibration_map(
        small[:20] * 3 + small[20:], claims[:20] * 3 + claims[20:], correct[:20] * 3 + correct[20:]
    )
    assert weighted.weights[Label.SUPPORT] == pytest.approx(repeated.weights[Label.SUPPORT], abs=1e-4)
    assert weighted.weights != fit_calibration_map(small, claims, correct).weights


def test_the_map_tells_a_long_claim_from_a_short_one_at_the_same_score(tmp_path):
    """Same raw score and relevance: verdicts on claims with many content words (as SciFact's) are right
    less often, and the map's claim-words input learns it."""
    verdicts = [_verdict("support", 0.9, 0.7)] * 800
    claims = [CLAIM] * 400 + [LONG_CLAIM] * 400
    correct = [True] * 380 + [False] * 20 + [True] * 280 + [False] * 120
    calibration = fit_calibration_map(verdicts, claims, correct)
    assert calibration.score(verdicts[0], CLAIM) == pytest.approx(0.95, abs=0.03)
    assert calibration.score(verdicts[0], LONG_CLAIM) == pytest.approx(0.70, abs=0.03)
    calibration.save(tmp_path / "calibration.json")
    assert LogisticCalibration.load(tmp_path / "calibration.json") == calibration
