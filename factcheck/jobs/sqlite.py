"""The job queue in the SQLite store's file (claims serialised by BEGIN IMMEDIATE)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from factcheck.jobs.queue import JobQueue
from factcheck.store.sqlite import SQLiteStore


class _Execute:
    def __init__(self, conn):
        self.conn = conn

    def __call__(self, sql: str, params: tuple = ()):
        return self.conn.execute(sql.replace("%s", "?"), params)

    def many(self, sql: str, rows: list[tuple]) -> None:
        self.conn.executemany(sql.replace("%s", "?"), rows)


class SQLiteJobQueue(JobQueue):
    def __init__(self, store: SQLiteStore):
        self.store = store  # its migrations created the job tables

    @contextmanager
    def _transaction(self) -> Iterator[_Execute]:
        conn = self.store.connection()
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield _Execute(conn)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
