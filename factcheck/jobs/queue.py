"""Stored claim-check jobs: a queue of claims that service processes work through in the background.

Items are claimed with a lease in one transaction: SQLite's ``BEGIN IMMEDIATE`` serialises the
claimers of one file, PostgreSQL's ``FOR UPDATE SKIP LOCKED`` lets instances claim disjoint rows.
An item whose lease ran out (its process died) is claimed again; a completion is accepted only
from the lease holder, so no claim's result is written twice. Jobs and items live in the store's
database and survive restarts.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol

OPEN = ("queued", "running")


@dataclass(frozen=True)
class Job:
    id: str
    status: str  # queued | running | done | failed | cancelled
    total: int
    done: int
    top_k: int
    filters: dict[str, Any]
    callback_url: str | None
    created_at: float
    finished_at: float | None
    callback_status: str | None
    callback_attempts: int
    draft: dict[str, Any] | None = None  # a draft job's sentences; None for a job of claims


@dataclass(frozen=True)
class WorkItem:
    job_id: str
    index: int
    claim: str
    top_k: int
    filters: dict[str, Any]
    store_checks: bool = True  # the job asks for its checks to be stored as checks


class Execute(Protocol):
    """``execute(sql, params)`` -> cursor, and ``execute.many(sql, rows)``, inside one transaction."""

    def __call__(self, sql: str, params: tuple = ()) -> Any: ...

    def many(self, sql: str, rows: list[tuple]) -> None: ...


class JobQueue:
    """The queue over one SQL database. Subclasses provide ``_transaction`` and the claim query."""

    CLAIM_LOCK = ""  # PostgreSQL: "FOR UPDATE OF i SKIP LOCKED"

    @contextmanager
    def _transaction(self) -> Iterator[Execute]:
        raise NotImplementedError

    def create(
        self,
        claims: list[str],
        top_k: int,
        filters: dict[str, Any],
        callback_url: str | None,
        store_checks: bool = True,
        draft: dict[str, Any] | None = None,
    ) -> Job:
        """Queue ``claims``; a job with none (a draft without a check-worthy sentence) is done at once."""
        job_id = uuid.uuid4().hex
        now = time.time()
        with self._transaction() as execute:
            execute(
                "INSERT INTO jobs (id, status, total, top_k, filters, callback_url, created_at, finished_at,"
                " store_checks, draft) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                (
                    job_id,
                    "queued" if claims else "done",
                    len(claims),
                    top_k,
                    json.dumps(filters),
                    callback_url,
                    now,
                    None if claims else now,
                    int(store_checks),
                    None if draft is None else json.dumps(draft),
                ),
            )
            execute.many(
                "INSERT INTO job_items (job_id, idx, claim, status) VALUES (%s, %s, %s, 'queued')",
                [(job_id, i, c) for i, c in enumerate(claims)],
            )
        return self.require(job_id)

    def require(self, job_id: str) -> Job:
        """The job ``job_id``, which exists (it was just written or leased)."""
        job = self.get(job_id)
        if job is None:
            raise LookupError(f"job {job_id} vanished from the store")
        return job

    def get(self, job_id: str) -> Job | None:
        with self._transaction() as execute:
            row = execute(
                "SELECT id, status, total, done, top_k, filters, callback_url, created_at, finished_at,"
                " callback_status, callback_attempts, draft FROM jobs WHERE id = %s",
                (job_id,),
            ).fetchone()
        if row is None:
            return None
        draft = json.loads(row[11]) if row[11] else None
        return Job(
            row[0], row[1], row[2], row[3], row[4], json.loads(row[5]), row[6], row[7], row[8], row[9], row[10], draft
        )

    def results(self, job_id: str, offset: int, limit: int) -> list[dict[str, Any]]:
        """Items ``offset``..``offset+limit`` in claim order: index, claim, status and result when done."""
        with self._transaction() as execute:
            rows = execute(
                "SELECT idx, claim, status, result FROM job_items WHERE job_id = %s AND idx >= %s"
                " ORDER BY idx LIMIT %s",
                (job_id, offset, limit),
            ).fetchall()
        return [
            {"index": r[0], "claim": r[1], "status": r[2], "result": json.loads(r[3]) if r[3] else None} for r in rows
        ]

    def cancel(self, job_id: str) -> Job | None:
        with self._transaction() as execute:
            execute(
                "UPDATE jobs SET status = 'cancelled', finished_at = %s WHERE id = %s AND status IN (%s, %s)",
                (time.time(), job_id, *OPEN),
            )
            execute(
                "UPDATE job_items SET status = 'cancelled', lease_owner = NULL WHERE job_id = %s"
                " AND status IN (%s, %s)",
                (job_id, *OPEN),
            )
        return self.get(job_id)

    def claim(self, owner: str, limit: int, lease_seconds: float) -> list[WorkItem]:
        """Lease up to ``limit`` queued (or lease-expired) items of open jobs, oldest job first."""
        now = time.time()
        with self._transaction() as execute:
            rows = execute(
                "SELECT i.job_id, i.idx, i.claim, j.top_k, j.filters, j.store_checks"
                " FROM job_items i JOIN jobs j ON j.id = i.job_id"
                " WHERE j.status IN (%s, %s) AND (i.status = 'queued' OR (i.status = 'running' AND i.lease_until < %s))"
                f" ORDER BY j.created_at, i.job_id, i.idx LIMIT %s {self.CLAIM_LOCK}",
                (*OPEN, now, limit),
            ).fetchall()
            execute.many(
                "UPDATE job_items SET status = 'running', lease_owner = %s, lease_until = %s,"
                " claimed = claimed + 1 WHERE job_id = %s AND idx = %s",
                [(owner, now + lease_seconds, r[0], r[1]) for r in rows],
            )
            for job_id in {r[0] for r in rows}:
                execute("UPDATE jobs SET status = 'running' WHERE id = %s AND status = 'queued'", (job_id,))
        return [WorkItem(r[0], r[1], r[2], r[3], json.loads(r[4]), bool(r[5])) for r in rows]

    def complete(self, owner: str, item: WorkItem, result: dict[str, Any]) -> str:
        """Store one result if ``owner`` still holds the lease.

        Returns:
            "stale" (lease lost, nothing written), "stored", or "finished" (this was the job's last item).
        """
        with self._transaction() as execute:
            written = execute(
                "UPDATE job_items SET status = 'done', result = %s, lease_owner = NULL"
                " WHERE job_id = %s AND idx = %s AND status = 'running' AND lease_owner = %s",
                (json.dumps(result), item.job_id, item.index, owner),
            ).rowcount
            if not written:
                return "stale"
            execute("UPDATE jobs SET done = done + 1 WHERE id = %s", (item.job_id,))
            finished = execute(
                "UPDATE jobs SET status = 'done', finished_at = %s WHERE id = %s AND done = total"
                " AND status = 'running'",
                (time.time(), item.job_id),
            ).rowcount
        return "finished" if finished else "stored"

    def record_callback(self, job_id: str, status: str, attempts: int) -> None:
        with self._transaction() as execute:
            execute(
                "UPDATE jobs SET callback_status = %s, callback_attempts = %s WHERE id = %s", (status, attempts, job_id)
            )
