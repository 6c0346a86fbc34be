"""The job queue in the PostgreSQL store's database (instances claim with FOR UPDATE SKIP LOCKED)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from factcheck.jobs.queue import JobQueue
from factcheck.store.postgres import PostgresStore


class _Execute:
    def __init__(self, conn):
        self.conn = conn

    def __call__(self, sql: str, params: tuple = ()):
        return self.conn.execute(sql, params)

    def many(self, sql: str, rows: list[tuple]) -> None:
        if rows:
            with self.conn.cursor() as cursor:
                cursor.executemany(sql, rows)


class PostgresJobQueue(JobQueue):
    CLAIM_LOCK = "FOR UPDATE OF i SKIP LOCKED"

    def __init__(self, store: PostgresStore):
        self.store = store  # its migrations created the job tables

    @contextmanager
    def _transaction(self) -> Iterator[_Execute]:
        conn = self.store.connection()
        with conn.transaction():
            yield _Execute(conn)
