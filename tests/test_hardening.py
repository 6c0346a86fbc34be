"""Auth, rate limits, body size, request ids, logs and metrics."""

from __future__ import annotations

import json
import logging

import pytest

from factcheck.compose import assemble
from factcheck.settings import Settings
from factcheck.store.sqlite import SQLiteStore
from service.app import create_app
from service.observability import JsonFormatter, RequestIdFilter

PROBLEM = "application/problem+json"
KEY = "s3cret-key-for-tests"


@pytest.fixture
def make_client(tmp_path, embedder, nli):
    def make(**config):
        services = assemble(SQLiteStore(tmp_path / "h.db"), embedder, nli)
        return create_app(Settings(job_runner=False, **config), services=services).test_client()

    return make


def test_with_keys_configured_api_routes_need_a_key(make_client):
    client = make_client(api_keys=f"other-key,{KEY}")
    refused = client.post("/v1/articles", json={"id": "a1", "text": "Planes left."})
    assert refused.status_code == 401 and refused.content_type == PROBLEM
    assert refused.headers["WWW-Authenticate"].startswith("Bearer")
    assert client.post("/v1/checks", json={"claim": "x"}, headers={"X-API-Key": "wrong"}).status_code == 401
    assert client.get("/v1/articles", headers={"Authorization": "Basic abc"}).status_code == 401
    assert client.get("/v1/articles/a1", headers={"X-API-Key": KEY}).status_code == 404  # nothing was stored
    assert (
        client.post("/v1/articles", json={"id": "a1", "text": "Planes left."}, headers={"X-API-Key": KEY}).status_code
        == 201
    )
    assert client.get("/v1/articles/a1", headers={"Authorization": f"Bearer {KEY}"}).status_code == 200


@pytest.mark.parametrize("path", ["/healthz", "/readyz", "/openapi.yaml", "/openapi.json", "/docs", "/metrics"])
def test_health_docs_and_metrics_stay_open(make_client, path):
    assert make_client(api_keys=KEY).get(path).status_code == 200


def test_keys_file(make_client, tmp_path):
    keys = tmp_path / "keys"
    keys.write_text(f"# newsroom CMS\n{KEY}\n\n")
    client = make_client(api_keys_file=str(keys))
    assert client.get("/v1/articles").status_code == 401
    assert client.get("/v1/articles", headers={"X-API-Key": KEY}).status_code == 200


def test_rate_limit_is_a_429_problem_with_retry_after(make_client):
    client = make_client(rate_limit="2/minute")
    assert [client.get("/v1/articles").status_code for _ in range(2)] == [200, 200]
    limited = client.get("/v1/articles")
    assert limited.status_code == 429 and limited.content_type == PROBLEM
    assert int(limited.headers["Retry-After"]) > 0
    assert client.get("/healthz").status_code == 200  # health is never limited


def test_rate_limits_count_per_key(make_client):
    client = make_client(rate_limit="1/minute", api_keys="key-a,key-b")
    assert client.get("/v1/articles", headers={"X-API-Key": "key-a"}).status_code == 200
    assert client.get("/v1/articles", headers={"X-API-Key": "key-a"}).status_code == 429
    assert client.get("/v1/articles", headers={"X-API-Key": "key-b"}).status_code == 200


def test_body_too_large_is_a_413_problem_and_stores_nothing(make_client):
    client = make_client(max_body_bytes=1000)
    response = client.post("/v1/articles", json={"id": "big", "text": "x" * 2000})
    assert response.status_code == 413 and response.content_type == PROBLEM
    assert client.get("/v1/articles/big").status_code == 404


def test_request_id_is_echoed_or_made(make_client):
    client = make_client()
    assert client.get("/healthz", headers={"X-Request-ID": "cms-42"}).headers["X-Request-ID"] == "cms-42"
    made = client.get("/healthz", headers={"X-Request-ID": "bad id with spaces;drop"}).headers["X-Request-ID"]
    assert len(made) == 32 and made.isalnum()
    assert client.get("/nothing").headers["X-Request-ID"]  # errors too


def test_metrics_count_requests_and_verdicts(make_client):
    client = make_client()
    client.post("/v1/articles", json={"id": "a1", "text": "Russian jets left Syria on Tuesday."})
    client.post("/v1/checks", json={"claim": "Russian jets left Syria."})
    text = client.get("/metrics").get_data(as_text=True)
    assert 'factcheck_http_requests_total{endpoint="/v1/checks",method="POST",status="200"}' in text
    assert "factcheck_verdicts_total{verdict=" in text and "factcheck_http_request_seconds_bucket" in text


def test_logs_are_json_with_the_request_id_and_no_claim_text(make_client, caplog):
    client = make_client()
    claim = "A very particular claim about Hmeimim that must not reach the logs"
    handler = logging.StreamHandler()
    records: list[str] = []
    handler.emit = lambda record: records.append(handler.format(record))
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        with caplog.at_level(logging.INFO):
            client.post("/v1/checks", json={"claim": claim}, headers={"X-Request-ID": "req-1"})
            client.get("/v1/checks/unknown", headers={"X-Request-ID": "req-2"})
            logging.getLogger("factcheck.test").info("inside no request")
    finally:
        root.removeHandler(handler)
    assert all(claim not in line for line in records)
    assert all("request_id" in json.loads(line) or "inside no request" in line for line in records if line)
