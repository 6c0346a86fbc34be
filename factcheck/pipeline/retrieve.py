"""Hybrid retrieval: BM25 over sentences + dense cosine, fused by reciprocal rank fusion (RRF)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace

import numpy as np

from factcheck.records import Filters, SentenceHit
from factcheck.store.base import Store
from factcheck.store.postings import STOPWORDS

_WORD = re.compile(r"\w+", re.UNICODE)
MAX_QUERY_TERMS = 32
# The claims of a batch are searched two at a time: SQLite/PostgreSQL queries release the GIL
# (docs/decisions/0018-retrieval-vs-index-size.md).
RETRIEVAL_THREADS = 2


def words(text: str) -> list[str]:
    """The words of ``text`` in lower case."""
    return _WORD.findall(text.lower())


def lexical_query(claim: str) -> str:
    """Distinct non-stopword terms of ``claim`` (at most MAX_QUERY_TERMS), space-separated."""
    terms: list[str] = []
    for word in words(claim):
        if word not in STOPWORDS and len(word) > 1 and word not in terms:
            terms.append(word)
    return " ".join(terms[:MAX_QUERY_TERMS])


def normalized(text: str) -> str:
    """Text for duplicate detection: lower case, words only (syndicated copies differ in quotes, spaces)."""
    return " ".join(_WORD.findall(text.lower()))


# A sentence standing whole inside a longer one that has at most 25 % more words is a copy of it (a
# syndicating paper's dateline or credit added: "MOSCOW (Reuters) - ..."). Fixed by construction; a
# copy with any word changed (a number updated, a "not" added) is a different sentence and is kept.
NEAR_DUPLICATE_SHARE = 0.8


def near_duplicate(a: str, b: str) -> bool:
    """Whether two ``normalized`` sentences are one: equal, or the shorter is a run of whole words of the
    longer and holds at least NEAR_DUPLICATE_SHARE of its words."""
    short, long = sorted((a, b), key=len)
    if short == long:
        return True
    return f" {short} " in f" {long} " and len(short.split()) >= NEAR_DUPLICATE_SHARE * len(long.split())


def reciprocal_rank_fusion(
    rankings: list[list[int]], k: int = 60, weights: Sequence[float] | None = None
) -> dict[int, float]:
    """RRF score per id: sum over rankings of weight / (k + rank), rank starting at 1, weight 1 unless
    ``weights`` gives one per ranking (Cormack et al. 2009; the service fuses with equal weights)."""
    scores: dict[int, float] = {}
    for ranking, weight in zip(rankings, weights or [1.0] * len(rankings), strict=True):
        for rank, item in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + weight / (k + rank)
    return scores


KEEP_RAREST = 2  # query terms always searched, however common: the claim's rarest


def rarest_terms(terms: list[str], shares: dict[str, float], max_share: float) -> list[str]:
    """``terms`` without those found in more than ``max_share`` of the indexed sentences (``shares``),
    keeping at least the KEEP_RAREST rarest, in the claim's order. A term that common adds little to a
    sentence's BM25 score (its inverse document frequency is low), yet the search reads, scores and
    sorts every sentence it is in: the commonest words make lexical search grow with the archive."""
    kept = {t for t in terms if shares.get(t, 0.0) <= max_share}
    if len(kept) < KEEP_RAREST:
        kept = set(sorted(terms, key=lambda t: shares.get(t, 0.0))[:KEEP_RAREST])
    return [t for t in terms if t in kept]


@dataclass(frozen=True)
class RetrievalSettings:
    candidates: int = 50  # sentences taken from each retriever before fusion
    rrf_k: int = 60
    # lexical search leaves out query terms in more than this share of the sentences (1: none);
    # chosen on the training side (lab/experiments/lexical-pruning/NOTE.md)
    max_term_share: float = 0.02


class Retriever:
    def __init__(self, store: Store, settings: RetrievalSettings = RetrievalSettings()):
        self.store = store
        self.settings = settings
        self._threads = ThreadPoolExecutor(RETRIEVAL_THREADS, thread_name_prefix="retrieve")

    def retrieve(self, claim: str, claim_vector: np.ndarray, filters: Filters, top_k: int) -> list[SentenceHit]:
        """The ``top_k`` sentences by fused rank, each carrying its RRF score."""
        dense = self.store.dense_search(claim_vector, filters, self.settings.candidates)
        return self._fused(self._lexical(claim, filters), dense, top_k)

    def retrieve_many(
        self, claims: Sequence[str], claim_vectors: np.ndarray, filters: Filters, top_k: int
    ) -> list[list[SentenceHit]]:
        """``retrieve`` for each claim: the dense search for all claims at once (one pass over the
        vectors), lexical search and fusion two claims at a time."""
        if len(claims) == 1:
            return [self.retrieve(claims[0], claim_vectors[0], filters, top_k)]
        dense = self.store.dense_search_many(claim_vectors, filters, self.settings.candidates)
        return list(
            self._threads.map(
                lambda claim, found: self._fused(self._lexical(claim, filters), found, top_k), claims, dense
            )
        )

    def _lexical(self, claim: str, filters: Filters) -> list[tuple[int, float]]:
        terms = lexical_query(claim).split()
        if self.settings.max_term_share < 1.0:
            terms = rarest_terms(terms, self.store.term_shares(terms), self.settings.max_term_share)
        return self.store.lexical_search(" ".join(terms), filters, self.settings.candidates)

    def _fused(self, lexical: list[tuple[int, float]], dense: list[tuple[int, float]], top_k: int) -> list[SentenceHit]:
        fused = reciprocal_rank_fusion([[i for i, _ in lexical], [i for i, _ in dense]], self.settings.rrf_k)
        ranked = sorted(fused, key=lambda i: -fused[i])
        hits = self.store.hits(ranked)
        return [
            replace(hits[i], retrieval_score=round(fused[i], 6), copies=copies)
            for i, copies in self._distinct(ranked, hits, top_k)
        ]

    @staticmethod
    def _distinct(
        ranked: list[int], hits: dict[int, SentenceHit], top_k: int
    ) -> list[tuple[int, tuple[tuple[str | None, str | None], ...]]]:
        """The best ``top_k`` ids whose sentences differ, each with the (source, published_at) of its
        copies among the candidates: a repeated sentence (a headline repeated as the lead, a syndicated
        copy in another article, with or without a dateline added: near_duplicate) is cited once, at its
        best rank."""
        seen: list[str] = []
        chosen: list[int] = []
        copies: list[list[tuple[str | None, str | None]]] = []
        for i in ranked:
            if i not in hits:
                continue
            key = normalized(hits[i].text)
            repeated = next((n for n, other in enumerate(seen) if near_duplicate(key, other)), None)
            if repeated is not None:
                copies[repeated].append((hits[i].source, hits[i].published_at))
                continue
            if len(chosen) == top_k:
                continue  # still looking for copies of the chosen ones
            seen.append(key)
            chosen.append(i)
            copies.append([])
        return [(i, tuple(c)) for i, c in zip(chosen, copies, strict=True)]
