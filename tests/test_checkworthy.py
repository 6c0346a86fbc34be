"""Check-worthiness rules (factcheck/pipeline/checkworthy.py): each reason to skip, each signal."""

from __future__ import annotations

import pytest

from factcheck.pipeline.checkworthy import Worthiness, worthiness


@pytest.mark.parametrize(
    ("sentence", "reason"),
    [
        ("Will the talks in Geneva succeed?", "question"),
        ("Advertisement", "boilerplate"),
        ("Share this article", "boilerplate"),
        ("Sign up for our newsletter to get the news first.", "boilerplate"),
        ("By Jane Doe", "byline"),
        ("Reporting by Tom Balmforth; Editing by Jon Boyle", "byline"),
        ("Russia Begins Syria Pullout", "heading"),
        ("I think the withdrawal is a mistake.", "opinion"),
        ("The government should resign.", "opinion"),
        ("The ceasefire could collapse within weeks.", "speculation"),
        ("The weather was pleasant.", "no checkable fact"),
    ],
)
def test_sentences_without_a_checkable_fact_are_skipped_with_their_reason(sentence, reason):
    assert worthiness(sentence) == Worthiness(False, reason)


@pytest.mark.parametrize(
    ("sentence", "signals"),
    [
        ("Kremlin spokesman Dmitry Peskov said the base would remain.", {"attribution", "named entity"}),
        ("More than 50 jets left the base.", {"number", "comparison"}),
        ("The ceasefire took effect on February 27.", {"date", "number"}),
        ("The talks resumed in Geneva.", {"named entity"}),
        ("Russian jets left the base.", {"named entity"}),
        ("It was the largest airlift since the war began.", {"comparison"}),
    ],
)
def test_sentences_that_state_a_checkable_fact_name_their_signals(sentence, signals):
    found = worthiness(sentence)
    assert found.checkworthy and set(found.reason.split(", ")) == signals


def test_a_quoted_prediction_is_a_checkable_fact_about_what_was_said():
    assert worthiness("The deal could collapse next year, Putin said.").checkworthy
    assert not worthiness("The deal could collapse next year.").checkworthy


def test_by_in_an_ordinary_sentence_is_not_a_byline():
    assert worthiness("By then, the talks in Geneva had failed twice.").checkworthy
