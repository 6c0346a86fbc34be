"""The screen: a small NLI model in front of the accurate one, as the service runs it."""

from __future__ import annotations

import pytest

from factcheck.inference.runtime import ModelError, RuntimeSettings
from factcheck.pipeline.decision import DecisionRule
from factcheck.pipeline.screen import Screen
from factcheck.pipeline.verify import verify_many
from factcheck.records import SentenceHit
from factcheck.settings import MODELS_DIR, Settings

RULE = DecisionRule(0.7, 0.7, 0.5)


def _hit(sid: int, text: str = "text") -> SentenceHit:
    return SentenceHit(sid, f"a{sid}", "", None, None, None, 0, 0, len(text), text, retrieval_score=1.0 / sid)


def test_a_screen_model_without_screen_json_is_refused(tmp_path):
    with pytest.raises(ModelError, match="screen.json"):
        Screen.load(tmp_path)


@pytest.fixture(scope="module")
def screen_nli():
    from factcheck.inference.nli import NLIModel

    return NLIModel(MODELS_DIR / "nli-screen", RuntimeSettings(threads=2))


CLAIM = "Russia will close its Tartus naval facility."
HITS = [
    _hit(1, "Putin said the Tartus naval facility will continue to operate as before."),
    _hit(2, "The weather in Moscow was cold on Tuesday."),
    _hit(3, "Russia will shut down the naval facility at Tartus."),
]


def test_threshold_zero_passes_everything_and_above_one_passes_nothing(nli, screen_nli):
    relevance = [[0.8, 0.8, 0.8]]
    alone = verify_many(nli, [CLAIM], [HITS], relevance=relevance, rule=RULE)[0]
    everything = verify_many(nli, [CLAIM], [HITS], relevance=relevance, rule=RULE, screen=Screen(screen_nli, 0.0))[0]
    nothing = verify_many(nli, [CLAIM], [HITS], relevance=relevance, rule=RULE, screen=Screen(screen_nli, 1.01))[0]
    assert [e.probabilities for e in everything] == [e.probabilities for e in alone]
    assert all(e.probabilities is None and e.label == "neutral" for e in nothing)


def test_the_shipped_screen_sends_on_the_deciding_sentences(nli, screen_nli):
    screen = Screen.load(MODELS_DIR / "nli-screen", RuntimeSettings(threads=2))
    assert 0 < screen.threshold < RULE.contradict
    evidence = verify_many(nli, [CLAIM], [HITS], relevance=[[0.8, 0.8, 0.8]], rule=RULE, screen=screen)[0]
    assert evidence[0].probabilities is not None and evidence[0].label == "contradict"  # "continue to operate"
    assert evidence[2].probabilities is not None and evidence[2].label == "support"


def _settings(tmp_path, screen: str) -> Settings:
    return Settings(store_url=f"sqlite:///{tmp_path / 'x.db'}", threads=2, screen_model=screen)


def test_the_service_puts_the_configured_screen_in_front_and_says_so(tmp_path):
    from factcheck.compose import build_services

    services = build_services(_settings(tmp_path, str(MODELS_DIR / "nli-screen")))
    assert services.checker.screen is not None
    assert services.checker.model_info["nli_screen"].startswith("factcheck-nli-minilm-fast 1 (threshold ")
    result = services.checker.check("Russia will close its Tartus naval facility.")
    assert result.model["nli_screen"] == services.checker.model_info["nli_screen"]


def test_a_screen_model_without_its_threshold_leaves_the_service_not_ready(tmp_path):
    from factcheck.compose import build_services

    services = build_services(_settings(tmp_path, str(MODELS_DIR / "embed")))
    assert services.checker is None and "screen.json" in services.load_error
