"""The fast NLI tier (the screen): how its threshold is chosen, and the real fast model in front of the
accurate one."""

from __future__ import annotations

import numpy as np
import pytest

from factcheck.core.decision import DecisionRule
from factcheck.core.types import SentenceHit
from factcheck.core.verify import Screen, to_evidence, verify_many
from factcheck.evaluation.screening import choose_threshold, screen_table, screened_verdicts
from factcheck.evaluation.tuning import TuningCheck
from factcheck.inference.runtime import ModelError
from service.config import MODELS_DIR

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
    rows = [{"threshold": 0.05, "agreement": 1.0}, {"threshold": 0.1, "agreement": 0.995},
            {"threshold": 0.2, "agreement": 0.97}, {"threshold": 0.3, "agreement": 0.991}]
    assert choose_threshold(rows) == 0.3  # agreement need not fall monotonically
    assert choose_threshold([{"threshold": 0.05, "agreement": 0.5}, {"threshold": 0.1, "agreement": 0.4}]) == 0.05


def test_a_fast_model_without_screen_json_is_refused(tmp_path):
    with pytest.raises(ModelError, match="screen.json"):
        Screen.load(tmp_path)


@pytest.fixture(scope="module")
def fast_nli():
    from factcheck.inference.nli import NLIModel

    return NLIModel(MODELS_DIR / "nli-fast", threads=2)


CLAIM = "Russia will close its Tartus naval facility."
HITS = [_hit(1, "Putin said the Tartus naval facility will continue to operate as before."),
        _hit(2, "The weather in Moscow was cold on Tuesday."),
        _hit(3, "Russia will shut down the naval facility at Tartus.")]


def test_threshold_zero_passes_everything_and_above_one_passes_nothing(nli, fast_nli):
    relevance = [[0.8, 0.8, 0.8]]
    alone = verify_many(nli, [CLAIM], [HITS], relevance=relevance, rule=RULE)[0]
    everything = verify_many(nli, [CLAIM], [HITS], relevance=relevance, rule=RULE, screen=Screen(fast_nli, 0.0))[0]
    nothing = verify_many(nli, [CLAIM], [HITS], relevance=relevance, rule=RULE, screen=Screen(fast_nli, 1.01))[0]
    assert [e.probabilities for e in everything] == [e.probabilities for e in alone]
    assert all(e.probabilities is None and e.label == "neutral" for e in nothing)


def test_the_shipped_screen_sends_on_the_deciding_sentences(nli, fast_nli):
    screen = Screen.load(MODELS_DIR / "nli-fast", threads=2)
    assert 0 < screen.threshold < RULE.contradict
    evidence = verify_many(nli, [CLAIM], [HITS], relevance=[[0.8, 0.8, 0.8]], rule=RULE, screen=screen)[0]
    assert evidence[0].probabilities is not None and evidence[0].label == "contradict"  # "continue to operate"
    assert evidence[2].probabilities is not None and evidence[2].label == "support"


def _config(tmp_path, fast: str) -> dict:
    return {"STORE_URL": f"sqlite:///{tmp_path / 'x.db'}", "EMBED_MODEL": str(MODELS_DIR / "embed"),
            "NLI_MODEL": str(MODELS_DIR / "nli"), "THREADS": 2, "FAST_NLI_MODEL": fast}


def test_the_service_puts_the_configured_screen_in_front_and_says_so(tmp_path):
    from service.services import build_services

    services = build_services(_config(tmp_path, str(MODELS_DIR / "nli-fast")))
    assert services.checker.screen is not None
    assert services.checker.model_info["nli_screen"].startswith("factcheck-nli-minilm-fast 1 (threshold ")
    result = services.checker.check("Russia will close its Tartus naval facility.")
    assert result.model["nli_screen"] == services.checker.model_info["nli_screen"]


def test_a_fast_model_without_its_threshold_leaves_the_service_not_ready(tmp_path):
    from service.services import build_services

    services = build_services(_config(tmp_path, str(MODELS_DIR / "embed")))
    assert services.checker is None and "screen.json" in services.load_error
