"""Scoped API keys and the audit log (service/security.py, service/audit.py)."""

from __future__ import annotations

import pytest

from factcheck.compose import assemble
from factcheck.settings import Settings
from factcheck.store.sqlite import SQLiteStore
from service.app import create_app
from service.security import KeySpecError, parse_key

PROBLEM = "application/problem+json"
KEYS = "reader-key:read, checker-key:check+read, writer-key:write, admin-key:admin, old-key"


@pytest.fixture
def client(tmp_path, embedder, nli):
    services = assemble(SQLiteStore(tmp_path / "scopes.db"), embedder, nli)
    return create_app(Settings(job_runner=False, api_keys=KEYS), services=services).test_client()


def _as(key: str) -> dict[str, str]:
    return {"X-API-Key": key}


ARTICLE = {"id": "a1", "title": "Pullout", "text": "Russian jets left the Hmeimim air base on Tuesday."}


def test_each_scope_allows_its_requests_and_a_missing_scope_is_a_403_naming_it(client):
    refused = client.post("/v1/articles", json=ARTICLE, headers=_as("reader-key"))
    assert refused.status_code == 403 and refused.content_type == PROBLEM and "'write'" in refused.get_json()["detail"]
    assert client.post("/v1/articles", json=ARTICLE, headers=_as("writer-key")).status_code == 201
    assert client.get("/v1/articles/a1", headers=_as("reader-key")).status_code == 200
    assert client.get("/v1/articles/a1", headers=_as("writer-key")).status_code == 403  # write is not read
    assert client.post("/v1/checks", json={"claim": "Jets left."}, headers=_as("reader-key")).status_code == 403
    assert client.post("/v1/checks", json={"claim": "Jets left."}, headers=_as("checker-key")).status_code == 200
    assert client.delete("/v1/articles/a1", headers=_as("checker-key")).status_code == 403
    assert client.get("/v1/audit", headers=_as("writer-key")).status_code == 403
    assert client.get("/v1/audit", headers=_as("admin-key")).status_code == 200
    assert client.delete("/v1/articles/a1", headers=_as("old-key")).status_code == 204  # a bare key: every scope


def test_every_write_is_in_the_audit_log_with_the_key_hash_never_the_key(client):
    client.post("/v1/articles", json=ARTICLE, headers=_as("writer-key"))
    client.post("/v1/articles", json=ARTICLE, headers=_as("writer-key"))
    client.post(
        "/v1/articles/batch", json={"articles": [{**ARTICLE, "id": "a2"}, {"id": ""}]}, headers=_as("admin-key")
    )
    client.delete("/v1/articles/a1", headers={**_as("writer-key"), "X-Request-ID": "req-42"})
    client.delete("/v1/articles/nope", headers=_as("writer-key"))
    job = client.post("/v1/jobs", json={"claims": ["Jets left."]}, headers=_as("checker-key")).get_json()
    client.delete(f"/v1/jobs/{job['id']}", headers=_as("checker-key"))
    first = client.get("/v1/audit?limit=4", headers=_as("admin-key")).get_json()
    rest = client.get(f"/v1/audit?cursor={first['next_cursor']}", headers=_as("admin-key")).get_json()
    entries = first["entries"] + rest["entries"]
    assert [(e["action"], e["resource"], e["outcome"]) for e in entries] == [
        ("article.upsert", "a1", "created"),
        ("article.upsert", "a1", "unchanged"),
        ("article.upsert", "a2", "created"),
        ("article.delete", "a1", "deleted"),
        ("article.delete", "nope", "not_found"),
        ("job.create", job["id"], "created"),
        ("job.cancel", job["id"], "cancelled"),
    ]
    assert rest["next_cursor"] is None and entries[3]["request_id"] == "req-42"
    assert len({e["key_id"] for e in entries}) == 3 and all("key" not in e["key_id"] for e in entries)


@pytest.mark.parametrize("entry", ["k:delete", "k:read+root", "k:", ":read"])
def test_an_unknown_or_missing_scope_is_refused_at_start(entry):
    with pytest.raises(KeySpecError, match="scope"):
        parse_key(entry)
    assert parse_key("k") == ("k", frozenset({"read", "check", "write", "admin"}))


def _needed(method: str, path: str) -> str | None:
    """The scope each route needs, as the API promises it (not read from the code that enforces it)."""
    if not path.startswith("/v1/"):
        return None  # open: health, readiness, metrics, the contract
    if path.startswith("/v1/audit"):
        return "admin"
    if method == "get":
        return "read"
    return "write" if path.startswith("/v1/articles") else "check"


def test_every_route_in_the_contract_gives_403_exactly_to_keys_without_its_scope(client):
    import re
    from pathlib import Path

    import yaml

    spec = yaml.safe_load(Path("openapi.yaml").read_text(encoding="utf-8"))
    routes = [(m, p) for p, ops in spec["paths"].items() for m in ops if m in ("get", "post", "put", "delete")]
    assert len(routes) >= 15
    for method, path in routes:
        url = re.sub(r"\{[a-z_]+\}", "nope", path.replace("{n}", "1"))
        needed = _needed(method, path)
        for key, scope in (("reader-key", "read"), ("checker-key", "check"), ("writer-key", "write")):
            has = needed is None or scope == needed or (key == "checker-key" and needed == "read")
            status = client.open(url, method=method.upper(), json={}, headers=_as(key)).status_code
            assert (status == 403) == (not has), (method, path, key, status)
        status = client.open(url, method=method.upper(), json={}, headers=_as("admin-key")).status_code
        assert status != 403, (method, path, "admin", status)
    purge = client.delete("/v1/articles/nope?purge=true", headers=_as("writer-key"))
    assert purge.status_code == 403 and "'admin'" in purge.get_json()["detail"]
    assert client.delete("/v1/articles/nope?purge=true", headers=_as("admin-key")).status_code == 404
