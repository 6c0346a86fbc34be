"""How the screen's threshold is chosen on the tuning set (factcheck-lab calibrate-screen)."""

from __future__ import annotations

import numpy as np

from factcheck.pipeline.decision import DecisionRule
from factcheck.pipeline.verify import to_evidence
from factcheck.records import SentenceHit
from factcheck_lab.evaluation.screening import choose_threshold, screen_table, screened_verdicts
from factcheck_lab.evaluation.tuning import TuningCheck

RULE = DecisionRule(0.7, 0.7, 0.5)


def _hit(sid: int, text: str = "text") -> SentenceHit:
    return SentenceHit(sid, f"a{sid}", "", None, None, None, 0, 0, len(text), text, retrieval_score=1.0 / sid)


def _evidence(sid: int, support: float, contradict: float):
    return to_evidence(_hit(sid), np.array([support, 1 - support - contradict, contradict]), 0.9, (), RULE)


def test_a_screened_out_sentence_loses_its_say_in_the_verdict():
    check = TuningCheck("fever", 0, "contradict", [_evidence(1, 0.05, 0.9), _evidence(2, 0.1, 0.1)], "claim")
    # the fast model found sentence 1 (index 0) weakly contradicting: a threshold above that drops it
    strengths = {(0, 0): 0.3, (0, 1): 0.05}
    assert screened_verdicts([check], strengths, 0.2, RULE) == ["contradict"]
    assert screened_verdicts([check], strengths, 0.4, RULE) == ["neutral"]
    rows = {r["threshold"]: r for r in screen_table([check], strengths, RULE)}
    assert rows[0.2]["agreement"] == 1.0 and rows[0.2]["accurate_pairs_share"] == 0.5
    assert rows[0.4]["agreement"] == 0.0 and rows[0.4]["accurate_pairs_share"] == 0.0


def test_the_chosen_threshold_is_the_highest_that_keeps_the_verdicts():
    rows = [
        {"threshold": 0.05, "agreement": 1.0},
        {"threshold": 0.1, "agreement": 0.995},
        {"threshold": 0.2, "agreement": 0.97},
        {"threshold": 0.3, "agreement": 0.991},
    ]
    assert choose_threshold(rows) == 0.3  # agreement need not fall monotonically
    assert choose_threshold([{"threshold": 0.05, "agreement": 0.5}, {"threshold": 0.1, "agreement": 0.4}]) == 0.05
