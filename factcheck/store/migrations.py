"""Schema migrations with a version table, shared by the backends.

Each backend lists its migrations in order (version = position + 1). ``migrate`` applies the
pending ones inside one transaction the caller holds (SQLite: BEGIN IMMEDIATE; PostgreSQL: a
transaction with an advisory lock), so concurrent starts of several instances apply each once.
Stores migrate when they open; ``factcheck migrate`` does it explicitly and reports the versions.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

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
