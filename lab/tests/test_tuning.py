"""The tuning set's construction (evaluation/tuning.py), on hand-made texts, and the training passes' slices."""

from __future__ import annotations

import pytest

from factcheck_lab.evaluation.tuning import (
    TuningClaim,
    with_texts_repeating_their_evidence,
)

OWN = "The bridge opened in 1932 . It carries eight lanes ."
REPEATS = "Sydney is a city . The bridge opened in 1932 ."
OTHER = "The bridge opened in 1933 . It was painted grey ."


def test_a_claim_without_its_evidence_loses_every_text_that_repeats_an_evidence_sentence():
    claim = TuningClaim("fever", "The bridge opened in 1932.", "support", (OWN,))
    [grown] = with_texts_repeating_their_evidence([claim], [OWN, REPEATS, OTHER])
    assert grown.own_texts == (OWN, REPEATS)  # OTHER shares words, not a sentence: it stays indexed
    assert grown.claim == claim.claim and grown.gold == "support"


def test_mix_v3_never_trains_on_the_scifact_claims_of_the_tuning_set(shared_dir):
    from factcheck_lab.evaluation.tuning import tuning_claims
    from factcheck_lab.training.data import MIX_V2, MIX_V3, training_mix

    pool = shared_dir / "data/nli-train"
    claims, _ = tuning_claims(pool)
    scifact = {c.claim for c in claims if c.source == "scifact"}
    assert len(scifact) > 250  # about half of the 645 usable scifact_train claims
    trained_v3 = {p.hypothesis for p in training_mix(pool, MIX_V3) if p.source == "scifact_train"}
    trained_v2 = {p.hypothesis for p in training_mix(pool, MIX_V2) if p.source == "scifact_train"}
    assert trained_v3 and not trained_v3 & scifact  # the other half is still trained on
    assert scifact <= trained_v2  # v2 (the model it replaces) saw every one of them


def test_the_tuning_index_holds_the_pools_scientific_texts_as_distractors(shared_dir):
    from factcheck_lab.evaluation.tuning import DISTRACTOR_SOURCES, tuning_claims
    from factcheck_lab.training.data import read_pairs

    pool = shared_dir / "data/nli-train"
    claims, texts = tuning_claims(pool)
    distractors = {p.premise for source in DISTRACTOR_SOURCES for p in read_pairs(pool / f"{source}.jsonl")}
    assert len(distractors) > 3000 and distractors <= set(texts)
    own = {t for c in claims for t in c.own_texts}
    assert not distractors & own  # nobody's evidence: every check, with or without evidence, keeps them


def test_a_lone_punctuation_sentence_does_not_make_a_text_repeat_a_claims_evidence():
    from factcheck_lab.evaluation.tuning import TuningClaim, with_texts_repeating_their_evidence

    own, copy, other = (
        "Apple Inc. made the iPhone 4 . .",
        "Apple Inc. made the iPhone 4 .",
        "Brown University is in Providence . .",
    )
    claim = TuningClaim("fever", "Apple made the iPhone 4.", "support", (own,))
    grown = with_texts_repeating_their_evidence([claim], [own, copy, other])[0]
    assert set(grown.own_texts) == {own, copy}  # the copy shares a sentence; "." alone ties nothing


def test_a_pass_that_skips_what_another_took_continues_it_without_repeating_a_pair():
    from factcheck_lab.training.data import Pair, pass_pairs

    mix = [Pair(str(i), "premise", "hypothesis", "neutral", "3way", "s") for i in range(10)]
    first, rest = pass_pairs(mix, limit=4), pass_pairs(mix, skip=4)
    assert [p.id for p in first + rest] == [p.id for p in mix]
    assert [p.id for p in pass_pairs(mix, skip=4, limit=3)] == ["4", "5", "6"]
    with pytest.raises(ValueError, match="only 10 pairs"):
        pass_pairs(mix, skip=10)


def test_the_tuning_set_has_a_general_prose_part_of_held_out_pairs_with_their_premises_indexed(shared_dir):
    """The general-prose part: held-out MNLI-mismatched/XNLI pairs, never trained on, judged with their premise
    indexed."""
    from factcheck_lab.evaluation.tuning import GENERAL_SOURCES, tuning_claims
    from factcheck_lab.training.data import MIX_V3, training_mix

    pool = shared_dir / "data/nli-train"
    claims, texts = tuning_claims(pool)
    general = [c for c in claims if c.source == "general"]
    assert len(general) > 1000 and {c.gold for c in general} == {"support", "contradict", "neutral"}
    assert {t for c in general for t in c.own_texts} <= set(texts)
    trained = {(p.premise, p.hypothesis) for p in training_mix(pool, MIX_V3) if p.source in GENERAL_SOURCES}
    assert trained and not any((t, c.claim) in trained for c in general for t in c.own_texts)
    two_parts, _ = tuning_claims(pool, general=False)  # what the benchmarks' pickles hold
    assert [c.claim for c in two_parts] == [c.claim for c in claims if c.source != "general"]
