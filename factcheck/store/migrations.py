"""Schema migrations with a version table, shared by the backends.

Each backend lists its migrations in order (version = position + 1). ``migrate`` applies the
pending ones inside one transaction the caller holds (SQLite: BEGIN IMMEDIATE; PostgreSQL: a
transaction with an advisory lock), so concurrent starts of several instances apply each once.
Stores migrate when they open; ``factcheck migrate`` does it explicitly and reports the versions.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from factcheck.store import postings, versions

VERSION_TABLE = "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at DOUBLE PRECISION)"


def statements(script: str) -> list[str]:
    """Split a migration into statements (no migration puts a semicolon inside a statement)."""
    return [s.strip() for s in script.split(";") if s.strip()]


def migrate(execute: Callable, migrations: Sequence[str], placeholder: str = "?") -> tuple[int, int]:
    """Apply pending migrations with ``execute(sql, params)``; returns (version before, version after)."""
    execute(VERSION_TABLE, ())
    row = execute("SELECT COALESCE(MAX(version), 0) FROM schema_version", ()).fetchone()
    current = int(row[0])
    for version in range(current + 1, len(migrations) + 1):
        for statement in statements(migrations[version - 1]):
            execute(statement, ())
        execute(
            f"INSERT INTO schema_version (version, applied_at) VALUES ({placeholder}, {placeholder})",
            (version, time.time()),
        )
    return current, len(migrations)


# The job queue's tables (factcheck.jobs), in the store's database so jobs survive restarts.
JOB_SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
    id TEXT PRIMARY KEY,
    status TEXT NOT NULL,
    total INTEGER NOT NULL,
    done INTEGER NOT NULL DEFAULT 0,
    top_k INTEGER NOT NULL,
    filters TEXT NOT NULL,
    callback_url TEXT,
    created_at DOUBLE PRECISION NOT NULL,
    finished_at DOUBLE PRECISION,
    callback_status TEXT,
    callback_attempts INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS job_items (
    job_id TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    claim TEXT NOT NULL,
    status TEXT NOT NULL,
    lease_owner TEXT,
    lease_until DOUBLE PRECISION,
    claimed INTEGER NOT NULL DEFAULT 0,
    result TEXT,
    PRIMARY KEY (job_id, idx)
);
CREATE INDEX IF NOT EXISTS job_items_queue ON job_items (status, lease_until);
"""


# Migrations 5 to 14, written once for both backends: ``for_dialect`` fills in what differs.
SQLITE = {
    "serial": "INTEGER PRIMARY KEY AUTOINCREMENT",
    "json": "TEXT",
    "add": "ADD COLUMN",
    "bytes": "BLOB",
    "compact": " WITHOUT ROWID",
    "full_text": "DROP TABLE IF EXISTS sentence_fts",
}
POSTGRES = {
    "serial": "BIGSERIAL PRIMARY KEY",
    "json": "JSONB",
    "add": "ADD COLUMN IF NOT EXISTS",
    "bytes": "BYTEA",
    "compact": "",
    "full_text": "ALTER TABLE sentences DROP COLUMN IF EXISTS tsv",
}
# v5: named entities per sentence and the tagger that found them (NULL: not tagged yet)
ENTITIES = """
ALTER TABLE articles {add} tagged_by TEXT;
ALTER TABLE sentences {add} entities {json};
CREATE INDEX IF NOT EXISTS articles_untagged ON articles (pk) WHERE tagged_by IS NULL
"""
# v6: the sentence each sentence needs to be read (pipeline/antecedents.py), set with its entities
ANTECEDENTS = "ALTER TABLE sentences {add} antecedent INTEGER"
# v7: the audit log of writes
AUDIT = """
CREATE TABLE IF NOT EXISTS audit (
    id {serial},
    at TEXT NOT NULL,
    key_id TEXT NOT NULL,
    action TEXT NOT NULL,
    resource TEXT NOT NULL,
    request_id TEXT,
    outcome TEXT NOT NULL
)
"""
# v8: stored checks and the article versions they cite
CHECKS = """
CREATE TABLE IF NOT EXISTS checks (
    pk {serial},
    id TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    claim TEXT NOT NULL,
    verdict TEXT NOT NULL,
    confidence DOUBLE PRECISION NOT NULL,
    body {json} NOT NULL
);
CREATE INDEX IF NOT EXISTS checks_created ON checks (created_at);
CREATE TABLE IF NOT EXISTS check_citations (
    check_pk BIGINT NOT NULL REFERENCES checks (pk) ON DELETE CASCADE,
    article_id TEXT NOT NULL,
    article_version TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS check_citations_article ON check_citations (article_id);
CREATE INDEX IF NOT EXISTS check_citations_check ON check_citations (check_pk)
"""
# v9: whether a job's checks are stored as checks too
JOB_STORE_CHECKS = "ALTER TABLE jobs {add} store_checks INTEGER NOT NULL DEFAULT 1"
# v11: re-checks pending on stored checks (an article they cite changed), leased by the job runners
RECHECKS = """
ALTER TABLE checks {add} stale {json};
ALTER TABLE checks {add} recheck_owner TEXT;
ALTER TABLE checks {add} recheck_until DOUBLE PRECISION;
CREATE INDEX IF NOT EXISTS checks_stale ON checks (pk) WHERE stale IS NOT NULL
"""


# v12: the sentences an article's change or deletion retired, so a check as of an earlier date finds them
RETIRED = """
CREATE TABLE IF NOT EXISTS retired_sentences (
    id {serial},
    article_id TEXT NOT NULL,
    version_n INTEGER NOT NULL,
    idx INTEGER NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    text TEXT NOT NULL,
    vector {bytes} NOT NULL
);
CREATE INDEX IF NOT EXISTS retired_sentences_version ON retired_sentences (article_id, version_n)
"""


# v13: a draft job's sentences (offsets, check-worthiness, the item each check-worthy one became)
JOB_DRAFT = "ALTER TABLE jobs {add} draft TEXT"


# v14: impact-ordered postings (store/postings.py) replace the full-text index (FTS5; the tsvector and its
# GIN index); the store fills them from the sentences' text in the migration's transaction
POSTINGS = postings.SCHEMA + ";\n{full_text}"
POSTINGS_VERSION = 14


def for_dialect(dialect: dict[str, str]) -> list[str]:
    """Migrations 5 to 14 for one backend (10, article versions, is ``versions.SCHEMA``)."""
    steps = (
        ENTITIES,
        ANTECEDENTS,
        AUDIT,
        CHECKS,
        JOB_STORE_CHECKS,
        versions.SCHEMA,
        RECHECKS,
        RETIRED,
        JOB_DRAFT,
        POSTINGS,
    )
    return [step.format(**dialect) for step in steps]
