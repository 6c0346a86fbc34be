"""The store interface every backend implements (SQLite now; PostgreSQL can follow).

Contract notes that every backend must honour:
- ``upsert`` writes the article row, its sentences, their lexical index rows and their vectors in
  one transaction: after a crash an article is either complete or absent.
- ``upsert`` of an id that exists replaces the article and all of its sentences.
- Search methods return ``(sentence_id, score)`` with higher scores better, already restricted by
  ``filters``, at most ``limit`` rows.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, Protocol

import numpy as np

from factcheck.records import (
    Article,
    ArticleVersion,
    AuditEntry,
    CheckQuery,
    Entity,
    Filters,
    Sentence,
    SentenceHit,
    StoredCheck,
)


class StoreError(Exception):
    """The store could not be reached or used."""


def stored_check(row: Sequence, citations: Sequence[tuple[str, str]]) -> StoredCheck:
    """A StoredCheck from a row (id, created_at, claim, verdict, confidence, body JSON, stale JSON or None)
    and its citations."""
    body = json.loads(row[5]) if isinstance(row[5], str) else row[5]
    stale = json.loads(row[6]) if isinstance(row[6], str) else row[6]
    return StoredCheck(
        row[0],
        row[1],
        row[2],
        row[3],
        float(row[4]),
        body["result"],
        body["provenance"],
        body["request"],
        tuple(citations),
        tuple(body.get("history", ())),
        stale,
    )


def check_body(check: StoredCheck) -> str:
    return json.dumps(
        {"result": check.result, "provenance": check.provenance, "request": check.request, "history": check.history}
    )


def scrubbed(body: dict[str, Any], article_id: str) -> dict[str, Any]:
    """A stored check's body after ``article_id`` was purged: its citations of that article keep the
    cited sentence's text and where it stood, nothing else of the article."""

    def scrub(evidence: dict[str, Any]) -> dict[str, Any]:
        if evidence.get("article_id") != article_id:
            return evidence
        gone = {"title": "", "url": None, "source": None, "published_at": None, "article_version": "purged"}
        return {**evidence, **gone, "purged": True}

    result = {**body["result"], "evidence": [scrub(e) for e in body["result"].get("evidence", [])]}
    return {**body, "result": result}


# An article's stored fields after its id, in the order every table that keeps articles has them.
ARTICLE_FIELDS = "title, text, url, source, published_at, language, metadata, content_hash"
ARTICLE_COLUMNS = f"id, {ARTICLE_FIELDS}, tagged_by"  # the articles table, as both stores read and write it
AUDIT_COLUMNS = "at, key_id, action, resource, request_id, outcome"


def article_fields(article: Article) -> tuple:
    """The values of ARTICLE_FIELDS for ``article`` (metadata as JSON, keys sorted)."""
    metadata = json.dumps(article.metadata, sort_keys=True)
    return (
        article.title,
        article.text,
        article.url,
        article.source,
        article.published_at,
        article.language,
        metadata,
        article.content_hash,
    )


def entities_json(entities: Sequence[Entity] | None) -> str | None:
    """A sentence's entities as stored: ``[[start, end, label, subject], ...]`` (the text is the sentence's)."""
    if entities is None:
        return None
    return json.dumps([[e.start, e.end, e.label, int(e.subject)] for e in entities], separators=(",", ":"))


def entities_from_json(stored: str | list | None, text: str) -> tuple[Entity, ...] | None:
    """The entities of a sentence ``text`` from their stored form (a JSON string, or PostgreSQL's decoded
    list); None for a sentence that was never tagged."""
    if stored is None:
        return None
    rows = json.loads(stored) if isinstance(stored, str) else stored
    return tuple(Entity(start, end, label, text[start:end], bool(subject)) for start, end, label, subject in rows)


