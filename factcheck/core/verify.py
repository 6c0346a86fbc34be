"""Verify: run the NLI model over (evidence sentence, claim) pairs, all pairs in one batch."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from factcheck.core.decision import DEFAULT_RULE, DecisionRule
from factcheck.core.mismatch import mismatches
from factcheck.core.types import Evidence, SentenceHit
from factcheck.inference.nli import NLIModel

# NLI label -> the service's evidence label
LABEL_NAMES = ("support", "neutral", "contradict")  # column order of NLIModel.predict


def premise(hit: SentenceHit, with_title: bool) -> str:
    """The premise shown to the model: the sentence, optionally after its article's title."""
    if with_title and hit.title and hit.title.strip() != hit.text.strip():
        return f"{hit.title.strip()}. {hit.text}"
    return hit.text


def to_evidence(hit: SentenceHit, probs: np.ndarray | None, relevance: float = 1.0, mismatch: Sequence[str] = (),
                rule: DecisionRule = DEFAULT_RULE) -> Evidence:
    """The sentence with its probabilities (None: not scored), relevance, mismatches and its label under ``rule``."""
    probabilities = None if probs is None else {name: round(float(p), 4) for name, p in zip(LABEL_NAMES, probs)}
    evidence = Evidence(hit, "neutral", probabilities, round(float(relevance), 4), tuple(mismatch))
    return replace(evidence, label=rule.label(evidence))


def verify_many(model: NLIModel, claims: Sequence[str], hits: Sequence[Sequence[SentenceHit]],
                with_title: bool = False, relevance: Sequence[Sequence[float]] | None = None,
                rule: DecisionRule = DEFAULT_RULE) -> list[list[Evidence]]:
    """Label every retrieved sentence of every claim with one batched ``predict`` call.

    ``relevance[c][i]``: cosine of claim c and its sentence i (default 1.0: every sentence counts).
    A sentence below the rule's relevance gate cannot count whatever the model says, so it is not
    sent to the model (the cheap embedding cosine is the first tier; the NLI model the second): it is
    cited with label neutral and no probabilities.
    """
    scores = [list(relevance[c]) if relevance is not None else [1.0] * len(group) for c, group in enumerate(hits)]
    scored = [(c, i) for c, group in enumerate(hits) for i in range(len(group))
              if round(scores[c][i], 4) >= rule.min_relevance]  # the gate sees the relevance the response shows
    pairs = [(premise(hits[c][i], with_title), claims[c]) for c, i in scored]
    probs = dict(zip(scored, model.predict(pairs))) if pairs else {}
    return [[to_evidence(hit, probs.get((c, i)), scores[c][i], mismatches(claims[c], hit.text), rule)
             for i, hit in enumerate(group)] for c, group in enumerate(hits)]
