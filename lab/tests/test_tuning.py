"""The tuning set's construction (evaluation/tuning.py), on hand-made texts, and the training passes' slices."""

from __future__ import annotations

import pytest

from factcheck_lab.evaluation.tuning import (
    TuningCheck,
    TuningClaim,
    calibration_checks,
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


def test_calibrate_judges_without_evidence_checks_of_scifact_only():
    """FEVER's without-evidence checks are left out (another claim's evidence on the same page often
    decides the claim, so their gold "neutral" is wrong about half the time; tuning.py)."""
    checks = [
        TuningCheck(source, 0, gold, [], "claim", with_evidence)
        for source in ("fever", "scifact")
        for gold, with_evidence in (("support", True), ("neutral", False))
    ]
    kept = calibration_checks(checks)
    assert [(c.source, c.with_evidence) for c in kept] == [("fever", True), ("scifact", True), ("scifact", False)]


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
    """Session 15: held-out MNLI-mismatched/XNLI pairs, never trained on, judged with their premise indexed."""
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


def test_hard_neutral_pairs_a_claim_with_the_closest_evidence_that_names_only_other_things(embedder):
    """Mix v6-pass's hard neutral pairs (session 16): close in meaning, about someone else; never a text
    sharing a name with the claim or its evidence, never a text without names (a pronoun's sentence)."""
    from factcheck_lab.training.data import Pair, hard_neutral, names

    assert names("The Paper is a 1994 film starring Michael Keaton .") == {"Paper", "Micha", "Keato"}
    assert names("He led the rising in 1297 .") == set()

    def row(i, premise, claim):
        return Pair(f"f:{i}", premise, claim, "entailment", "3way", "fever")

    pairs = [
        row(
            0,
            "The Independent Spirit Awards are held in Santa Monica .",
            "The Independent Spirit Awards are held in Germany.",
        ),
        row(1, "The 2014 MTV EMAs were held at The SSE Hydro , Glasgow .", "The MTV EMAs were held in Scotland."),
        row(2, "It was held every two years since 1968 .", "The festival is held every two years."),
        row(3, "Santa Monica hosts the Spirit Awards every year .", "Santa Monica is a city."),
        row(4, "Bananas are yellow fruit grown in Ecuador .", "Bananas grow in Ecuador."),
    ]
    out = hard_neutral(pairs, 10, lambda texts: embedder.encode(texts))
    chosen = {p.hypothesis: p.premise for p in out}
    assert all(p.label == "neutral" and p.source == "fever+hard-neutral" for p in out)
    spirit = chosen["The Independent Spirit Awards are held in Germany."]
    assert spirit == pairs[1].premise  # the closest named text; row 3 shares "Santa Monica" with its evidence
    assert all(premise != pairs[2].premise for premise in chosen.values())  # no names: never used
    assert len(hard_neutral(pairs, 2, lambda texts: embedder.encode(texts))) == 2
