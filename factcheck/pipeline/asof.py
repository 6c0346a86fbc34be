"""Checking a claim as of a date: only articles published by then, each as it stood then.

Retrieval already keeps to articles published at or before ``as_of`` (undated ones are left out, and
the answer says how many). Each retrieved sentence comes from its article's current version; when the
article changed after ``as_of``, the version current then is found (the latest version begun by
``as_of``, else the first: an archive article indexed after the date counts as it was first indexed).
A sentence that this version also has is cited from it, marked ``superseded`` (a later version
exists); a sentence it does not have did not exist then and is dropped. Sentences that a later
change or deletion removed are kept apart when it happens (``retired_sentences``, with their
vectors); those of the versions current at ``as_of`` join the candidates, and the whole set is ranked
by cosine with the claim, ``top_k`` kept. (Their lexical rank is not known, so an as-of check ranks
by the dense score alone.)
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from factcheck.records import ArticleVersion, Filters, SentenceHit
from factcheck.store.base import Store


def as_it_stood(
    hits: list[SentenceHit], filters: Filters, store: Store, claim_vector: np.ndarray, top_k: int
) -> list[SentenceHit]:
    """The sentences to cite as of ``filters.as_of``: ``hits`` cited from the versions current then (or
    dropped), and the retired sentences of those versions, best ``top_k`` by cosine with the claim."""
    as_of = filters.as_of or ""
    then = _Versions(store, as_of)
    kept = [h for h in (then.read(hit) for hit in hits) if h is not None]
    seen = {(h.article_id, h.text) for h in kept}
    retired = [
        h
        for h in store.retired_at(as_of)
        if _passes(h, filters) and (h.article_id, h.text) not in seen and then.hash(h.article_id) == h.article_version
    ]
    if not retired:
        return kept
    vector = np.asarray(claim_vector, dtype=np.float32)
    pool = [*kept, *retired]
    return sorted(pool, key=lambda h: -float(np.dot(h.vector, vector)) if h.vector is not None else 1.0)[:top_k]


class _Versions:
    """The version of each article current at ``as_of``, looked up once per article."""

    def __init__(self, store: Store, as_of: str):
        self.store, self.as_of = store, as_of
        self._then: dict[str, ArticleVersion | None] = {}

    def get(self, article_id: str) -> ArticleVersion | None:
        if article_id not in self._then:
            self._then[article_id] = version_at(self.store.versions(article_id), self.as_of)
        return self._then[article_id]

    def hash(self, article_id: str) -> str | None:
        version = self.get(article_id)
        return version.article.content_hash if version else None

    def read(self, hit: SentenceHit) -> SentenceHit | None:
        """A current sentence as of then: itself, from the version current then (superseded), or None."""
        then = self.get(hit.article_id)
        if then is None or then.article.content_hash == hit.article_version:
            return hit
        if hit.text in then.article.text:
            return replace(hit, article_version=then.article.content_hash, superseded=True)
        return None


def _passes(hit: SentenceHit, filters: Filters) -> bool:
    """Whether a retired sentence passes the request's other filters."""
    return (
        (not filters.sources or hit.source in filters.sources)
        and (not filters.published_after or (hit.published_at or "") >= filters.published_after)
        and (not filters.published_before or (hit.published_at or "") <= filters.published_before)
        and hit.article_id not in filters.exclude_article_ids
    )


def version_at(versions: list[ArticleVersion], as_of: str) -> ArticleVersion | None:
    """The version current at ``as_of``: the latest begun by then, else the first (None: no versions)."""
    live = [v for v in versions if not v.deleted]
    begun = [v for v in live if v.valid_from is None or v.valid_from <= as_of]
    if begun:
        return begun[-1]
    return live[0] if live else None
