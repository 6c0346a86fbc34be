"""Checking a claim as of a date: only articles published by then, each as it stood then.

Retrieval already keeps to articles published at or before ``as_of`` (undated ones are left out, and
the answer says how many). Each retrieved sentence comes from its article's current version; when the
article changed after ``as_of``, the version current then is found (the latest version begun by
``as_of``, else the first: an archive article indexed after the date counts as it was first indexed).
A sentence that this version also has is cited from it, marked ``superseded`` (a later version
exists); a sentence it does not have did not exist then and is dropped, so fewer than ``top_k``
sentences may be cited. A sentence that the version had and a later correction removed is not
searched: only current sentences are indexed.
"""

from __future__ import annotations

from dataclasses import replace

from factcheck.records import ArticleVersion, SentenceHit
from factcheck.store.base import Store


def as_it_stood(hits: list[SentenceHit], as_of: str, store: Store) -> list[SentenceHit]:
    """``hits`` as they read at ``as_of``: cited from the version current then, or dropped."""
    versions: dict[str, ArticleVersion | None] = {}
    kept = []
    for hit in hits:
        if hit.article_id not in versions:
            versions[hit.article_id] = version_at(store.versions(hit.article_id), as_of)
        then = versions[hit.article_id]
        if then is None or then.article.content_hash == hit.article_version:
            kept.append(hit)
        elif hit.text in then.article.text:
            kept.append(replace(hit, article_version=then.article.content_hash, superseded=True))
    return kept


def version_at(versions: list[ArticleVersion], as_of: str) -> ArticleVersion | None:
    """The version current at ``as_of``: the latest begun by then, else the first (None: no versions)."""
    live = [v for v in versions if not v.deleted]
    begun = [v for v in live if v.valid_from is None or v.valid_from <= as_of]
    if begun:
        return begun[-1]
    return live[0] if live else None
