"""FactChecker internals that the API tests cannot pin down: a batch answers each claim as a single check,
with the news reading on (claims searched for while they are parsed, compound claims by parts) and off."""

from __future__ import annotations

from factcheck.records import Filters

CLAIMS = [
    "Russia will keep its naval facility at Tartus.",
    "The weather in Paris was sunny.",
    "Putin announced a withdrawal from Syria.",
    "The first planes left Hmeimim on Tuesday.",
    "US estimates put Russian troops in Syria at 3,000 to 6,000.",
    "Talks in Geneva resumed.",
]


def test_a_batch_retrieves_each_claim_as_a_single_check_would(sample_app):
    checker = sample_app.extensions["factcheck"].checker
    vectors = checker.embedder.encode(CLAIMS)
    together = checker.retriever.retrieve_many(CLAIMS, vectors, Filters(), 5)  # concurrent, in the claims' order
    alone = [checker.retriever.retrieve_many([c], vectors[i : i + 1], Filters(), 5)[0] for i, c in enumerate(CLAIMS)]
    assert [[h.sentence_id for h in hits] for hits in together] == [[h.sentence_id for h in hits] for hits in alone]
    assert len({tuple(h.sentence_id for h in hits) for hits in together}) == len(
        CLAIMS
    )  # different claims, different hits


def _answers(result) -> tuple:
    verdict = result.verdict
    return (
        verdict.verdict,
        verdict.confidence,
        verdict.conflict,
        [(e.hit.sentence_id, e.label, e.probabilities, e.relevance, e.mismatch) for e in verdict.evidence],
        [(p.part.hypothesis, p.verdict.verdict, p.evidence) for p in result.parts or ()],
    )


def test_a_claim_gets_the_same_answer_alone_and_in_a_batch(sample_app):
    """The int8 NLI model quantises activations per call: pairs scored together would shift each other's
    probabilities. Every pair runs alone, so a batch answers each claim exactly as a single check."""
    checker = sample_app.extensions["factcheck"].checker
    together = checker.check_many(CLAIMS, 8)
    alone = [checker.check(claim, 8) for claim in CLAIMS]
    assert [_answers(r) for r in together] == [_answers(r) for r in alone]
    assert any(e.probabilities for r in together for e in r.verdict.evidence)  # the model did score sentences


COMPOUND = "Russia began withdrawing equipment from Syria, and Putin announced the move on Monday."


def test_with_the_news_reading_a_batch_of_whole_and_compound_claims_answers_each_as_alone(news_app):
    """Whole claims are searched for while they are parsed; a compound claim's parts after, in its place."""
    checker = news_app.extensions["factcheck"].checker
    claims = [CLAIMS[0], COMPOUND, CLAIMS[2], COMPOUND.replace("Monday", "Friday"), CLAIMS[3]]
    together = checker.check_many(claims, 8)
    alone = [checker.check(claim, 8) for claim in claims]
    assert [_answers(r) for r in together] == [_answers(r) for r in alone]
    assert [len(r.parts or ()) for r in together] == [0, 2, 0, 2, 0]
    part = checker.check(together[1].parts[1].part.hypothesis, 8)  # a part is searched for as a claim would be
    assert [e.hit.sentence_id for e in part.verdict.evidence] == [
        together[1].verdict.evidence[i].hit.sentence_id for i in together[1].parts[1].evidence
    ]
