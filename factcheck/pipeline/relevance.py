"""Relevance: is a retrieved sentence about the claim? The cosine of their embeddings, which the
decision rule's gate compares with ``min_relevance``.

A sentence often names its subject only through its article: "He served as controller of BBC Two"
under the title "David Attenborough", "The series premiered in 2008" under a show's name. Its own
vector then falls under the gate although it decides the claim: on the training-side tuning set this
was the largest single cause of FEVER claims answered neutral
(docs/decisions/0027-verdict-quality-why-fever-claims-come-out-neutral.md). So a
sentence under the gate whose article has a title gets a second chance: its relevance is the cosine of
the claim with "title. sentence" when that is higher. Sentences at or above the gate keep their own
cosine, and nothing is embedded for them.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from factcheck.inference.embed import Embedder
from factcheck.pipeline.retrieve import STOPWORDS, words
from factcheck.records import SentenceHit
from factcheck.store.postings import folded

# All under-gate contexts of one claim go in one embedding call (top_k ≤ 50): calls per claim, never
# across claims, so a claim's relevance does not depend on the other claims of a request.
CLAIM_CONTEXTS_PER_CALL = 64


def about_claim(relevance: float, gate: float) -> bool:
    """Whether a sentence passes the relevance gate: its relevance as the response shows it (4 places)."""
    return round(relevance, 4) >= gate


STEM = 5  # words are compared by their first 5 letters: "serve" / "served", "elect" / "elected"


def _stems(text: str) -> set[str]:
    return {w[:STEM] for w in words(folded(text)) if w not in STOPWORDS and len(w) > 1}


def content_words(text: str) -> int:
    """How many distinct content words (as ``overlap`` counts them) ``text`` has."""
    return len(_stems(text))


def overlap(claim: str, sentence: str) -> float:
    """Share of the claim's content words (no function words; accents ignored; compared by their first
    STEM letters) that the sentence contains: a relevance signal that does not need the sentence's
    subject, which is often only a pronoun ("He served as controller of BBC Two")."""
    wanted = _stems(claim)
    return round(len(wanted & _stems(sentence)) / len(wanted), 4) if wanted else 0.0


def titled_text(hit: SentenceHit) -> str | None:
    """'title. sentence', or None when the article has no title or the sentence is its title."""
    title = (hit.title or "").strip()
    if not title or title == hit.text.strip():
        return None
    return f"{title}. {hit.text}"


def relevance(
    embedder: Embedder,
    claim_vectors: np.ndarray,
    hits: Sequence[Sequence[SentenceHit]],
    gate: float,
    title_context: bool = True,
) -> list[list[float]]:
    """Relevance of each claim's sentences: the stored sentence vector's cosine with the claim; with
    ``title_context``, for a sentence under ``gate`` the higher of that and the cosine with its
    'title. sentence' (one embedding call per claim)."""
    scores = [
        [float(hit.vector @ claim_vector) for hit in group]
        for claim_vector, group in zip(claim_vectors, hits, strict=True)
    ]
    if not title_context:
        return scores
    second = [
        [
            (i, text)
            for i, hit in enumerate(group)
            if not about_claim(scores[c][i], gate) and (text := titled_text(hit)) is not None
        ]
        for c, group in enumerate(hits)
    ]
    wanted = [c for c in range(len(hits)) if second[c]]
    vectors = embedder.lanes.map(  # one call per claim, claims side by side
        lambda c: embedder.encode([text for _, text in second[c]], batch_size=CLAIM_CONTEXTS_PER_CALL), wanted
    )
    for c, claim_contexts in zip(wanted, vectors, strict=True):
        for (i, _), vector in zip(second[c], claim_contexts, strict=True):
            scores[c][i] = max(scores[c][i], float(vector @ claim_vectors[c]))
    return scores
