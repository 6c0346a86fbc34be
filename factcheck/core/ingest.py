"""Ingest: derive the article id and content hash, split sentences, embed them, store atomically."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, replace

from factcheck.core.sentences import split_sentences
from factcheck.core.types import Article, Sentence
from factcheck.inference.embed import Embedder
from factcheck.store.base import Store

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"


def derive_id(article: Article) -> str:
    """The given id; else a stable id from the URL; else from the content hash."""
    if article.id:
        return article.id
    if article.url:
        return "url-" + hashlib.sha256(article.url.encode()).hexdigest()[:20]
    return "sha-" + article.content_hash[:20]


def content_hash(article: Article) -> str:
    """Hash of every stored field but the id: equal hashes mean nothing to re-index."""
    fields = [article.title, article.text, article.url, article.source, article.published_at,
              article.language, article.metadata]
    return hashlib.sha256(json.dumps(fields, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


@dataclass(frozen=True)
class IngestResult:
    id: str
    status: str  # created | updated | unchanged
    sentences: int


class Indexer:
    """Turns articles into stored, searchable sentences."""

    def __init__(self, store: Store, embedder: Embedder):
        self.store = store
        self.embedder = embedder

    def upsert(self, article: Article) -> IngestResult:
        """Store ``article``; skip all work when the same content is already stored under its id."""
        article = replace(article, content_hash=content_hash(article))
        article = replace(article, id=derive_id(article))
        previous = self.store.content_hash(article.id)
        if previous == article.content_hash:
            stored = self.store.get(article.id)
            return IngestResult(article.id, UNCHANGED, len(stored[1]) if stored else 0)
        sentences = [Sentence(s.index, s.start, s.end, s.text) for s in split_sentences(article.text, article.language)]
        vectors = self.embedder.encode([s.text for s in sentences])
        self.store.upsert(article, sentences, vectors)
        return IngestResult(article.id, CREATED if previous is None else UPDATED, len(sentences))

    def upsert_many(self, articles: Sequence[Article]) -> list[IngestResult]:
        return [self.upsert(a) for a in articles]
