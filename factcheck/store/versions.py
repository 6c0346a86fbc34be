"""Article versions, shared by the backends: every text an article has had, so a stored citation stays
resolvable after the article changes, and a tombstone when it is deleted.

Version n of an article is valid from ``valid_from`` until ``valid_to`` (None: current). Creating or
changing an article adds a version; deleting it adds a tombstone (``deleted``, no text). A purge removes
the article's versions for good. The functions run inside the caller's write transaction, through
``execute(sql, params)`` with ``%s`` placeholders (``sqlite_execute`` adapts them for SQLite).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import numpy as np

from factcheck.records import Article, ArticleVersion, SentenceHit
from factcheck.store.base import ARTICLE_FIELDS, article_fields

Execute = Callable[[str, tuple], Any]
SCHEMA = """
CREATE TABLE IF NOT EXISTS article_versions (
    article_id TEXT NOT NULL,
    n INTEGER NOT NULL,
    content_hash TEXT NOT NULL,
    title TEXT NOT NULL,
    text TEXT NOT NULL,
    url TEXT,
    source TEXT,
    published_at TEXT,
    language TEXT NOT NULL,
    metadata TEXT NOT NULL,
    valid_from TEXT,
    valid_to TEXT,
    deleted INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (article_id, n)
);
INSERT INTO article_versions (article_id, n, content_hash, title, text, url, source, published_at, language,
    metadata, valid_from)
    SELECT id, 1, content_hash, title, text, url, source, published_at, language, CAST(metadata AS TEXT), NULL
    FROM articles
"""  # existing articles become version 1, valid from an unknown time (NULL)
_COLUMNS = "n, content_hash, title, text, url, source, published_at, language, metadata, valid_from, valid_to, deleted"


def sqlite_execute(conn: Any) -> Execute:
    return lambda sql, params: conn.execute(sql.replace("%s", "?"), params)


def add_version(execute: Execute, article: Article, at: str) -> None:
    """Record ``article`` (just created or changed) as its newest version."""
    n = _close_current(execute, article.id, at)
    execute(
        f"INSERT INTO article_versions (article_id, n, {ARTICLE_FIELDS}, valid_from)"
        " VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)",
        (article.id, n + 1, *article_fields(article), at),
    )


def add_tombstone(execute: Execute, article_id: str, at: str) -> None:
    """Record that the article was deleted at ``at`` (its earlier versions stay)."""
    n = _close_current(execute, article_id, at)
    execute(
        "INSERT INTO article_versions (article_id, n, content_hash, title, text, language, metadata, valid_from,"
        " deleted) VALUES (%s,%s,'','','','','{}',%s,1)",
        (article_id, n + 1, at),
    )


def purge(execute: Execute, article_id: str) -> None:
    execute("DELETE FROM article_versions WHERE article_id = %s", (article_id,))
    execute("DELETE FROM retired_sentences WHERE article_id = %s", (article_id,))


def retire(execute: Execute, article_id: str, pk: int, vector_column: str) -> None:
    """Keep the sentences of article row ``pk``, about to be replaced or deleted, under its current version
    (with their vectors, as float32 bytes), so a check as of an earlier date can still find them."""
    row = execute("SELECT MAX(n) FROM article_versions WHERE article_id = %s", (article_id,)).fetchone()
    if row is None or row[0] is None:
        return
    sentences = execute(
        f'SELECT idx, start, "end", text, {vector_column} FROM sentences WHERE article_pk = %s', (pk,)
    ).fetchall()
    for idx, start, end, text, vector in sentences:
        execute(
            'INSERT INTO retired_sentences (article_id, version_n, idx, start, "end", text, vector)'
            " VALUES (%s,%s,%s,%s,%s,%s,%s)",
            (article_id, int(row[0]), idx, start, end, text, _float_bytes(vector)),
        )


def retired_at(execute: Execute, as_of: str) -> list[SentenceHit]:
    """The retired sentences of article versions published by ``as_of`` (which of them was current then
    is for the caller to tell: pipeline/asof.py)."""
    rows = execute(
        'SELECT r.id, r.article_id, v.title, v.url, v.source, v.published_at, r.idx, r.start, r."end", r.text,'
        " r.vector, v.content_hash FROM retired_sentences r JOIN article_versions v"
        " ON v.article_id = r.article_id AND v.n = r.version_n"
        " WHERE v.published_at <= %s",
        (as_of,),
    ).fetchall()
    return [
        SentenceHit(
            -int(r[0]),
            r[1],
            r[2],
            r[3],
            r[4],
            r[5],
            r[6],
            r[7],
            r[8],
            r[9],
            vector=np.frombuffer(bytes(r[10]), dtype=np.float32),
            article_version=r[11],
            superseded=True,
        )  # fmt: skip
        for r in rows
    ]


def _float_bytes(vector: Any) -> bytes:
    """A stored vector (SQLite's float32 blob, pgvector's Vector) as float32 bytes."""
    if hasattr(vector, "to_numpy"):
        return np.asarray(vector.to_numpy(), dtype=np.float32).tobytes()
    return bytes(vector)


def versions(execute: Execute, article_id: str) -> list[ArticleVersion]:
    rows = execute(
        f"SELECT {_COLUMNS} FROM article_versions WHERE article_id = %s ORDER BY n", (article_id,)
    ).fetchall()
    return [_version(article_id, tuple(r)) for r in rows]


def _close_current(execute: Execute, article_id: str, at: str) -> int:
    """End the current version at ``at``; the number of the last version (0: none)."""
    execute("UPDATE article_versions SET valid_to = %s WHERE article_id = %s AND valid_to IS NULL", (at, article_id))
    row = execute("SELECT MAX(n) FROM article_versions WHERE article_id = %s", (article_id,)).fetchone()
    return int(row[0] or 0)


def _version(article_id: str, row: tuple) -> ArticleVersion:
    n, content_hash, title, text, url, source, published_at, language, metadata, valid_from, valid_to, deleted = row
    article = Article(article_id, title, text, url, source, published_at, language, json.loads(metadata), content_hash)
    return ArticleVersion(int(n), article, valid_from, valid_to, bool(deleted))
