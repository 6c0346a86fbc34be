"""Stored checks, shared by the backends: the SQL of ``Store.save_checks`` and its siblings.

The functions run inside the caller's transaction through ``execute(sql, params)`` with ``%s``
placeholders (``versions.sqlite_execute`` adapts them for SQLite); ``json`` is how a JSON value is
written (``"%s"`` in SQLite's TEXT, ``"%s::jsonb"`` in PostgreSQL).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from typing import Any

from factcheck.records import CheckQuery, StoredCheck
from factcheck.store.base import check_body, scrubbed, stored_check

Execute = Callable[[str, tuple], Any]
COLUMNS = "id, created_at, claim, verdict, confidence, body, stale"


def insert(execute: Execute, check: StoredCheck, as_json: str) -> None:
    """Store a new check; one whose id is already stored (a job item checked again) is left as it is."""
    row = execute(
        "INSERT INTO checks (id, created_at, claim, verdict, confidence, body)"
        f" VALUES (%s,%s,%s,%s,%s,{as_json}) ON CONFLICT (id) DO NOTHING RETURNING pk",
        (check.id, check.created_at, check.claim, check.verdict, check.confidence, check_body(check)),
    ).fetchone()
    if row is not None:
        _cite(execute, row[0], check)


def replace(execute: Execute, pk: int, check: StoredCheck, as_json: str, clear_stale: bool = False) -> None:
    """Write ``check``'s verdict, body and citations over row ``pk`` (and clear its re-check mark)."""
    cleared = ", stale = NULL, recheck_owner = NULL" if clear_stale else ""
    execute(
        f"UPDATE checks SET verdict = %s, confidence = %s, body = {as_json}{cleared} WHERE pk = %s",
        (check.verdict, check.confidence, check_body(check), pk),
    )
    _cite(execute, pk, check)


def pk_of(execute: Execute, check_id: str) -> int | None:
    row = execute("SELECT pk FROM checks WHERE id = %s", (check_id,)).fetchone()
    return int(row[0]) if row else None


def get(execute: Execute, check_id: str) -> StoredCheck | None:
    row = execute(f"SELECT pk, {COLUMNS} FROM checks WHERE id = %s", (check_id,)).fetchone()
    return _load(execute, row) if row else None


def page(execute: Execute, query: CheckQuery, after: str | None, limit: int) -> tuple[list[StoredCheck], str | None]:
    clauses: list[str] = ["pk > %s"]
    params: list[Any] = [int(after or 0)]
    for clause, value in (
        ("verdict = %s", query.verdict),
        ("created_at >= %s", query.created_after),
        ("created_at <= %s", query.created_before),
        ("pk IN (SELECT check_pk FROM check_citations WHERE article_id = %s)", query.cites_article),
    ):
        if value is not None:
            clauses.append(clause)
            params.append(value)
    rows = execute(
        f"SELECT pk, {COLUMNS} FROM checks WHERE {' AND '.join(clauses)} ORDER BY pk LIMIT %s", (*params, limit + 1)
    ).fetchall()
    cursor = str(rows[limit - 1][0]) if len(rows) > limit else None
    return [_load(execute, r) for r in rows[:limit]], cursor


def mark_stale(execute: Execute, article_id: str, reason: dict[str, Any], as_json: str) -> int:
    return execute(
        f"UPDATE checks SET stale = {as_json}, recheck_owner = NULL"
        " WHERE pk IN (SELECT check_pk FROM check_citations WHERE article_id = %s)",
        (json.dumps(reason), article_id),
    ).rowcount


def lease_stale(execute: Execute, owner: str, limit: int, lease_seconds: float, lock: str = "") -> list[StoredCheck]:
    now = time.time()
    rows = execute(
        f"SELECT pk, {COLUMNS} FROM checks WHERE stale IS NOT NULL"
        f" AND (recheck_owner IS NULL OR recheck_until < %s) ORDER BY pk LIMIT %s {lock}",
        (now, limit),
    ).fetchall()
    for row in rows:
        execute(
            "UPDATE checks SET recheck_owner = %s, recheck_until = %s WHERE pk = %s",
            (owner, now + lease_seconds, row[0]),
        )
    return [_load(execute, r) for r in rows]


def finish_recheck(execute: Execute, check: StoredCheck, owner: str, as_json: str, lock: str = "") -> bool:
    row = execute(
        f"SELECT pk FROM checks WHERE id = %s AND recheck_owner = %s AND stale = {as_json} {lock}",
        (check.id, owner, json.dumps(check.stale)),
    ).fetchone()
    if row is None:
        return False
    replace(execute, int(row[0]), check, as_json, clear_stale=True)
    return True


def scrub(execute: Execute, article_id: str, as_json: str) -> None:
    """After ``article_id`` was purged: the checks citing it keep the cited sentences' text only."""
    rows = execute(
        "SELECT pk, body FROM checks WHERE pk IN (SELECT check_pk FROM check_citations WHERE article_id = %s)",
        (article_id,),
    ).fetchall()
    for pk, body in rows:
        kept = scrubbed(json.loads(body) if isinstance(body, str) else body, article_id)
        execute(f"UPDATE checks SET body = {as_json} WHERE pk = %s", (json.dumps(kept), pk))
    execute("UPDATE check_citations SET article_version = 'purged' WHERE article_id = %s", (article_id,))


def _cite(execute: Execute, pk: int, check: StoredCheck) -> None:
    execute("DELETE FROM check_citations WHERE check_pk = %s", (pk,))
    for article, version in check.citations:
        execute(
            "INSERT INTO check_citations (check_pk, article_id, article_version) VALUES (%s,%s,%s)",
            (pk, article, version),
        )


def _load(execute: Execute, row: Sequence) -> StoredCheck:
    cited = execute("SELECT article_id, article_version FROM check_citations WHERE check_pk = %s", (row[0],))
    return stored_check(tuple(row)[1:], [(r[0], r[1]) for r in cited])
