"""Async jobs: the queue contract on both stores, the API, callbacks, and a restart mid-job."""

from __future__ import annotations

import time

import pytest

from factcheck.compose import assemble
from factcheck.jobs import job_queue_for
from factcheck.settings import Settings
from factcheck.store import open_store
from factcheck.store.sqlite import SQLiteStore
from service.app import create_app
from service.schemas import MAX_DRAFT_CHARS
from tests.receivers import receiving

PROBLEM = "application/problem+json"


@pytest.fixture(params=["sqlite", "postgresql"])
def queue(request, tmp_path):
    url = f"sqlite:///{tmp_path / 'jobs.db'}" if request.param == "sqlite" else request.getfixturevalue("postgres_url")
    return job_queue_for(open_store(url))


def test_claims_are_leased_to_one_owner_at_a_time(queue):
    job = queue.create([f"claim {i}" for i in range(5)], 8, {}, None)
    first = queue.claim("a", 3, lease_seconds=60)
    second = queue.claim("b", 3, lease_seconds=60)
    assert [i.index for i in first] == [0, 1, 2] and [i.index for i in second] == [3, 4]
    assert queue.claim("c", 3, lease_seconds=60) == []
    assert queue.complete("b", first[0], {"x": 1}) == "stale"  # not b's lease
    assert queue.complete("a", first[0], {"x": 1}) == "stored"
    assert queue.get(job.id).done == 1 and queue.get(job.id).status == "running"


def test_an_expired_lease_is_claimed_again_and_the_old_owner_cannot_complete(queue):
    job = queue.create(["only claim"], 8, {}, None)
    lost = queue.claim("dead-process", 1, lease_seconds=0.01)
    time.sleep(0.05)
    again = queue.claim("live-process", 1, lease_seconds=60)
    assert [i.index for i in again] == [0]
    assert queue.complete("dead-process", lost[0], {"stale": True}) == "stale"
    assert queue.complete("live-process", again[0], {"fresh": True}) == "finished"
    finished = queue.get(job.id)
    assert finished.status == "done" and finished.done == 1 and finished.finished_at
    assert queue.results(job.id, 0, 10) == [
        {"index": 0, "claim": "only claim", "status": "done", "result": {"fresh": True}}
    ]


def test_cancel_stops_unclaimed_items(queue):
    job = queue.create(["a", "b"], 8, {"sources": ["afp"]}, None)
    assert queue.cancel(job.id).status == "cancelled"
    assert queue.claim("w", 10, lease_seconds=60) == []
    assert [r["status"] for r in queue.results(job.id, 0, 10)] == ["cancelled", "cancelled"]
    assert queue.get(job.id).filters == {"sources": ["afp"]}


@pytest.fixture
def job_client(tmp_path, embedder, nli):
    def make(**config):
        settings = Settings(job_callback_attempts=2, job_callback_first_delay=0.05, **config)
        services = assemble(SQLiteStore(tmp_path / "jobs.db"), embedder, nli, settings)
        for article in (
            {"id": "a1", "title": "Pullout", "text": "Russian jets left the Hmeimim air base on Tuesday."},
        ):
            from service.articles import to_article
            from service.schemas import ArticleInSchema

            services.indexer.upsert(to_article(ArticleInSchema().load(article)))
        app = create_app(settings, services=services)
        return app.test_client(), services

    yield make


def _wait_done(client, location: str, timeout: float = 120) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        body = client.get(location).get_json()
        finished = body["status"] in ("done", "failed", "cancelled") and body["callback"]["status"] != "pending"
        if finished and (body["callback"]["url"] is None or body["callback"]["status"]):
            return body
        time.sleep(0.2)
    raise AssertionError("job did not finish")


def test_job_runs_in_the_background_and_pages_results_in_order(job_client):
    client, services = job_client()
    claims = ["Russian jets left Hmeimim.", "The weather was sunny.", "Jets left the air base on Tuesday."]
    try:
        created = client.post("/v1/jobs", json={"claims": claims, "top_k": 1})
        assert created.status_code == 202 and created.headers["Location"].startswith("/v1/jobs/")
        assert created.get_json()["status"] == "queued" and created.get_json()["progress"] == {"done": 0, "total": 3}
        body = _wait_done(client, created.headers["Location"])
        assert body["status"] == "done" and body["progress"] == {"done": 3, "total": 3}
        assert [r["claim"] for r in body["results"]] == claims
        assert all(r["status"] == "done" and r["result"]["evidence"][0]["article_id"] == "a1" for r in body["results"])
        page = client.get(created.headers["Location"] + "?offset=1&limit=1").get_json()
        assert [r["index"] for r in page["results"]] == [1] and page["next_offset"] == 2
    finally:
        services.runner.stop()


