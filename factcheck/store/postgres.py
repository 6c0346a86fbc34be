"""PostgreSQL store: BM25 over impact-ordered postings and pgvector embeddings (HNSW).

Lexical ranking is the SQLite store's (``factcheck.store.postings``); dense ranking is cosine
similarity (1 - the ``<=>`` cosine distance) through the HNSW index, with pgvector's iterative scan
so filters still fill ``limit`` rows.
Several service instances can share one database: every write is one transaction.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import replace
from functools import partial
from typing import Any

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
    timestamp,
)
from factcheck.store import checks as stored_checks
from factcheck.store import postings
from factcheck.store import versions as article_versions
from factcheck.store.base import (
    ARTICLE_COLUMNS,
    AUDIT_COLUMNS,
    StoreError,
    article_fields,
    entities_from_json,
    entities_json,
)
from factcheck.store.migrations import JOB_SCHEMA, POSTGRES, POSTINGS_VERSION, for_dialect, migrate
from factcheck.store.postings import POSTINGS_PER_TERM, Lexical

# v3: article and sentence counts kept in meta (stats() is on every check's hot path; COUNT(*) is a scan)
COUNTS = """
INSERT INTO meta SELECT 'articles', COUNT(*)::text FROM articles ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value;
INSERT INTO meta SELECT 'sentences', COUNT(*)::text FROM sentences
    ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value
"""
# v4: a random key naming this database (the SQLite backend names its saved vector graph with it)
STORE_KEY = (
    "INSERT INTO meta VALUES ('store_key', md5(random()::text || clock_timestamp()::text)) ON CONFLICT DO NOTHING"
)


ENGLISH = "lower(substr(language, 1, 2)) = 'en'"  # what Article.english says, in SQL
JSONB = "%s::jsonb"  # how a JSON value is written (factcheck/store/checks.py)


def migrations(dimension: int) -> list[str]:
    return [_schema_v1(dimension), JOB_SCHEMA, COUNTS, STORE_KEY, *for_dialect(POSTGRES)]


def _count(conn, articles: int, sentences: int) -> None:
    """Adjust the stored counts inside the caller's transaction."""
    conn.execute(
        "UPDATE meta SET value = (value::bigint + CASE key WHEN 'articles' THEN %s ELSE %s END)::text"
        " WHERE key IN ('articles', 'sentences')",
        (articles, sentences),
    )


def _schema_v1(dimension: int) -> str:
    return f"""
CREATE EXTENSION IF NOT EXISTS vector;
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    pk BIGSERIAL PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    text TEXT NOT NULL,
    url TEXT,
    source TEXT,
    published_at TEXT,
    language TEXT NOT NULL,
    metadata JSONB NOT NULL,
    content_hash TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS articles_source ON articles (source);
CREATE INDEX IF NOT EXISTS articles_published ON articles (published_at);
CREATE TABLE IF NOT EXISTS sentences (
    id BIGSERIAL PRIMARY KEY,
    article_pk BIGINT NOT NULL REFERENCES articles (pk) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    text TEXT NOT NULL,
    tsv TSVECTOR GENERATED ALWAYS AS (to_tsvector('english', text)) STORED,
    embedding VECTOR({dimension}) NOT NULL
);
CREATE INDEX IF NOT EXISTS sentences_article ON sentences (article_pk, idx);
CREATE INDEX IF NOT EXISTS sentences_tsv ON sentences USING GIN (tsv);
CREATE INDEX IF NOT EXISTS sentences_embedding ON sentences USING HNSW (embedding vector_cosine_ops);
"""


def _article(row: tuple) -> Article:
    return Article(*row[:10])


