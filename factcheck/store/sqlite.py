"""SQLite store: WAL mode, BM25 over impact-ordered postings (``factcheck.store.postings``), vectors as
float32 blobs.

Dense search keeps an in-memory matrix of every vector per process, brought up to date when the
``generation`` counter (bumped by every write transaction, from any process) changes, so several
gunicorn workers on one file stay consistent: new sentences are appended, a deletion or replacement
reloads the matrix. In a large index the candidates come from a nearest-neighbour graph over that
matrix instead of a scan of it (``factcheck.store.graph``).
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from factcheck.heap import give_back
from factcheck.records import (
    Article,
    ArticleVersion,
    AuditEntry,
    CheckQuery,
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
from factcheck.store.graph import GRAPH_ROWS, GraphFile, VectorGraph
from factcheck.store.migrations import JOB_SCHEMA, POSTINGS_VERSION, SQLITE, for_dialect, migrate
from factcheck.store.postings import POSTINGS_PER_TERM, Lexical

T = TypeVar("T")
BUSY_TIMEOUT_S = 30  # how long a connection waits for another's lock


def use_wal(conn: sqlite3.Connection, timeout_s: float = BUSY_TIMEOUT_S) -> None:
    """Put the database in WAL mode. On a new file the switch takes a lock that SQLite does not wait
    for, whatever the busy timeout: two gunicorn workers opening one new database at once could see
    "database is locked" and the worker failed to boot. Retried here up to the busy timeout."""
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() >= deadline:
                raise
            time.sleep(0.02)


SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    pk INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    text TEXT NOT NULL,
    url TEXT,
    source TEXT,
    published_at TEXT,
    language TEXT NOT NULL,
    metadata TEXT NOT NULL,
    content_hash TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS articles_source ON articles (source);
CREATE INDEX IF NOT EXISTS articles_published ON articles (published_at);
CREATE TABLE IF NOT EXISTS sentences (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    article_pk INTEGER NOT NULL REFERENCES articles (pk) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    text TEXT NOT NULL,
    vector BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS sentences_article ON sentences (article_pk, idx);
CREATE VIRTUAL TABLE IF NOT EXISTS sentence_fts USING fts5(text, tokenize = 'porter unicode61');
INSERT OR IGNORE INTO meta VALUES ('generation', '0');
"""
# v3: article and sentence counts kept in meta (stats() is on every check's hot path)
COUNTS = """
INSERT OR REPLACE INTO meta SELECT 'articles', CAST(COUNT(*) AS TEXT) FROM articles;
INSERT OR REPLACE INTO meta SELECT 'sentences', CAST(COUNT(*) AS TEXT) FROM sentences
"""
# v4: a random key naming this database, so a saved vector graph is never loaded into another one
STORE_KEY = "INSERT OR IGNORE INTO meta VALUES ('store_key', lower(hex(randomblob(8))))"
MIGRATIONS = [SCHEMA, JOB_SCHEMA, COUNTS, STORE_KEY, *for_dialect(SQLITE)]
_POSTING = postings.INSERT.replace("%s", "?")
DENSE_CLAIMS_PER_PASS = 32  # claims scored per matrix product (a 32 x n float32 block of scores)
SPARE_ROWS = 4096  # free rows kept in the vector buffer, so small ingests append without a copy
READ_ROWS = 20_000  # vectors read from the database per fetch (30 MB of 384-dimension vectors)

ENGLISH = "lower(substr(language, 1, 2)) = 'en'"  # what Article.english says, in SQL


def _article(row: sqlite3.Row) -> Article:
    return Article(
        row["id"],
        row["title"],
        row["text"],
        row["url"],
        row["source"],
        row["published_at"],
        row["language"],
        json.loads(row["metadata"]),
        row["content_hash"],
        row["tagged_by"],
    )


def _sentence(row: sqlite3.Row) -> Sentence:
    entities = entities_from_json(row["entities"], row["text"])
    return Sentence(row["idx"], row["start"], row["end"], row["text"], entities, row["antecedent"])


