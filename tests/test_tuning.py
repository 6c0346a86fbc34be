"""The tuning set's construction (factcheck/evaluation/tuning.py), on hand-made texts."""

from __future__ import annotations

from factcheck.evaluation.tuning import TuningClaim, with_texts_repeating_their_evidence

OWN = "The bridge opened in 1932 . It carries eight lanes ."
REPEATS = "Sydney is a city . The bridge opened in 1932 ."
OTHER = "The bridge opened in 1933 . It was painted grey ."


def test_a_claim_without_its_evidence_loses_every_text_that_repeats_an_evidence_sentence():
    claim = TuningClaim("fever", "The bridge opened in 1932.", "support", (OWN,))
    [grown] = with_texts_repeating_their_evidence([claim], [OWN, REPEATS, OTHER])
    assert grown.own_texts == (OWN, REPEATS)  # OTHER shares words, not a sentence: it stays indexed
    assert grown.claim == claim.claim and grown.gold == "support"