def test_cancel_and_errors(job_client):
    client, _ = job_client(job_runner=False)
    location = client.post("/v1/jobs", json={"claims": ["a claim"]}).headers["Location"]
    cancelled = client.delete(location)
    assert cancelled.status_code == 200 and cancelled.get_json()["status"] == "cancelled"
    assert client.get("/v1/jobs/nope").status_code == 404
    assert client.delete("/v1/jobs/nope").content_type == PROBLEM
    too_many = client.post("/v1/jobs", json={"claims": ["c"] * 10_001})
    assert too_many.status_code == 422 and "claims" in too_many.get_json()["errors"]
    bad_url = client.post("/v1/jobs", json={"claims": ["c"], "callback_url": "ftp://x"})
    assert bad_url.status_code == 422 and "callback_url" in bad_url.get_json()["errors"]


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/hook",
        "http://[::1]:8000/hook",
        "http://localhost/x",
        "http://169.254.169.254/x",
        "http://[::ffff:127.0.0.1]/x",
        "http://10.1.2.3:9000/x",
    ],
)
def test_a_callback_to_an_internal_address_is_refused_naming_the_field(job_client, url):
    client, _ = job_client(job_runner=False)
    refused = client.post("/v1/jobs", json={"claims": ["c"], "callback_url": url})
    assert refused.status_code == 422 and refused.content_type == PROBLEM
    message = refused.get_json()["errors"]["callback_url"][0]
    assert "may not reach" in message or "IPv4" in message  # IPv6 literals are not callback hosts at all


SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"


def test_callback_is_delivered_signed_and_a_dead_callback_is_recorded(job_client):
    from standardwebhooks import Webhook

    client, services = job_client(outbound_allow="127.0.0.1", webhook_secret=SECRET)  # the test's own receiver
    try:
        with receiving() as got:
            url = got.url()
            ok = _wait_done(
                client, client.post("/v1/jobs", json={"claims": ["x"], "callback_url": url}).headers["Location"]
            )
            assert ok["callback"] == {"url": url, "status": "delivered", "attempts": 1}
            headers, body = got.received[-1]
            summary = {"type": "job.finished", "id": ok["id"], "status": "done", "total": 1, "done": 1}
            assert Webhook(SECRET).verify(body, headers) == summary
        dead = _wait_done(  # the receiver is gone: the callback fails
            client, client.post("/v1/jobs", json={"claims": ["y"], "callback_url": url}).headers["Location"]
        )
        assert dead["status"] == "done" and dead["callback"]["status"].startswith("failed")
        assert dead["callback"]["attempts"] == 2
    finally:
        services.runner.stop()


def test_a_callback_host_that_resolves_inside_fails_and_the_job_says_why(job_client):
    client, services = job_client()
    try:
        url = "http://2130706433:8000/hook"  # 127.0.0.1 as a resolver reads it
        job = _wait_done(
            client, client.post("/v1/jobs", json={"claims": ["x"], "callback_url": url}).headers["Location"]
        )
        assert job["status"] == "done" and job["callback"]["attempts"] == 1
        assert job["callback"]["status"].startswith("failed: refused: 2130706433 resolves to 127.0.0.1")
    finally:
        services.runner.stop()


def test_a_jobs_checks_are_stored_as_checks_unless_it_says_not_to(job_client):
    client, services = job_client()
    try:
        kept = _wait_done(client, client.post("/v1/jobs", json={"claims": ["Jets left Hmeimim."]}).headers["Location"])
        check_id = kept["results"][0]["result"]["id"]
        stored = client.get(f"/v1/checks/{check_id}").get_json()
        assert stored["claim"] == "Jets left Hmeimim." and stored["result"] == kept["results"][0]["result"]
        location = client.post("/v1/jobs", json={"claims": ["Jets left."], "store": False}).headers["Location"]
        assert _wait_done(client, location)["results"][0]["result"]["id"] is None
        assert [c["id"] for c in client.get("/v1/checks").get_json()["checks"]] == [check_id]
    finally:
        services.runner.stop()


def test_a_long_draft_is_checked_as_a_job_whose_draft_says_which_item_each_sentence_became(job_client):
    client, services = job_client()
    sentences = ["Advertisement", "Russian jets left the Hmeimim air base on Sunday.", "Will the jets return?"]
    text = "\n".join(sentences) + "\n" + "Filler words without facts, so the draft is long enough.\n" * 400
    assert len(text) > MAX_DRAFT_CHARS
    try:
        assert client.post("/v1/drafts/check", json={"text": text}).status_code == 422  # too long: a job instead
        created = client.post("/v1/jobs", json={"draft": {"text": text, "id": "draft-1"}, "top_k": 1})
        assert created.status_code == 202
        body = _wait_done(client, created.headers["Location"])
        layout = body["draft"]["sentences"]
        assert [(s["text"], s["checkworthy"], s["item"]) for s in layout[:3]] == [
            (sentences[0], False, None),
            (sentences[1], True, 0),
            (sentences[2], False, None),
        ]
        assert all(text[s["start"] : s["end"]] == s["text"] for s in layout)
        assert body["progress"]["total"] == sum(s["checkworthy"] for s in layout)
        assert body["results"][0]["result"]["verdict"] == "contradict"  # the article says Tuesday
    finally:
        services.runner.stop()


def test_a_job_takes_claims_or_a_draft_and_a_draft_with_nothing_to_check_is_done_at_once(job_client):
    client, services = job_client()
    try:
        both = client.post("/v1/jobs", json={"claims": ["Jets left."], "draft": {"text": "Jets left."}})
        assert both.status_code == 422 and both.get_json()["errors"] == {"_schema": ["send either claims or draft"]}
        assert client.post("/v1/jobs", json={}).status_code == 422
        empty = client.post("/v1/jobs", json={"draft": {"text": "Advertisement\nWhat next?"}}).get_json()
        assert empty["status"] == "done" and empty["progress"] == {"done": 0, "total": 0}
        assert [s["reason"] for s in empty["draft"]["sentences"]] == ["boilerplate", "question"]
    finally:
        services.runner.stop()
