"""Ingest: derive the article id and content hash, split sentences, embed them, store atomically."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from factcheck.inference.embed import Embedder
from factcheck.inference.language import EntityTagger
from factcheck.inference.runtime import ALONE
from factcheck.pipeline.antecedents import antecedents
from factcheck.pipeline.attribution import reports_speech
from factcheck.pipeline.sentences import split_sentences
from factcheck.records import Article, Entity, Sentence
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
    fields = [
        article.title,
        article.text,
        article.url,
        article.source,
        article.published_at,
        article.language,
        article.metadata,
    ]
    return hashlib.sha256(json.dumps(fields, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


@dataclass(frozen=True)
class IngestResult:
    id: str
    status: str  # created | updated | unchanged
    sentences: int


class Indexer:
    """Turns articles into stored, searchable sentences, with their named entities when an entity
    tagger is given (English articles only; others are stored untagged and say so)."""

    def __init__(self, store: Store, embedder: Embedder, tagger: EntityTagger | None = None):
        self.store = store
        self.embedder = embedder
        self.tagger = tagger

    def upsert(self, article: Article) -> IngestResult:
        """Store ``article``; skip all work when the same content is already stored under its id."""
        return self.upsert_many([article])[0]

    def upsert_many(self, articles: Sequence[Article]) -> list[IngestResult]:
        """Store several articles, embedding all their new sentences in one call, each sentence alone
        (runtime.ALONE, two side by side): its stored vector is the one its text gets as a claim, and
        on 2 cores that was faster than batches of 64 (docs/decisions/0110). Each article is still
        stored in its own transaction. An id repeated in
        ``articles`` ends with its last version, as if they had been sent one by one."""
        prepared = [self._prepare(a) for a in articles]
        counts = [
            len(sentences) if sentences or previous != a.content_hash else self._stored_count(a.id)
            for a, previous, sentences in prepared
        ]  # read before any write
        seen: dict[str, str] = {}
        statuses = []
        for article, previous, _ in prepared:
            before = seen.get(article.id, previous)
            statuses.append(UNCHANGED if before == article.content_hash else CREATED if before is None else UPDATED)
            seen[article.id] = article.content_hash
        todo = [(self._tagged(*p), s) for p, s in zip(prepared, statuses, strict=True) if s != UNCHANGED]
        texts = [s.text for (_, _, sentences), _ in todo for s in sentences]
        vectors = self.embedder.encode(texts, batch_size=ALONE)
        row = 0
        for (article, _, sentences), _ in todo:
            self.store.upsert(article, sentences, vectors[row : row + len(sentences)])
            row += len(sentences)
        return [IngestResult(a.id, status, n) for (a, _, _), status, n in zip(prepared, statuses, counts, strict=True)]

    def upsert_chunked(
        self,
        articles: Sequence[Article],
        chunk: int = 100,
        progress: Callable[[int, list[IngestResult]], None] | None = None,
    ) -> list[IngestResult]:
        """``upsert_many`` over ``articles`` ``chunk`` at a time (a bounded embedding batch, and what is
        stored stays stored if a later chunk fails); ``progress(done, chunk_results)`` after each chunk."""
        results: list[IngestResult] = []
        for start in range(0, len(articles), chunk):
            done = self.upsert_many(articles[start : start + chunk])
            results += done
            if progress is not None:
                progress(len(results), done)
        return results

    def _prepare(self, article: Article) -> tuple[Article, str | None, list[Sentence]]:
        """The article with its hash and id, the hash stored under that id, and its sentences."""
        article = replace(article, content_hash=content_hash(article))
        article = replace(article, id=derive_id(article))
        previous = self.store.content_hash(article.id)
        if previous == article.content_hash:
            return article, previous, []
        sentences = [Sentence(s.index, s.start, s.end, s.text) for s in split_sentences(article.text, article.language)]
        return article, previous, sentences

    def _tagged(
        self, article: Article, previous: str | None, sentences: list[Sentence]
    ) -> tuple[Article, str | None, list[Sentence]]:
        """The article and its sentences with their named entities, when there is a tagger and it reads
        the article's language."""
        if self.tagger is None or not article.english:
            return article, previous, sentences
        found = speech_entities(self.tagger, [s.text for s in sentences])
        return replace(article, tagged_by=self.tagger.name), previous, _read(sentences, found)

    def _stored_count(self, article_id: str) -> int:
        stored = self.store.get(article_id)
        return len(stored[1]) if stored else 0


def tag_untagged(
    store: Store, tagger: EntityTagger, batch: int = 32, progress: Callable[[int], None] | None = None
) -> int:
    """Tag the stored English articles that have no entities yet (indexed without a tagger, or before
    entities were stored), ``batch`` articles per pass; ``progress(articles)`` after each. An article
    changed meanwhile is left to its new version's ingest. Returns how many were tagged."""
    tagged, cursor = 0, None
    while True:
        page, cursor = store.untagged(cursor, batch)
        texts = [s.text for _, sentences in page for s in sentences]
        found = iter(speech_entities(tagger, texts))
        for article, sentences in page:
            read = _read(sentences, [next(found) for _ in sentences])
            tagged += store.set_entities(article, tagger.name, read)
        if progress is not None:
            progress(len(page))
        if cursor is None:
            return tagged


def speech_entities(tagger: EntityTagger, texts: Sequence[str]) -> list[tuple[Entity, ...] | None]:
    """The named entities of each text that reports speech (a verb of saying, "according to"), found by
    NER alone; None for the others. A check reads stored entities only to find who a sentence quotes
    (attribution.py), so ingest tags only these: about a third of news sentences."""
    speech = [i for i, text in enumerate(texts) if reports_speech(text)]
    found = dict(zip(speech, tagger.entities([texts[i] for i in speech], parse=False), strict=True))
    return [found.get(i) for i in range(len(texts))]


def _read(sentences: Sequence[Sentence], found: Sequence[tuple[Entity, ...] | None]) -> list[Sentence]:
    """An article's sentences with their entities and antecedents: what the news reading of a check
    needs."""
    needs = antecedents([s.text for s in sentences])
    return [replace(s, entities=e, antecedent=a) for s, e, a in zip(sentences, found, needs, strict=True)]
