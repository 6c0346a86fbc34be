"""Confidence calibration: isotonic maps, their file format, ECE."""

from __future__ import annotations

import pytest

from factcheck.core.calibration import Calibration, expected_calibration_error, fit_isotonic


def test_isotonic_fit_is_monotone_and_pools_violators():
    xs, ys = fit_isotonic([0.1, 0.2, 0.3, 0.4, 0.9, 0.95], [0, 1, 0, 1, 1, 1])
    assert ys == sorted(ys) and ys[0] == 0.0 and ys[-1] == 1.0
    assert xs == [0.1, 0.25, 0.75] and ys == [0.0, 0.5, 1.0]


def test_calibration_maps_each_verdict_and_round_trips(tmp_path):
    calibration = Calibration.fit(["support"] * 4 + ["neutral"] * 2, [0.6, 0.7, 0.9, 0.95, 0.5, 0.9],
                                  [False, True, True, True, False, True], fitted_on="test")
    assert calibration.apply("support", 0.6) == 0.0 and calibration.apply("support", 0.99) == 1.0
    assert calibration.apply("contradict", 0.83) == 0.83  # no map for it: raw confidence
    calibration.save(tmp_path / "calibration.json")
    loaded = Calibration.load(tmp_path / "calibration.json")
    assert loaded == calibration and Calibration.load(tmp_path / "missing.json") is None


def test_expected_calibration_error_and_reliability_table():
    result = expected_calibration_error([0.9, 0.9, 0.3, 0.3], [True, False, False, False])
    assert result["ece"] == pytest.approx(0.5 * 0.4 + 0.5 * 0.3)
    assert [row["bin"] for row in result["reliability"]] == ["0.3-0.4", "0.9-1.0"]
    assert expected_calibration_error([1.0, 0.0], [True, False])["ece"] == 0.0


def test_tied_confidences_map_to_their_mean_accuracy():
    """Many checks share one raw confidence (1.0: no sentence counted); their map value is their accuracy."""
    xs, ys = fit_isotonic([1.0, 1.0, 1.0, 1.0, 0.5], [1, 0, 1, 1, 0])
    assert xs == [0.5, 1.0] and ys == [0.0, 0.75]
    calibration = Calibration.fit(["neutral"] * 4, [1.0] * 4, [True, False, True, True])
    assert calibration.apply("neutral", 1.0) == 0.75