def _filter_sql(filters: Filters, alias: str = "a") -> tuple[str, list]:
    """SQL conditions (joined with AND, or "1") and parameters restricting articles."""
    clauses, params = [], []
    if filters.sources:
        clauses.append(f"{alias}.source IN ({','.join('?' * len(filters.sources))})")
        params += list(filters.sources)
    if filters.published_after:
        clauses.append(f"{alias}.published_at >= ?")
        params.append(filters.published_after)
    if filters.published_before:
        clauses.append(f"{alias}.published_at <= ?")
        params.append(filters.published_before)
    if filters.as_of:  # undated articles are left out: NULL <= x is not true
        clauses.append(f"{alias}.published_at <= ?")
        params.append(filters.as_of)
    if filters.exclude_article_ids:
        clauses.append(f"{alias}.id NOT IN ({','.join('?' * len(filters.exclude_article_ids))})")
        params += list(filters.exclude_article_ids)
    return (" AND ".join(clauses) or "1"), params


def _count(conn: sqlite3.Connection, articles: int, sentences: int) -> None:
    """Adjust the stored counts inside the caller's write transaction."""
    conn.executemany(
        "UPDATE meta SET value = CAST(CAST(value AS INTEGER) + ? AS TEXT) WHERE key = ?",
        [(articles, "articles"), (sentences, "sentences")],
    )


