"""Relevance with the article title as context for sentences under the gate (factcheck/core/relevance.py)."""

from __future__ import annotations

from factcheck.pipeline.relevance import relevance, titled_text
from factcheck.records import SentenceHit

CLAIM = "David Attenborough was a controller of BBC Two."
PRONOUN = "He is a former senior manager at the BBC, having served as controller of BBC Two in the 1960s."
UNRELATED = "The city council approved the new budget for road repairs on Tuesday."


def _hit(embedder, text: str, title: str) -> SentenceHit:
    return SentenceHit(1, "a", title, None, None, None, 0, 0, len(text), text, vector=embedder.encode([text])[0])


def test_a_pronoun_sentence_passes_the_gate_through_its_title(embedder):
    claim = embedder.encode([CLAIM])
    hit = _hit(embedder, PRONOUN, "David Attenborough")
    own = relevance(embedder, claim, [[hit]], gate=0.99, title_context=False)[0][0]
    lifted = relevance(embedder, claim, [[hit]], gate=0.99)[0][0]
    assert lifted > own + 0.1 and lifted <= 1.0


def test_sentences_at_or_over_the_gate_keep_their_own_cosine(embedder):
    claim = embedder.encode([CLAIM])
    hit = _hit(embedder, PRONOUN, "David Attenborough")
    own = float(hit.vector @ claim[0])
    assert relevance(embedder, claim, [[hit]], gate=own - 0.01)[0][0] == own


def test_a_title_does_not_make_an_unrelated_sentence_relevant(embedder):
    claim = embedder.encode([CLAIM])
    hit = _hit(embedder, UNRELATED, "City news")
    assert relevance(embedder, claim, [[hit]], gate=0.5)[0][0] < 0.3


def test_no_title_no_second_chance(embedder):
    claim = embedder.encode([CLAIM])
    hit = _hit(embedder, PRONOUN, "")
    assert titled_text(hit) is None
    assert relevance(embedder, claim, [[hit]], gate=0.99)[0][0] == float(hit.vector @ claim[0])


def test_word_overlap_counts_the_claims_content_words_in_the_sentence():
    from factcheck.pipeline.relevance import overlap

    assert overlap("David Attenborough did not serve as controller of BBC Two.", PRONOUN) == 0.6667
    assert overlap(CLAIM, UNRELATED) == 0.0
    assert overlap("The elections were held.", "They elected a mayor.") == 0.5  # "elect", not "held"
    assert overlap("Is it the one?", "One more thing.") == 1.0  # "one" is its only content word
    assert overlap("of the and", "of the and") == 0.0  # no content words at all
    # accents ignored, as the lexical search ignores them: "Cleopatre" is "Cléopâtre"
    assert overlap("Cleopatre is by Vivaldi.", "Cléopâtre is an opera by Jules Massenet.") == 0.5
