"""Jobs across real processes: a restart mid-job (SQLite) and two instances on one PostgreSQL."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import requests

from tests.conftest import SAMPLES
from tests.servers import Server

# long enough that a batch of 16 claims finishes inside its lease on a slow, busy CPU
LEASE = {"FACTCHECK_JOB_LEASE_SECONDS": "30"}


def _claims(n: int) -> list[str]:
    subjects = [
        "Russian jets",
        "The Tartus naval base",
        "Putin",
        "US estimates",
        "The Hmeimim air base",
        "Peace talks in Geneva",
        "The defence ministry",
        "Syrian forces",
    ]
    verbs = [
        "left Syria on Tuesday",
        "will remain open",
        "announced a withdrawal",
        "count 3,000 to 6,000 troops",
        "was bombed",
        "resumed on Monday",
        "loaded equipment onto planes",
        "retook 400 settlements",
    ]
    return [f"{subjects[i % 8]} {verbs[(i // 8) % 8]} (claim {i})." for i in range(n)]


def _ingest_samples(base: str) -> None:
    articles = [
        {"id": p.stem, "title": p.read_text().splitlines()[0], "text": p.read_text()}
        for p in sorted(SAMPLES.glob("*.txt"))
    ]
    response = requests.post(f"{base}/v1/articles/batch", json={"articles": articles}, timeout=120)
    assert response.status_code == 200 and all(r["ok"] for r in response.json()["results"])


def _progress(base: str, location: str) -> dict:
    return requests.get(f"{base}{location}?limit=0", timeout=30).json()


def _wait(base: str, location: str, predicate, timeout: float = 900) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        body = _progress(base, location)
        if predicate(body):
            return body
        time.sleep(0.5)
    raise AssertionError(f"timed out: {body}")


def _all_results(base: str, location: str, total: int) -> list[dict]:
    results, offset = [], 0
    while offset is not None:
        page = requests.get(f"{base}{location}?offset={offset}&limit=500", timeout=60).json()
        results += page["results"]
        offset = page["next_offset"]
    assert len(results) == total
    return results


def test_a_1000_claim_job_survives_a_restart_mid_way(tmp_path: Path):
    db = tmp_path / "jobs.db"
    store = f"sqlite:///{db}"
    server = Server(store, tmp_path / "a.log", env=LEASE).wait_ready()
    _ingest_samples(server.base)
    claims = _claims(1000)
    created = requests.post(f"{server.base}/v1/jobs", json={"claims": claims, "top_k": 2}, timeout=60)
    assert created.status_code == 202
    location = created.headers["Location"]
    _wait(server.base, location, lambda b: b["progress"]["done"] >= 150)
    server.kill()
    restarted = Server(store, tmp_path / "b.log", env=LEASE).wait_ready()
    try:
        body = _wait(restarted.base, location, lambda b: b["status"] == "done")
        assert body["progress"] == {"done": 1000, "total": 1000}
        results = _all_results(restarted.base, location, 1000)
        assert [r["index"] for r in results] == list(range(1000))
        assert [r["claim"] for r in results] == claims
        assert all(r["status"] == "done" and r["result"]["claim"] == r["claim"] for r in results)
    finally:
        assert restarted.terminate() == 0
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_two_instances_on_one_postgresql_share_articles_and_jobs(tmp_path: Path, postgres_url: str):
    import psycopg

    first = Server(postgres_url, tmp_path / "first.log", workers=1, env=LEASE).wait_ready()
    second = Server(postgres_url, tmp_path / "second.log", workers=1, env=LEASE).wait_ready()
    try:
        _ingest_samples(first.base)
        check = requests.post(
            f"{second.base}/v1/checks", json={"claim": "Russia keeps its Tartus naval base."}, timeout=60
        ).json()
        assert check["index"]["articles"] == 5 and check["evidence"]
        claims = _claims(240)
        location = requests.post(f"{second.base}/v1/jobs", json={"claims": claims, "top_k": 2}, timeout=60).headers[
            "Location"
        ]
        _wait(second.base, location, lambda b: b["progress"]["done"] >= 40)
        first.kill()  # the other instance finishes the job, re-running only what the dead one had leased
        body = _wait(second.base, location, lambda b: b["status"] == "done")
        assert body["progress"] == {"done": 240, "total": 240}
        results = _all_results(second.base, location, 240)
        assert [r["claim"] for r in results] == claims and all(r["status"] == "done" for r in results)
    finally:
        first.kill()
        assert second.terminate() == 0
    with psycopg.connect(postgres_url) as conn:
        claimed = conn.execute("SELECT claimed, COUNT(*) FROM job_items GROUP BY claimed").fetchall()
    reruns = sum(count for times, count in claimed if times > 1)
    assert reruns <= 16, f"only the killed instance's one leased batch may run twice: {claimed}"