class SQLiteStore:
    """The embedded default store. One connection per thread; safe across processes (WAL)."""

    def __init__(
        self,
        path: str | Path,
        graph_rows: int = GRAPH_ROWS,
        graph_in_background: bool = True,
        postings_per_term: int | None = POSTINGS_PER_TERM,
    ):
        """``graph_rows``: from how many sentences on dense search walks a graph instead of scanning
        (``factcheck.store.graph``; 0: always scan); ``graph_in_background`` False: the search that
        reaches it waits for the graph (tests); ``postings_per_term``: of each query term's postings,
        how many of the best lexical search reads (``factcheck.store.postings``; None: all)."""
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._lexical = Lexical(postings_per_term)
        self._matrix_lock = threading.Lock()
        self._generation: str | None = None
        self._clear_vectors()
        self.schema_versions = self.migrate()  # (version found, version now)
        key = self._conn().execute("SELECT value FROM meta WHERE key = 'store_key'").fetchone()["value"]
        self.graph = VectorGraph(
            GraphFile(self.path, key) if self.path != ":memory:" else None, graph_rows, graph_in_background
        )

    def migrate(self) -> tuple[int, int]:
        """Bring the schema to the latest version; returns (version before, version after)."""
        return self._transaction(self._migrated)

    @staticmethod
    def _migrated(conn: sqlite3.Connection) -> tuple[int, int]:
        before, after = migrate(conn.execute, MIGRATIONS)
        if before < POSTINGS_VERSION <= after:
            total = conn.execute("SELECT COUNT(*) FROM sentences").fetchone()[0]
            rows = conn.execute("SELECT id, text FROM sentences ORDER BY id")
            postings.backfill(total, iter(lambda: rows.fetchmany(10_000), []), partial(conn.executemany, _POSTING))
        return before, after

    def connection(self) -> sqlite3.Connection:
        """This thread's connection (other modules sharing the database file use it)."""
        return self._conn()

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            try:
                conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False)
            except sqlite3.Error as exc:
                raise StoreError(f"cannot open SQLite database {self.path}: {exc}") from exc
            conn.row_factory = sqlite3.Row
            use_wal(conn)
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA foreign_keys=ON")
            self._local.conn = conn
        return conn

    def _transaction(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        """``fn(conn)`` in one IMMEDIATE transaction: committed, or rolled back if it raises."""
        conn = self._conn()
        conn.execute("BEGIN IMMEDIATE")
        try:
            value = fn(conn)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        return value

    def _write(self, fn: Callable[[sqlite3.Connection], None]) -> None:
        """Run ``fn(conn)`` in one transaction and bump the generation counter (the index changed)."""

        def write(conn: sqlite3.Connection) -> None:
            fn(conn)
            conn.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'generation'")

        self._transaction(write)

    # -- articles ---------------------------------------------------------------------------

    def upsert(self, article: Article, sentences: Sequence[Sentence], vectors: np.ndarray) -> None:
        if len(sentences) != len(vectors):
            raise ValueError("one vector per sentence is required")
        blobs = [np.asarray(v, dtype=np.float32).tobytes() for v in vectors]

        def write(conn: sqlite3.Connection) -> None:
            values = (*article_fields(article), article.tagged_by)
            row = conn.execute("SELECT pk FROM articles WHERE id = ?", (article.id,)).fetchone()
            if row is None:
                pk = conn.execute(
                    f"INSERT INTO articles ({ARTICLE_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?)", (article.id, *values)
                ).lastrowid
                _count(conn, articles=1, sentences=len(sentences))
            else:
                pk = row["pk"]
                article_versions.retire(article_versions.sqlite_execute(conn), article.id, pk, "vector")
                _count(conn, articles=0, sentences=len(sentences) - self._delete_sentences(conn, pk))
                conn.execute(
                    "UPDATE articles SET title=?, text=?, url=?, source=?, published_at=?, language=?,"
                    " metadata=?, content_hash=?, tagged_by=? WHERE pk=?",
                    (*values, pk),
                )
            indexed: list[tuple[int, str]] = []
            for sentence, blob in zip(sentences, blobs, strict=True):
                sid = conn.execute(
                    'INSERT INTO sentences (article_pk, idx, start, "end", text, vector, entities, antecedent)'
                    " VALUES (?,?,?,?,?,?,?,?)",
                    (
                        pk,
                        sentence.index,
                        sentence.start,
                        sentence.end,
                        sentence.text,
                        blob,
                        entities_json(sentence.entities),
                        sentence.antecedent,
                    ),
                ).lastrowid
                indexed.append((int(sid or 0), sentence.text))
            conn.executemany(_POSTING, postings.rows(indexed))
            article_versions.add_version(article_versions.sqlite_execute(conn), article, timestamp())

        self._write(write)

    @staticmethod
    def _delete_sentences(conn: sqlite3.Connection, pk: int) -> int:
        """Delete an article's sentences and their postings; returns how many sentences were deleted."""
        conn.execute(postings.DELETE_ARTICLE.replace("%s", "?"), (pk,))
        return conn.execute("DELETE FROM sentences WHERE article_pk = ?", (pk,)).rowcount

    def content_hash(self, article_id: str) -> str | None:
        row = self._conn().execute("SELECT content_hash FROM articles WHERE id = ?", (article_id,)).fetchone()
        return row["content_hash"] if row else None

    def article_ids_with_url(self, url: str) -> list[str]:
        rows = self._conn().execute("SELECT id FROM articles WHERE url = ?", (url,)).fetchall()
        return [row["id"] for row in rows]

    def get(self, article_id: str) -> tuple[Article, list[Sentence]] | None:
        conn = self._conn()
        row = conn.execute(f"SELECT pk, {ARTICLE_COLUMNS} FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is None:
            return None
        return _article(row), self._sentences(conn, row["pk"])

    @staticmethod
    def _sentences(conn: sqlite3.Connection, pk: int) -> list[Sentence]:
        rows = conn.execute(
            'SELECT idx, start, "end", text, entities, antecedent FROM sentences WHERE article_pk = ? ORDER BY idx',
            (pk,),
        )
        return [_sentence(r) for r in rows]

    def list_articles(self, filters: Filters, after: str | None, limit: int) -> tuple[list[Article], str | None]:
        where, params = _filter_sql(filters)
        rows = (
            self._conn()
            .execute(
                f"SELECT pk, {ARTICLE_COLUMNS} FROM articles a WHERE {where} AND a.pk > ? ORDER BY a.pk LIMIT ?",
                (*params, int(after or 0), limit + 1),
            )
            .fetchall()
        )
        cursor = str(rows[limit - 1]["pk"]) if len(rows) > limit else None
        return [_article(r) for r in rows[:limit]], cursor

    def untagged(self, after: str | None, limit: int) -> tuple[list[tuple[Article, list[Sentence]]], str | None]:
        conn = self._conn()
        rows = conn.execute(
            f"SELECT pk, {ARTICLE_COLUMNS} FROM articles WHERE tagged_by IS NULL AND {ENGLISH} AND pk > ?"
            " ORDER BY pk LIMIT ?",
            (int(after or 0), limit),
        ).fetchall()
        cursor = str(rows[-1]["pk"]) if len(rows) == limit else None
        return [(_article(r), self._sentences(conn, r["pk"])) for r in rows], cursor

    def count_untagged(self) -> int:
        sql = f"SELECT COUNT(*) FROM articles WHERE tagged_by IS NULL AND {ENGLISH}"
        return int(self._conn().execute(sql).fetchone()[0])

    def set_entities(self, article: Article, tagged_by: str, sentences: Sequence[Sentence]) -> bool:
        done = []

        def write(conn: sqlite3.Connection) -> None:
            row = conn.execute(
                "SELECT pk FROM articles WHERE id = ? AND content_hash = ?", (article.id, article.content_hash)
            ).fetchone()
            if row is not None:
                conn.executemany(
                    "UPDATE sentences SET entities = ?, antecedent = ? WHERE article_pk = ? AND idx = ?",
                    [(entities_json(s.entities), s.antecedent, row["pk"], s.index) for s in sentences],
                )
                conn.execute("UPDATE articles SET tagged_by = ? WHERE pk = ?", (tagged_by, row["pk"]))
                done.append(True)

        self._write(write)
        return bool(done)

    def add_audit(self, entries: Sequence[AuditEntry]) -> None:
        rows = [(e.at, e.key_id, e.action, e.resource, e.request_id, e.outcome) for e in entries]
        self._transaction(
            lambda conn: conn.executemany(f"INSERT INTO audit ({AUDIT_COLUMNS}) VALUES (?,?,?,?,?,?)", rows)
        )

    def list_audit(self, after: str | None, limit: int) -> tuple[list[AuditEntry], str | None]:
        rows = (
            self._conn()
            .execute(
                f"SELECT id, {AUDIT_COLUMNS} FROM audit WHERE id > ? ORDER BY id LIMIT ?", (int(after or 0), limit + 1)
            )
            .fetchall()
        )
        entries = [
            AuditEntry(r["at"], r["key_id"], r["action"], r["resource"], r["outcome"], r["request_id"], r["id"])
            for r in rows[:limit]
        ]
        return entries, (str(rows[limit - 1]["id"]) if len(rows) > limit else None)

    def save_checks(self, checks: Sequence[StoredCheck]) -> None:
        def write(execute) -> None:
            for check in checks:
                stored_checks.insert(execute, check, "%s")

        self._with(write)

    def update_check(self, check: StoredCheck) -> None:
        def write(execute) -> None:
            pk = stored_checks.pk_of(execute, check.id)
            if pk is None:
                raise LookupError(f"no stored check {check.id!r}")
            stored_checks.replace(execute, pk, check, "%s")

        self._with(write)

    def mark_stale(self, article_id: str, reason: dict[str, Any]) -> int:
        return self._with(lambda execute: stored_checks.mark_stale(execute, article_id, reason, "%s"))

    def lease_stale(self, owner: str, limit: int, lease_seconds: float) -> list[StoredCheck]:
        return self._with(lambda execute: stored_checks.lease_stale(execute, owner, limit, lease_seconds))

    def finish_recheck(self, check: StoredCheck, owner: str) -> bool:
        return self._with(lambda execute: stored_checks.finish_recheck(execute, check, owner, "%s"))

    def get_check(self, check_id: str) -> StoredCheck | None:
        return stored_checks.get(article_versions.sqlite_execute(self._conn()), check_id)

    def list_checks(self, query: CheckQuery, after: str | None, limit: int) -> tuple[list[StoredCheck], str | None]:
        return stored_checks.page(article_versions.sqlite_execute(self._conn()), query, after, limit)

    def _with(self, fn: Callable[[Any], T]) -> T:
        """``fn(execute)`` in one transaction, with ``%s`` placeholders (no generation bump: the searchable
        index does not change)."""
        return self._transaction(lambda conn: fn(article_versions.sqlite_execute(conn)))

    def delete(self, article_id: str, purge: bool = False) -> bool:
        deleted = []

        def write(conn: sqlite3.Connection) -> None:
            execute = article_versions.sqlite_execute(conn)
            row = conn.execute("SELECT pk FROM articles WHERE id = ?", (article_id,)).fetchone()
            if row is not None:
                article_versions.retire(execute, article_id, row["pk"], "vector")
                removed = self._delete_sentences(conn, row["pk"])
                conn.execute("DELETE FROM articles WHERE pk = ?", (row["pk"],))
                _count(conn, articles=-1, sentences=-removed)
                article_versions.add_tombstone(execute, article_id, timestamp())
                deleted.append(True)
            if purge:
                deleted.append(bool(article_versions.versions(execute, article_id)))
                article_versions.purge(execute, article_id)
                stored_checks.scrub(execute, article_id, "%s")

        self._write(write)
        return any(deleted)

    def retired_at(self, as_of: str) -> list[SentenceHit]:
        return article_versions.retired_at(article_versions.sqlite_execute(self._conn()), as_of)

    def count_undated(self) -> int:
        return int(self._conn().execute("SELECT COUNT(*) FROM articles WHERE published_at IS NULL").fetchone()[0])

    def versions(self, article_id: str) -> list[ArticleVersion]:
        return article_versions.versions(article_versions.sqlite_execute(self._conn()), article_id)

    # -- search -----------------------------------------------------------------------------

    def term_shares(self, terms: Sequence[str]) -> dict[str, float]:
        return self._lexical.shares(self._execute(), terms, self.stats()["sentences"])

    def lexical_search(self, query: str, filters: Filters, limit: int) -> list[tuple[int, float]]:
        where, params = ("", []) if filters.empty else _filter_sql(filters)
        return self._lexical.search(self._execute(), query.split(), self.stats()["sentences"], limit, where, params)

    def _execute(self) -> article_versions.Execute:
        return article_versions.sqlite_execute(self._conn())

    def _refresh_matrix(self) -> None:
        """Bring the in-memory vectors up to the database's generation. After inserts only (the usual
        ingest; sentence ids only grow) just the new rows are read; when the stored sentence count
        shows a deletion or a replacement, everything is read again. One read transaction, so the
        counter, the rows and the count come from the same snapshot; rows are read READ_ROWS at a
        time into a buffer sized once, so reading the vectors never holds them twice."""
        conn = self._conn()
        conn.execute("BEGIN")
        try:
            generation = conn.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()["value"]
            if generation == self._generation:
                return
            last = int(self._ids[-1]) if len(self._ids) else 0
            total = int(conn.execute("SELECT value FROM meta WHERE key = 'sentences'").fetchone()["value"])
            newer = conn.execute("SELECT COUNT(*) FROM sentences WHERE id > ?", (last,)).fetchone()[0]
            if len(self._ids) + newer != total:
                self._clear_vectors()
                self.graph.reset()
                last = 0
            rows = conn.execute("SELECT id, article_pk, vector FROM sentences WHERE id > ? ORDER BY id", (last,))
            read = 0
            while chunk := rows.fetchmany(READ_ROWS):
                self._append(chunk, total)
                read += len(chunk)
            self._generation = generation
            if read >= READ_ROWS:
                give_back()  # the rows fetched to fill the matrix (docs/decisions/0114)
        finally:
            conn.execute("COMMIT")

    def _clear_vectors(self) -> None:
        self._ids = np.zeros(0, dtype=np.int64)
        self._articles = np.zeros(0, dtype=np.int64)
        self._buffer = np.zeros((0, 0), dtype=np.float32)
        self._matrix = self._buffer

    def _append(self, rows: list[sqlite3.Row], expected: int) -> None:
        """Add rows to the in-memory vectors. The matrix lives in a buffer with room for the ``expected``
        rows and to grow (an eighth more, at least SPARE_ROWS), so an ingest of a few articles copies
        nothing. ``self._matrix`` is a view of the filled rows; a view handed to a search stays valid
        while rows are appended behind it or the buffer is replaced."""
        if not rows:
            return
        vectors = np.frombuffer(b"".join(r["vector"] for r in rows), dtype=np.float32).reshape(len(rows), -1)
        filled, needed = len(self._ids), len(self._ids) + len(rows)
        if needed > len(self._buffer):
            size = max(needed, expected)
            grown = np.zeros((size + max(SPARE_ROWS, size // 8), vectors.shape[1]), dtype=np.float32)
            if filled:
                grown[:filled] = self._buffer[:filled]
            self._buffer = grown
        self._buffer[filled:needed] = vectors
        self._ids = np.concatenate([self._ids, np.array([r["id"] for r in rows], dtype=np.int64)])
        self._articles = np.concatenate([self._articles, np.array([r["article_pk"] for r in rows], dtype=np.int64)])
        self._matrix = self._buffer[:needed]

    def dense_search(self, vector: np.ndarray, filters: Filters, limit: int) -> list[tuple[int, float]]:
        return self.dense_search_many(np.asarray(vector, dtype=np.float32)[None], filters, limit)[0]

    def dense_search_many(self, vectors: np.ndarray, filters: Filters, limit: int) -> list[list[tuple[int, float]]]:
        """Candidates from the vector graph when there is one (no filters), else from one matrix product
        per DENSE_CLAIMS_PER_PASS claims (2.3 instead of 7.4 ms per claim on the Multi-News index,
        docs/decisions/0029-batch-requests-one-pass-over-the-vectors-two.md); either way ranked by ``_rank``, so a
        claim gets the same
        sentences alone and in a batch."""
        ids, articles, matrix, epoch = self._vectors()
        claims = np.asarray(vectors, dtype=np.float32)
        if not len(ids):
            return [[] for _ in claims]
        allowed = self._allowed(articles, filters)
        found = self.graph.candidates(claims, 2 * limit, len(ids), epoch) if allowed is None else None
        if found is not None:
            return [self._rank(ids, matrix, vector, rows, limit) for vector, rows in zip(claims, found, strict=True)]
        ranked: list[list[tuple[int, float]]] = []
        for start in range(0, len(claims), DENSE_CLAIMS_PER_PASS):
            block = claims[start : start + DENSE_CLAIMS_PER_PASS]
            ranked += [
                self._rank(ids, matrix, vector, self._scan(scores, allowed, 2 * limit), limit)
                for vector, scores in zip(block, block @ matrix.T, strict=True)
            ]
        return ranked

    def load_vectors(self) -> tuple[float, float]:
        """Read the stored vectors into memory and bring the vector graph up to date (built, or loaded from
        its file); searches do this on first use. Returns the seconds each step took (warm-up, benchmarks)."""
        with self._matrix_lock:
            started = time.perf_counter()
            self._refresh_matrix()
            read = time.perf_counter()
            self.graph.follow(self._ids, self._matrix)
            return read - started, time.perf_counter() - read

    def _vectors(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
        """The current ids, article keys and vectors, and the graph epoch they belong to."""
        with self._matrix_lock:
            self._refresh_matrix()
            self.graph.follow(self._ids, self._matrix)
            return self._ids, self._articles, self._matrix, self.graph.epoch

    def _allowed(self, articles: np.ndarray, filters: Filters) -> np.ndarray | None:
        """Per sentence row, whether its article passes ``filters`` (None: no filter)."""
        if filters.empty:
            return None
        where, params = _filter_sql(filters)
        allowed = [r[0] for r in self._conn().execute(f"SELECT pk FROM articles a WHERE {where}", params)]
        return np.isin(articles, allowed)

    @staticmethod
    def _scan(scores: np.ndarray, allowed: np.ndarray | None, wanted: int) -> np.ndarray:
        """Row positions of the ``wanted`` best ``scores`` (one matrix product, float32) among the
        allowed rows."""
        if allowed is not None:
            scores = np.where(allowed, scores, -np.inf)
        wanted = min(len(scores), wanted)
        rows = np.argpartition(-scores, wanted - 1)[:wanted] if len(scores) > wanted else np.arange(len(scores))
        return rows[np.isfinite(scores[rows])]

    @staticmethod
    def _rank(
        ids: np.ndarray, matrix: np.ndarray, vector: np.ndarray, rows: np.ndarray, limit: int
    ) -> list[tuple[int, float]]:
        """The ``limit`` best candidate rows by their cosine recomputed in float64, ties by id. A product
        over one claim and one over many claims round differently (by up to 7e-7 on the Multi-News
        index, enough to swap near ties), the recomputed cosine does not, so the candidates (2 x
        ``limit`` of them) decide which rows can come back, not their order."""
        exact = matrix[rows].astype(np.float64) @ vector.astype(np.float64)
        order = np.lexsort((ids[rows], -exact))[:limit]
        return [(int(ids[rows[i]]), float(exact[i])) for i in order]

    def hits(self, sentence_ids: Sequence[int]) -> dict[int, SentenceHit]:
        if not sentence_ids:
            return {}
        rows = (
            self._conn()
            .execute(
                'SELECT s.id, s.idx, s.start, s."end", s.text, s.vector, a.id AS article_id, a.title, a.url, a.source,'
                " a.published_at, a.content_hash, s.entities, lead.text AS lead, previous.text AS previous,"
                " antecedent.text AS antecedent FROM sentences s JOIN articles a ON a.pk = s.article_pk"
                " LEFT JOIN sentences antecedent ON antecedent.article_pk = s.article_pk"
                "   AND antecedent.idx = s.antecedent"
                " LEFT JOIN sentences lead ON lead.article_pk = s.article_pk AND lead.idx = 0 AND s.idx > 0"
                " LEFT JOIN sentences previous ON previous.article_pk = s.article_pk AND previous.idx = s.idx - 1"
                "   AND s.idx > 1"
                f" WHERE s.id IN ({','.join('?' * len(sentence_ids))})",
                list(sentence_ids),
            )
            .fetchall()
        )
        return {
            r["id"]: SentenceHit(
                r["id"],
                r["article_id"],
                r["title"],
                r["url"],
                r["source"],
                r["published_at"],
                r["idx"],
                r["start"],
                r["end"],
                r["text"],
                vector=np.frombuffer(r["vector"], dtype=np.float32),
                context=tuple(text for text in (r["lead"], r["previous"]) if text),
                entities=entities_from_json(r["entities"], r["text"]),
                antecedent=r["antecedent"],
                article_version=r["content_hash"],
            )
            for r in rows
        }

    def stats(self) -> dict[str, int]:
        rows = self._conn().execute("SELECT key, value FROM meta WHERE key IN ('articles', 'sentences')")
        return {"articles": 0, "sentences": 0, **{r["key"]: int(r["value"]) for r in rows}}

    def ping(self) -> None:
        try:
            self._conn().execute("SELECT 1 FROM meta LIMIT 1").fetchone()
        except sqlite3.Error as exc:
            raise StoreError(f"SQLite store unavailable: {exc}") from exc
