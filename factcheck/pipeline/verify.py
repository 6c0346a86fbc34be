"""Verify: run the NLI model over (evidence sentence, claim) pairs: one predict call for all the
pairs of a request, each pair run alone (runtime.ALONE), two calls side by side (runtime.Lanes).

Up to three tiers decide which pairs the accurate NLI model sees: the relevance gate (embedding
cosine, free), an optional screen (a small NLI model), then the accurate model on what is left.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

import numpy as np

from factcheck.inference.nli import COLUMNS, NLIModel
from factcheck.inference.runtime import ALONE
from factcheck.pipeline.antecedents import with_antecedent
from factcheck.pipeline.attribution import speaker_mismatches
from factcheck.pipeline.decision import DEFAULT_RULE, DecisionRule
from factcheck.pipeline.entities import blocks_both_sides, entity_mismatches, missing_entities
from factcheck.pipeline.mismatch import mismatches
from factcheck.pipeline.relevance import overlap, titled_text
from factcheck.pipeline.screen import Screen
from factcheck.records import Entity, Evidence, Label, SentenceHit


def premise(hit: SentenceHit, with_title: bool) -> str:
    """The premise shown to the model: the sentence, with the sentence it needs to be read when it was
    stored with one (antecedents.py), optionally after its article's title."""
    read = replace(hit, text=with_antecedent(hit.text, hit.antecedent))
    return (titled_text(read) if with_title else None) or read.text


def to_evidence(
    hit: SentenceHit,
    probs: np.ndarray | None,
    relevance: float = 1.0,
    mismatch: Sequence[str] = (),
    rule: DecisionRule = DEFAULT_RULE,
    word_overlap: float = 0.0,
) -> Evidence:
    """The sentence with its probabilities (None: not scored), relevance, mismatches, word overlap and
    its label under ``rule``."""
    probabilities = (
        None if probs is None else {name: round(float(p), 4) for name, p in zip(COLUMNS, probs, strict=True)}
    )
    evidence = Evidence(hit, Label.NEUTRAL, probabilities, round(float(relevance), 4), tuple(mismatch), word_overlap)
    return replace(evidence, label=rule.label(evidence))


Tagger = Callable[[Sequence[str]], Sequence[Sequence[Entity]]]  # texts -> the named entities of each


def _entity_mismatches(
    claim: str, found: Sequence[Entity], hit: SentenceHit, named: Sequence[Entity]
) -> tuple[str, ...]:
    return (*entity_mismatches(claim, found, hit, named), *speaker_mismatches(claim, found, hit))


def _named(
    claims: Sequence[str],
    hits: Sequence[Sequence[SentenceHit]],
    entities: Sequence[Sequence[Entity]],
    asked: Sequence[tuple[int, int]],
    tag: Tagger | None,
) -> dict[tuple[int, int], Sequence[Entity]]:
    """The entities named by each sentence ``(c, i)`` of ``asked`` that misses claim c's subject, with its
    antecedent: what tells whether it is about a rival (entities.entity_mismatches). Tagged here, a few
    sentences per check, since ingest stores only the entities of sentences that report speech."""
    if tag is None:
        return {}
    need = [(c, i) for c, i in asked if any(e.subject for e in missing_entities(claims[c], entities[c], hits[c][i]))]
    texts = [with_antecedent(hits[c][i].text, hits[c][i].antecedent) for c, i in need]
    return dict(zip(need, tag(texts), strict=True)) if need else {}


def verify_many(
    model: NLIModel,
    claims: Sequence[str],
    hits: Sequence[Sequence[SentenceHit]],
    with_title: bool = False,
    relevance: Sequence[Sequence[float]] | None = None,
    rule: DecisionRule = DEFAULT_RULE,
    screen: Screen | None = None,
    entities: Sequence[Sequence[Entity]] | None = None,
    tag: Tagger | None = None,
) -> list[list[Evidence]]:
    """Label every retrieved sentence of every claim with one ``predict`` call; each pair runs alone
    (runtime.ALONE), so its probabilities depend on the sentence and the claim only.

    ``relevance[c][i]``: cosine of claim c and its sentence i (default 1.0: every sentence counts).
    A sentence the rule does not find about the claim (under its relevance gate, and under its word
    overlap gate when it has one) cannot count whatever the model says, so it is not sent to the
    model (the cheap embedding cosine and word overlap are the first tier; the NLI model the last):
    it is cited with label neutral and no probabilities. With a ``screen``, a sentence the screen
    model finds neither supporting nor contradicting is cited the same way. ``entities[c]``: claim c's
    key named entities (entities.key_entities); a sentence that does not mention the claim's subject
    and names a rival of it (found by ``tag``) cannot count either way, so it is not sent to the models
    either (entities.py).
    """
    scores = [list(relevance[c]) if relevance is not None else [1.0] * len(group) for c, group in enumerate(hits)]
    overlaps = [[overlap(claims[c], hit.text) for hit in group] for c, group in enumerate(hits)]
    about = [
        (c, i)
        for c, group in enumerate(hits)
        for i in range(len(group))
        if rule.about(round(scores[c][i], 4), overlaps[c][i])
    ]
    named = _named(claims, hits, entities, about, tag) if entities else {}
    differing = [
        [
            (
                *mismatches(claims[c], hit.text),
                *(_entity_mismatches(claims[c], entities[c], hit, named.get((c, i), ())) if entities else ()),
            )
            for i, hit in enumerate(group)
        ]
        for c, group in enumerate(hits)
    ]
    scored = [(c, i) for c, i in about if not blocks_both_sides(differing[c][i])]
    pairs = [(premise(hits[c][i], with_title), claims[c]) for c, i in scored]
    if screen is not None and pairs:
        kept = screen.passes(pairs)
        scored, pairs = (
            [k for k, ok in zip(scored, kept, strict=True) if ok],
            [p for p, ok in zip(pairs, kept, strict=True) if ok],
        )
    probs = dict(zip(scored, model.predict(pairs, batch_size=ALONE), strict=True)) if pairs else {}
    return [
        [
            to_evidence(hit, probs.get((c, i)), scores[c][i], differing[c][i], rule, overlaps[c][i])
            for i, hit in enumerate(group)
        ]
        for c, group in enumerate(hits)
    ]
