"""Stored checks with their provenance (service/checks.py, the stores' checks tables)."""

from __future__ import annotations

PROBLEM = "application/problem+json"
ARTICLES = [
    {"id": "afp-1", "title": "Pullout", "text": "Russian jets left the Hmeimim air base on Tuesday.", "source": "afp"},
    {"id": "rtr-1", "title": "Port", "text": "The naval facility in Tartus will keep operating.", "source": "reuters"},
]


def _index(client) -> None:
    for article in ARTICLES:
        assert client.post("/v1/articles", json=article).status_code == 201


def test_a_stored_check_comes_back_with_its_provenance(client):
    _index(client)
    answer = client.post("/v1/checks", json={"claim": "Russian jets left Hmeimim on Tuesday.", "top_k": 2}).get_json()
    assert answer["id"] and answer["evidence"][0]["article_id"] == "afp-1"
    stored = client.get(f"/v1/checks/{answer['id']}").get_json()
    assert stored["result"] == answer and stored["verdict"] == answer["verdict"] == "support"
    assert stored["request"] == {
        "top_k": 2,
        "filters": {"sources": [], "published_after": None, "published_before": None, "exclude_article_ids": []},
    }
    model = stored["provenance"]["model"]
    assert model["nli"] and model["embedding"] and model["rule"].startswith("sha256:")
    assert model["calibration"].startswith("sha256:") and model["code"].startswith("factcheck ")
    version = client.get("/v1/articles/afp-1").get_json()["content_hash"]
    assert {"article_id": "afp-1", "article_version": version} in stored["provenance"]["citations"]
    assert answer["evidence"][0]["article_version"] == version
    assert stored["provenance"]["index"] == {"articles": 2, "sentences": 2}


def test_store_false_answers_without_keeping_it(client):
    _index(client)
    answer = client.post("/v1/checks", json={"claim": "Jets left Hmeimim.", "store": False}).get_json()
    assert answer["id"] is None
    assert client.get("/v1/checks").get_json() == {"checks": [], "next_cursor": None}


def test_stored_checks_are_listed_with_filters_and_pages(client):
    _index(client)
    batch = client.post(
        "/v1/checks/batch",
        json={"claims": ["Russian jets left the Hmeimim air base.", "The naval facility in Tartus will close."]},
    ).get_json()["results"]
    assert all(r["id"] for r in batch)
    every = client.get("/v1/checks").get_json()["checks"]
    assert [c["id"] for c in every] == [r["id"] for r in batch]
    first = client.get("/v1/checks?limit=1").get_json()
    second = client.get(f"/v1/checks?limit=1&cursor={first['next_cursor']}").get_json()
    assert [c["id"] for c in first["checks"] + second["checks"]] == [r["id"] for r in batch]
    assert second["next_cursor"] is None
    by_verdict = client.get(f"/v1/checks?verdict={batch[1]['verdict']}").get_json()["checks"]
    assert batch[1]["id"] in [c["id"] for c in by_verdict]
    citing = client.get("/v1/checks?cites_article=rtr-1").get_json()["checks"]
    assert {c["id"] for c in citing} == {
        r["id"] for r in batch if any(e["article_id"] == "rtr-1" for e in r["evidence"])
    }
    created = every[0]["created_at"]
    assert client.get("/v1/checks", query_string={"created_after": "2100-01-01T00:00:00Z"}).get_json()["checks"] == []
    assert len(client.get("/v1/checks", query_string={"created_before": created}).get_json()["checks"]) >= 1


def test_unknown_ids_bad_cursors_and_bad_filters_are_problems(client):
    missing = client.get("/v1/checks/nope")
    assert missing.status_code == 404 and missing.content_type == PROBLEM
    cursor = client.get("/v1/checks?cursor=abc")
    assert cursor.status_code == 400 and cursor.content_type == PROBLEM
    assert client.get("/v1/checks?verdict=maybe").status_code == 422
    assert client.get("/v1/checks?created_after=yesterday").status_code == 422


def test_a_job_item_checked_twice_is_stored_once(client):
    from service.checks import keep

    _index(client)
    services = client.application.extensions["factcheck"]
    for _ in range(2):  # a lease ran out and another worker checked the item again
        results = services.require_checker().check_many(["Jets left Hmeimim."], 8)
        keep(services, results, 8, {}, ["job-1:0"])
    stored = client.get("/v1/checks").get_json()["checks"]
    assert len(stored) == 1 and stored[0]["id"] == results[0].id