class Store(Protocol):
    def upsert(self, article: Article, sentences: Sequence[Sentence], vectors: np.ndarray) -> None:
        """Create or replace ``article`` with its sentences and one vector per sentence."""

    def content_hash(self, article_id: str) -> str | None:
        """The stored content hash of ``article_id``, None when absent."""

    def get(self, article_id: str) -> tuple[Article, list[Sentence]] | None:
        """The article and its sentences in order, None when absent."""

    def article_ids_with_url(self, url: str) -> list[str]:
        """The ids of the stored articles whose URL is ``url``."""

    def term_shares(self, terms: Sequence[str]) -> dict[str, float]:
        """For each query term, the share of the indexed sentences it is found in (as the lexical
        search stems it); a term the store has no count for is left out (treat it as rare)."""

    def list_articles(self, filters: Filters, after: str | None, limit: int) -> tuple[list[Article], str | None]:
        """A page of articles in insertion order and the cursor for the next page (None at the end)."""

    def delete(self, article_id: str, purge: bool = False) -> bool:
        """Remove an article and everything indexed for it, keeping a tombstone version; ``purge`` also
        removes its versions, and the checks citing it keep the cited sentences' text only. False when
        there was nothing to remove."""

    def count_undated(self) -> int:
        """How many articles have no ``published_at`` (an as-of check leaves them out)."""

    def retired_at(self, as_of: str) -> list[SentenceHit]:
        """Sentences that a later change or deletion retired, of article versions published by ``as_of``
        (``superseded``, ``article_version`` their version's hash, their vectors loaded)."""

    def versions(self, article_id: str) -> list[ArticleVersion]:
        """Every version of an article, oldest first (empty: never stored, or purged)."""

    def untagged(self, after: str | None, limit: int) -> tuple[list[tuple[Article, list[Sentence]]], str | None]:
        """A page of English articles whose sentences have no entities yet, and the cursor for the next."""

    def count_untagged(self) -> int:
        """How many English articles have no entities yet."""

    def set_entities(self, article: Article, tagged_by: str, sentences: Sequence[Sentence]) -> bool:
        """Store the entities of ``article``'s sentences (by index) if it still has ``article.content_hash``;
        False when it changed or went meanwhile."""

    def add_audit(self, entries: Sequence[AuditEntry]) -> None:
        """Append entries to the audit log (in their own transaction)."""

    def list_audit(self, after: str | None, limit: int) -> tuple[list[AuditEntry], str | None]:
        """A page of the audit log, oldest first, and the cursor for the next page (None at the end)."""

    def save_checks(self, checks: Sequence[StoredCheck]) -> None:
        """Store checks with their citations, in one transaction."""

    def get_check(self, check_id: str) -> StoredCheck | None:
        """A stored check, None when absent."""

    def update_check(self, check: StoredCheck) -> None:
        """Replace a stored check's result, provenance and citations (its id and creation time stay)."""

    def mark_stale(self, article_id: str, reason: dict[str, Any]) -> int:
        """Mark every stored check citing ``article_id`` for a re-check; how many were marked."""

    def lease_stale(self, owner: str, limit: int, lease_seconds: float) -> list[StoredCheck]:
        """Lease up to ``limit`` checks waiting for a re-check (or whose lease ran out)."""

    def finish_recheck(self, check: StoredCheck, owner: str) -> bool:
        """Store a re-checked check and clear its mark, if ``owner`` still holds its lease and no newer
        change marked it meanwhile; False otherwise (nothing written)."""

    def list_checks(self, query: CheckQuery, after: str | None, limit: int) -> tuple[list[StoredCheck], str | None]:
        """A page of stored checks, oldest first, and the cursor for the next page (None at the end)."""

    def lexical_search(self, query: str, filters: Filters, limit: int) -> list[tuple[int, float]]:
        """Full-text ranked sentences for a whitespace-separated bag of terms."""

    def dense_search(self, vector: np.ndarray, filters: Filters, limit: int) -> list[tuple[int, float]]:
        """Sentences by cosine similarity to a unit ``vector``."""

    def dense_search_many(self, vectors: np.ndarray, filters: Filters, limit: int) -> list[list[tuple[int, float]]]:
        """``dense_search`` for each row of ``vectors`` (a backend may score them in one pass)."""

    def hits(self, sentence_ids: Sequence[int]) -> dict[int, SentenceHit]:
        """Sentence rows joined with their article's citation fields and their stored vector."""

    def stats(self) -> dict[str, int]:
        """``{"articles": n, "sentences": m}``, kept in the meta table by every write (no COUNT(*) scan)."""

    schema_versions: tuple[int, int]  # (version found, version now) when the store was opened

    def migrate(self) -> tuple[int, int]:
        """Apply pending schema migrations; (version before, version after). Opening a store does it too."""

    def ping(self) -> None:
        """Raise StoreError when the store cannot answer."""
