"""The mismatch check: numbers, years, weekdays, months and nationalities the NLI model tends to miss."""

from __future__ import annotations

import numpy as np
import pytest

from factcheck.pipeline.aggregate import aggregate
from factcheck.pipeline.mismatch import mismatches
from factcheck.pipeline.nationalities import nationalities
from factcheck.pipeline.verify import to_evidence
from factcheck.records import SentenceHit


@pytest.mark.parametrize(
    "claim, sentence, expected",
    [
        ("3,000 troops left Syria", "Some 20,000 troops left Syria.", ["number: 3000 vs 20000"]),
        ("The strike was on Monday", "The strike was on Friday.", ["weekday: monday vs friday"]),
        ("He was born in 1993.", "He (born 1990) released an album in 2010.", ["year: 1993 vs 1990, 2010"]),
        ("Talks began in March", "Talks began in June.", ["month: march vs june"]),
        ("About 3 million people live there", "Its population is 3,000,000.", []),
        ("Three people died", "Three people died and 12 were hurt.", []),
        ("Three people died", "Twelve people and 40 horses died.", ["number: 3 vs 12, 40"]),
        ("He was born in 1993.", "He was born on 3 May 1993.", []),
        ("It is one of the largest ports", "The port handles 40 ships a day.", []),  # "one" is not a count
        ("Troops may leave", "Troops left in June.", []),  # lower-case "may" is not the month
        ("Planes left the base", "On Monday, 20 planes left.", []),  # the claim states no quantity
        (
            "Tom Hanks is a British actor.",
            "Hanks is an American actor and filmmaker.",
            ["nationality: united kingdom vs united states (actor)"],
        ),
        ("Russian jets left the base.", "Syrian jets left the base.", ["nationality: russia vs syria (jets)"]),
        ("He is an English footballer.", "He is a British footballer who plays for Chelsea.", []),  # one state's parts
        ("He is a British actor.", "He is a British-American actor.", []),
        ("Tom Hanks is a British actor.", "Hanks, an American, won an award as best actor.", []),  # not on one noun
        ("The film is in English.", "It is a Spanish-language film.", []),  # a language, not a nationality
        ("He made films in the French language.", "He made French and English language films.", []),
        ("He is a Latin American singer.", "He is an American singer.", []),  # a region, not the United States
        ("Seoul is a South Korean city.", "Seoul is a Korean city.", []),  # North and South share one group
        # country names are not compared: the actor and the place are both countries in news
        ("Russia will keep its naval facility at Tartus.", "Moscow's Tartus naval facility in Syria will remain.", []),
    ],
)
def test_mismatches(claim, sentence, expected):
    assert mismatches(claim, sentence) == expected


def _hit(text: str) -> SentenceHit:
    return SentenceHit(1, "a1", "t", None, None, None, 0, 0, len(text), text)


def test_a_supporting_sentence_with_another_number_does_not_support():
    probs = np.array([0.95, 0.03, 0.02])  # the model says support
    evidence = to_evidence(
        _hit("Some 20,000 troops left."), probs, 0.9, mismatches("3,000 troops left", "Some 20,000 troops left.")
    )
    assert evidence.label == "neutral" and evidence.mismatch == ("number: 3000 vs 20000",)
    assert aggregate([evidence]).verdict == "neutral"
    agreeing = to_evidence(_hit("3,000 troops left."), probs, 0.9, ())
    assert aggregate([evidence, agreeing]).verdict == "support"
    assert aggregate([evidence, agreeing]).evidence[0].hit.text == "3,000 troops left."


def test_nationalities_are_read_only_where_capitalised_and_followed_by_a_noun():
    assert nationalities("american actors, a french fry, the Turkish") == {}
    assert nationalities("a Russian-built jet and Soviet troops") == {"troop": {"russia"}}


def test_a_contradiction_with_another_number_still_counts():
    evidence = to_evidence(
        _hit("Some 20,000 troops left."), np.array([0.02, 0.03, 0.95]), 0.9, ("number: 3000 vs 20000",)
    )
    assert evidence.label == "contradict" and aggregate([evidence]).verdict == "contradict"