def _filter_sql(filters: Filters, alias: str = "a") -> tuple[str, list]:
    clauses: list[str] = []
    params: list[Any] = []
    if filters.sources:
        clauses.append(f"{alias}.source = ANY(%s)")
        params.append(list(filters.sources))
    if filters.published_after:
        clauses.append(f"{alias}.published_at >= %s")
        params.append(filters.published_after)
    if filters.published_before:
        clauses.append(f"{alias}.published_at <= %s")
        params.append(filters.published_before)
    if filters.as_of:  # undated articles are left out: NULL <= x is not true
        clauses.append(f"{alias}.published_at <= %s")
        params.append(filters.as_of)
    if filters.exclude_article_ids:
        clauses.append(f"NOT ({alias}.id = ANY(%s))")
        params.append(list(filters.exclude_article_ids))
    return (" AND ".join(clauses) or "TRUE"), params


class PostgresStore:
    """Store on PostgreSQL with pgvector. One connection per thread."""

    def __init__(self, url: str, dimension: int = 384, postings_per_term: int | None = POSTINGS_PER_TERM):
        try:
            import psycopg  # noqa: F401
            from pgvector.psycopg import register_vector  # noqa: F401
        except ImportError as exc:
            raise StoreError(
                "the PostgreSQL store needs the 'postgres' extra: pip install 'factcheck[postgres]'"
            ) from exc
        self.url = url
        self.dimension = dimension
        self._local = threading.local()
        self._lexical = Lexical(postings_per_term)
        self.schema_versions = self.migrate()  # (version found, version now)

    def migrate(self) -> tuple[int, int]:
        """Bring the schema to the latest version (one instance at a time); returns (before, after)."""
        conn = self._conn()
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(20261122)")
            before, after = migrate(conn.execute, migrations(self.dimension), placeholder="%s")
            if before < POSTINGS_VERSION <= after:
                total = conn.execute("SELECT COUNT(*) FROM sentences").fetchone()[0]
                with conn.cursor(name="sentences") as sentences, conn.cursor() as cursor:
                    sentences.execute("SELECT id, text FROM sentences ORDER BY id")
                    batches = iter(lambda: sentences.fetchmany(10_000), [])
                    postings.backfill(total, batches, partial(cursor.executemany, postings.INSERT))
            return before, after

    def connection(self):
        """This thread's connection (other modules sharing the database use it)."""
        return self._conn()

    def _conn(self):
        conn = getattr(self._local, "conn", None)
        if conn is None or conn.closed:
            import psycopg
            from pgvector.psycopg import register_vector

            try:
                conn = psycopg.connect(self.url, autocommit=True)
                conn.execute("CREATE EXTENSION IF NOT EXISTS vector")
                register_vector(conn)
            except psycopg.Error as exc:
                raise StoreError(f"cannot connect to PostgreSQL: {exc}") from exc
            self._local.conn = conn
        return conn

    # -- articles ---------------------------------------------------------------------------

    def upsert(self, article: Article, sentences: Sequence[Sentence], vectors: np.ndarray) -> None:
        if len(sentences) != len(vectors):
            raise ValueError("one vector per sentence is required")
        conn = self._conn()
        values = (*article_fields(article), article.tagged_by)
        with conn.transaction():
            pk, created = conn.execute(
                f"INSERT INTO articles ({ARTICLE_COLUMNS}) VALUES (%s,%s,%s,%s,%s,%s,%s,%s::jsonb,%s,%s)"
                " ON CONFLICT (id) DO UPDATE SET title=EXCLUDED.title, text=EXCLUDED.text, url=EXCLUDED.url,"
                " source=EXCLUDED.source, published_at=EXCLUDED.published_at, language=EXCLUDED.language,"
                " metadata=EXCLUDED.metadata, content_hash=EXCLUDED.content_hash, tagged_by=EXCLUDED.tagged_by"
                " RETURNING pk, xmax = 0",
                (article.id, *values),
            ).fetchone()
            article_versions.retire(conn.execute, article.id, pk, "embedding")
            removed = self._delete_sentences(conn, pk)
            _count(conn, articles=int(created), sentences=len(sentences) - removed)
            article_versions.add_version(conn.execute, article, timestamp())
            with conn.cursor() as cursor:
                cursor.executemany(
                    'INSERT INTO sentences (article_pk, idx, start, "end", text, embedding, entities, antecedent)'
                    " VALUES (%s,%s,%s,%s,%s,%s,%s::jsonb,%s)",
                    [
                        (
                            pk,
                            s.index,
                            s.start,
                            s.end,
                            s.text,
                            np.asarray(v, dtype=np.float32),
                            entities_json(s.entities),
                            s.antecedent,
                        )
                        for s, v in zip(sentences, vectors, strict=True)
                    ],
                )
                rows = conn.execute("SELECT id, text FROM sentences WHERE article_pk = %s", (pk,)).fetchall()
                cursor.executemany(postings.INSERT, postings.rows(rows))

    @staticmethod
    def _delete_sentences(conn: Any, pk: int) -> int:
        """Delete an article's sentences and their postings; returns how many sentences were deleted."""
        conn.execute(postings.DELETE_ARTICLE, (pk,))
        return conn.execute("DELETE FROM sentences WHERE article_pk = %s", (pk,)).rowcount

    def content_hash(self, article_id: str) -> str | None:
        row = self._conn().execute("SELECT content_hash FROM articles WHERE id = %s", (article_id,)).fetchone()
        return row[0] if row else None

    def article_ids_with_url(self, url: str) -> list[str]:
        rows = self._conn().execute("SELECT id FROM articles WHERE url = %s", (url,)).fetchall()
        return [row[0] for row in rows]

    def get(self, article_id: str) -> tuple[Article, list[Sentence]] | None:
        conn = self._conn()
        row = conn.execute(f"SELECT pk, {ARTICLE_COLUMNS} FROM articles WHERE id = %s", (article_id,)).fetchone()
        if row is None:
            return None
        return _article(row[1:]), self._sentences(conn, row[0])

    @staticmethod
    def _sentences(conn: Any, pk: int) -> list[Sentence]:
        rows = conn.execute(
            'SELECT idx, start, "end", text, entities, antecedent FROM sentences WHERE article_pk = %s ORDER BY idx',
            (pk,),
        )
        return [Sentence(r[0], r[1], r[2], r[3], entities_from_json(r[4], r[3]), r[5]) for r in rows]

    def list_articles(self, filters: Filters, after: str | None, limit: int) -> tuple[list[Article], str | None]:
        where, params = _filter_sql(filters)
        rows = (
            self._conn()
            .execute(
                f"SELECT pk, {ARTICLE_COLUMNS} FROM articles a WHERE {where} AND a.pk > %s ORDER BY a.pk LIMIT %s",
                (*params, int(after or 0), limit + 1),
            )
            .fetchall()
        )
        cursor = str(rows[limit - 1][0]) if len(rows) > limit else None
        return [_article(r[1:]) for r in rows[:limit]], cursor

    def untagged(self, after: str | None, limit: int) -> tuple[list[tuple[Article, list[Sentence]]], str | None]:
        conn = self._conn()
        rows = conn.execute(
            f"SELECT pk, {ARTICLE_COLUMNS} FROM articles WHERE tagged_by IS NULL AND {ENGLISH} AND pk > %s"
            " ORDER BY pk LIMIT %s",
            (int(after or 0), limit),
        ).fetchall()
        cursor = str(rows[-1][0]) if len(rows) == limit else None
        return [(_article(r[1:]), self._sentences(conn, r[0])) for r in rows], cursor

    def count_untagged(self) -> int:
        sql = f"SELECT COUNT(*) FROM articles WHERE tagged_by IS NULL AND {ENGLISH}"
        return int(self._conn().execute(sql).fetchone()[0])

    def set_entities(self, article: Article, tagged_by: str, sentences: Sequence[Sentence]) -> bool:
        conn = self._conn()
        with conn.transaction():
            row = conn.execute(
                "SELECT pk FROM articles WHERE id = %s AND content_hash = %s FOR UPDATE",
                (article.id, article.content_hash),
            ).fetchone()
            if row is None:
                return False
            with conn.cursor() as cursor:
                cursor.executemany(
                    "UPDATE sentences SET entities = %s::jsonb, antecedent = %s WHERE article_pk = %s AND idx = %s",
                    [(entities_json(s.entities), s.antecedent, row[0], s.index) for s in sentences],
                )
            conn.execute("UPDATE articles SET tagged_by = %s WHERE pk = %s", (tagged_by, row[0]))
        return True

    def add_audit(self, entries: Sequence[AuditEntry]) -> None:
        conn = self._conn()
        with conn.transaction(), conn.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO audit ({AUDIT_COLUMNS}) VALUES (%s,%s,%s,%s,%s,%s)",
                [(e.at, e.key_id, e.action, e.resource, e.request_id, e.outcome) for e in entries],
            )

    def list_audit(self, after: str | None, limit: int) -> tuple[list[AuditEntry], str | None]:
        rows = (
            self._conn()
            .execute(
                f"SELECT id, {AUDIT_COLUMNS} FROM audit WHERE id > %s ORDER BY id LIMIT %s",
                (int(after or 0), limit + 1),
            )
            .fetchall()
        )
        entries = [AuditEntry(r[1], r[2], r[3], r[4], r[6], r[5], int(r[0])) for r in rows[:limit]]
        return entries, (str(rows[limit - 1][0]) if len(rows) > limit else None)

    def save_checks(self, checks: Sequence[StoredCheck]) -> None:
        conn = self._conn()
        with conn.transaction():
            for check in checks:
                stored_checks.insert(conn.execute, check, JSONB)

    def update_check(self, check: StoredCheck) -> None:
        conn = self._conn()
        with conn.transaction():
            pk = stored_checks.pk_of(conn.execute, check.id)
            if pk is None:
                raise LookupError(f"no stored check {check.id!r}")
            stored_checks.replace(conn.execute, pk, check, JSONB)

    def mark_stale(self, article_id: str, reason: dict[str, Any]) -> int:
        return stored_checks.mark_stale(self._conn().execute, article_id, reason, JSONB)

    def lease_stale(self, owner: str, limit: int, lease_seconds: float) -> list[StoredCheck]:
        conn = self._conn()
        with conn.transaction():
            return stored_checks.lease_stale(conn.execute, owner, limit, lease_seconds, "FOR UPDATE SKIP LOCKED")

    def finish_recheck(self, check: StoredCheck, owner: str) -> bool:
        conn = self._conn()
        with conn.transaction():
            return stored_checks.finish_recheck(conn.execute, check, owner, JSONB, "FOR UPDATE")

    def get_check(self, check_id: str) -> StoredCheck | None:
        return stored_checks.get(self._conn().execute, check_id)

    def list_checks(self, query: CheckQuery, after: str | None, limit: int) -> tuple[list[StoredCheck], str | None]:
        return stored_checks.page(self._conn().execute, query, after, limit)

    def delete(self, article_id: str, purge: bool = False) -> bool:
        conn = self._conn()
        deleted = False
        with conn.transaction():
            row = conn.execute("SELECT pk FROM articles WHERE id = %s FOR UPDATE", (article_id,)).fetchone()
            if row is not None:
                article_versions.retire(conn.execute, article_id, row[0], "embedding")
                removed = self._delete_sentences(conn, row[0])
                conn.execute("DELETE FROM articles WHERE pk = %s", (row[0],))
                _count(conn, articles=-1, sentences=-removed)
                article_versions.add_tombstone(conn.execute, article_id, timestamp())
                deleted = True
            if purge:
                deleted = deleted or bool(article_versions.versions(conn.execute, article_id))
                article_versions.purge(conn.execute, article_id)
                stored_checks.scrub(conn.execute, article_id, JSONB)
        return deleted

    def retired_at(self, as_of: str) -> list[SentenceHit]:
        return article_versions.retired_at(self._conn().execute, as_of)

    def count_undated(self) -> int:
        return int(self._conn().execute("SELECT COUNT(*) FROM articles WHERE published_at IS NULL").fetchone()[0])

    def versions(self, article_id: str) -> list[ArticleVersion]:
        return article_versions.versions(self._conn().execute, article_id)

    # -- search -----------------------------------------------------------------------------

    def term_shares(self, terms: Sequence[str]) -> dict[str, float]:
        return self._lexical.shares(self._conn().execute, terms, self.stats()["sentences"])

    def lexical_search(self, query: str, filters: Filters, limit: int) -> list[tuple[int, float]]:
        where, params = ("", []) if filters.empty else _filter_sql(filters)
        return self._lexical.search(
            self._conn().execute, query.split(), self.stats()["sentences"], limit, where, params
        )

    def dense_search(self, vector: np.ndarray, filters: Filters, limit: int) -> list[tuple[int, float]]:
        where, params = _filter_sql(filters)
        conn = self._conn()
        with conn.transaction():
            conn.execute("SET LOCAL hnsw.iterative_scan = relaxed_order")
            conn.execute(f"SET LOCAL hnsw.ef_search = {max(40, 2 * limit):d}")
            rows = conn.execute(
                "SELECT s.id, 1 - (s.embedding <=> %s) AS score FROM sentences s JOIN articles a ON a.pk = s.article_pk"
                f" WHERE {where} ORDER BY s.embedding <=> %s LIMIT %s",
                (np.asarray(vector, dtype=np.float32), *params, np.asarray(vector, dtype=np.float32), limit),
            ).fetchall()
        return sorted(((int(r[0]), float(r[1])) for r in rows), key=lambda t: -t[1])

    def dense_search_many(self, vectors: np.ndarray, filters: Filters, limit: int) -> list[list[tuple[int, float]]]:
        return [self.dense_search(vector, filters, limit) for vector in vectors]  # HNSW: one index walk each

    def hits(self, sentence_ids: Sequence[int]) -> dict[int, SentenceHit]:
        if not sentence_ids:
            return {}
        rows = (
            self._conn()
            .execute(
                'SELECT s.id, a.id, a.title, a.url, a.source, a.published_at, s.idx, s.start, s."end", s.text,'
                " s.embedding, lead.text, previous.text, s.entities, antecedent.text, a.content_hash"
                " FROM sentences s JOIN articles a ON a.pk = s.article_pk"
                " LEFT JOIN sentences antecedent ON antecedent.article_pk = s.article_pk"
                "   AND antecedent.idx = s.antecedent"
                " LEFT JOIN sentences lead ON lead.article_pk = s.article_pk AND lead.idx = 0 AND s.idx > 0"
                " LEFT JOIN sentences previous ON previous.article_pk = s.article_pk AND previous.idx = s.idx - 1"
                "   AND s.idx > 1"
                " WHERE s.id = ANY(%s)",
                (list(sentence_ids),),
                binary=True,  # vectors as bytes, not as text of 384 numbers to parse
            )
            .fetchall()
        )
        return {
            int(r[0]): replace(
                _hit(r, r[10].to_numpy().astype(np.float32), (r[11], r[12]), entities_from_json(r[13], r[9])),
                antecedent=r[14],
                article_version=r[15],
            )
            for r in rows
        }

    def stats(self) -> dict[str, int]:
        rows = self._conn().execute("SELECT key, value FROM meta WHERE key IN ('articles', 'sentences')")
        return {"articles": 0, "sentences": 0, **{key: int(value) for key, value in rows}}

    def ping(self) -> None:
        try:
            self._conn().execute("SELECT 1").fetchone()
        except Exception as exc:  # psycopg raises several types for a lost server
            self._local.conn = None
            raise StoreError(f"PostgreSQL store unavailable: {exc}") from exc


def _hit(
    row: Any, vector: np.ndarray, context: tuple[str | None, ...], entities: tuple[Entity, ...] | None
) -> SentenceHit:
    """A SentenceHit from a row (id, article id, title, url, source, published_at, idx, start, end, text, ...)
    with its ``context`` sentences (the ones that are not None)."""
    return SentenceHit(
        int(row[0]),
        row[1],
        row[2],
        row[3],
        row[4],
        row[5],
        row[6],
        row[7],
        row[8],
        row[9],
        vector=vector,
        context=tuple(text for text in context if text),
        entities=entities,
    )
