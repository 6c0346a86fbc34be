"""The HTTP API through Flask's test client on a real SQLite file with the shipped models."""

from __future__ import annotations

import pytest

PROBLEM = "application/problem+json"
ARTICLE = {
    "id": "pullout-1",
    "title": "Russia pulls out",
    "source": "wire",
    "url": "https://example.org/a/1",
    "published_at": "2016-03-15T09:00:00Z",
    "language": "en",
    "metadata": {"desk": "world"},
    "text": "Russian jets left the Hmeimim air base on Tuesday.\n\nThe Tartus naval base will stay open. "
    "Talks resumed in Geneva.",
}


def _problem(response, status: int) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.content_type == PROBLEM
    body = response.get_json()
    assert body["status"] == status and body["title"] and body["type"] and body["detail"]
    return body


def test_upsert_creates_then_is_idempotent_then_reindexes_on_change(client):
    first = client.post("/v1/articles", json=ARTICLE)
    assert first.status_code == 201 and first.get_json() == {"id": "pullout-1", "status": "created", "sentences": 3}
    again = client.post("/v1/articles", json=ARTICLE)
    assert again.status_code == 200 and again.get_json()["status"] == "unchanged"
    changed = client.post("/v1/articles", json={**ARTICLE, "text": "Only one sentence now."})
    assert changed.status_code == 200 and changed.get_json() == {"id": "pullout-1", "status": "updated", "sentences": 1}
    body = client.get("/v1/articles/pullout-1").get_json()
    assert [s["text"] for s in body["sentences"]] == ["Only one sentence now."]


def test_article_sentences_carry_exact_offsets(client):
    client.post("/v1/articles", json=ARTICLE)
    body = client.get("/v1/articles/pullout-1").get_json()
    assert body["published_at"] == "2016-03-15T09:00:00+00:00" and body["metadata"] == {"desk": "world"}
    assert [s["index"] for s in body["sentences"]] == [0, 1, 2]
    for s in body["sentences"]:
        assert body["text"][s["start"] : s["end"]] == s["text"]


def test_id_is_derived_from_url_else_from_content(client):
    no_id = {k: v for k, v in ARTICLE.items() if k != "id"}
    by_url = client.post("/v1/articles", json=no_id).get_json()["id"]
    assert by_url.startswith("url-")
    assert client.post("/v1/articles", json={**no_id, "text": "Changed text."}).get_json()["id"] == by_url
    no_url = {k: v for k, v in no_id.items() if k != "url"}
    by_content = client.post("/v1/articles", json=no_url).get_json()["id"]
    assert by_content.startswith("sha-") and by_content != by_url


def test_delete_removes_the_article_from_retrieval(client):
    client.post("/v1/articles", json=ARTICLE)
    cited = client.post("/v1/checks", json={"claim": "Jets left the Hmeimim air base."}).get_json()
    assert {e["article_id"] for e in cited["evidence"]} == {"pullout-1"}
    assert client.delete("/v1/articles/pullout-1").status_code == 204
    _problem(client.get("/v1/articles/pullout-1"), 404)
    _problem(client.delete("/v1/articles/pullout-1"), 404)
    after = client.post("/v1/checks", json={"claim": "Jets left the Hmeimim air base."}).get_json()
    assert after["evidence"] == [] and after["verdict"] == "neutral"
    assert after["index"] == {"articles": 0, "sentences": 0}


def test_batch_upsert_reports_each_item(client):
    articles = [
        ARTICLE,
        {"title": "no text"},
        {**ARTICLE, "id": "pullout-2", "published_at": "not a date"},
        {**ARTICLE, "id": "pullout-3"},
    ]
    response = client.post("/v1/articles/batch", json={"articles": articles})
    assert response.status_code == 200
    results = response.get_json()["results"]
    assert [r["ok"] for r in results] == [True, False, False, True]
    assert results[1]["errors"] == {"text": ["Missing data for required field."]}
    assert "published_at" in results[2]["errors"]
    assert [a["id"] for a in client.get("/v1/articles").get_json()["articles"]] == ["pullout-1", "pullout-3"]


def test_list_paginates_and_filters(client):
    for i, (source, day) in enumerate([("afp", 14), ("bbc", 15), ("afp", 16)]):
        client.post(
            "/v1/articles",
            json={**ARTICLE, "id": f"a{i}", "source": source, "published_at": f"2016-03-{day}T00:00:00Z"},
        )
    page = client.get("/v1/articles?limit=2").get_json()
    assert [a["id"] for a in page["articles"]] == ["a0", "a1"] and page["next_cursor"]
    rest = client.get(f"/v1/articles?limit=2&cursor={page['next_cursor']}").get_json()
    assert [a["id"] for a in rest["articles"]] == ["a2"] and rest["next_cursor"] is None
    assert [a["id"] for a in client.get("/v1/articles?source=afp").get_json()["articles"]] == ["a0", "a2"]
    after = client.get("/v1/articles?published_after=2016-03-15T00:00:00Z").get_json()["articles"]
    assert [a["id"] for a in after] == ["a1", "a2"]
    before = client.get("/v1/articles?published_before=2016-03-15T00:00:00%2B00:00").get_json()["articles"]
    assert [a["id"] for a in before] == ["a0", "a1"]


def test_check_filters_restrict_the_evidence(client):
    for id_, source, day in [("old", "afp", 14), ("new", "bbc", 16)]:  # distinct texts: copies are cited once
        client.post(
            "/v1/articles",
            json={
                **ARTICLE,
                "id": id_,
                "source": source,
                "text": f"{ARTICLE['text']} ({source})",
                "published_at": f"2016-03-{day}T00:00:00Z",
            },
        )
    claim = "Russian jets left the Hmeimim air base."

    def cited(filters: dict) -> set[str]:
        body = client.post("/v1/checks", json={"claim": claim, "filters": filters}).get_json()
        return {e["article_id"] for e in body["evidence"]}

    assert cited({}) == {"old", "new"}
    assert cited({"sources": ["bbc"]}) == {"new"}
    assert cited({"exclude_article_ids": ["new"]}) == {"old"}
    assert cited({"published_after": "2016-03-15T00:00:00Z"}) == {"new"}
    assert cited({"published_before": "2016-03-15T00:00:00Z"}) == {"old"}


def test_check_response_shape(sample_client):
    body = sample_client.post(
        "/v1/checks", json={"claim": "Russia will keep its naval facility at Tartus.", "top_k": 5}
    ).get_json()
    assert body["verdict"] in ("support", "contradict", "neutral") and 0 <= body["confidence"] <= 1
    assert len(body["evidence"]) == 5
    assert set(body["timings_ms"]) >= {"embed", "retrieve", "nli", "total"}
    assert body["index"]["articles"] == 5 and body["model"]["nli"]
    for e in body["evidence"]:
        if e["probabilities"] is None:  # below the relevance gate: not scored, cannot count
            assert e["label"] == "neutral"
            continue
        assert abs(sum(e["probabilities"].values()) - 1) < 1e-3
        # a sentence's label is the side it counts for under the model's decision rule, else neutral
        assert e["label"] in ("neutral", max(e["probabilities"], key=e["probabilities"].get))
        article = sample_client.get(f"/v1/articles/{e['article_id']}").get_json()
        assert article["text"][e["start"] : e["end"]] == e["text"]


def test_batch_checks_keep_the_order_of_the_claims(sample_client):
    claims = [
        "Russia will keep its naval facility at Tartus.",
        "The weather in Paris was sunny.",
        "Putin announced a withdrawal from Syria.",
    ]
    results = sample_client.post("/v1/checks/batch", json={"claims": claims, "top_k": 3}).get_json()["results"]
    assert [r["claim"] for r in results] == claims
    single = sample_client.post("/v1/checks", json={"claim": claims[2], "top_k": 3}).get_json()
    # same sentences and verdict; the order of near-equal probabilities may differ, because dynamic int8
    # quantisation scales activations per batch, so a pair's probabilities depend slightly on its batch
    assert results[2]["verdict"] == single["verdict"]
    assert {e["text"] for e in results[2]["evidence"]} == {e["text"] for e in single["evidence"]}


@pytest.mark.parametrize(
    "path,body,field",
    [
        ("/v1/articles", {"title": "t"}, "text"),
        ("/v1/articles", {"text": "   "}, "text"),
        ("/v1/articles", {"text": "ok", "published_at": "yesterday"}, "published_at"),
        ("/v1/articles", {"text": "ok", "id": "bad id with spaces"}, "id"),
        ("/v1/articles", {"text": "ok", "url": "not a url"}, "url"),
        ("/v1/articles", {"text": "ok", "unknown": 1}, "unknown"),
        ("/v1/articles", {"text": "x" * 1_000_001}, "text"),
        ("/v1/articles", {"text": "bell\x07char"}, "text"),
        ("/v1/articles/batch", {"articles": []}, "articles"),
        ("/v1/articles/batch", {"articles": [{"text": "x"}] * 501}, "articles"),
        ("/v1/checks", {}, "claim"),
        ("/v1/checks", {"claim": ""}, "claim"),
        ("/v1/checks", {"claim": "x" * 2001}, "claim"),
        ("/v1/checks", {"claim": "ok", "top_k": 0}, "top_k"),
        ("/v1/checks", {"claim": "ok", "top_k": 51}, "top_k"),
        ("/v1/checks", {"claim": "ok", "filters": {"sources": "afp"}}, "filters"),
        ("/v1/checks", {"claim": "ok", "filters": {"colour": "red"}}, "filters"),
        ("/v1/checks", {"claim": 42}, "claim"),
        ("/v1/checks/batch", {"claims": []}, "claims"),
        ("/v1/checks/batch", {"claims": ["c"] * 65}, "claims"),
        ("/v1/articles", {"text": 42}, "text"),
        ("/v1/articles", {"text": ["a", "b"]}, "text"),
        ("/v1/articles", {"text": "ok", "title": {"x": 1}}, "title"),
        ("/v1/articles", {"text": "ok", "metadata": "not an object"}, "metadata"),
        ("/v1/articles", {"text": "ok", "metadata": [1, 2]}, "metadata"),
        ("/v1/articles", {"text": "ok", "language": "english"}, "language"),
        ("/v1/articles", {"text": "ok", "published_at": "2016-13-45T00:00:00Z"}, "published_at"),
        ("/v1/articles", {"text": "ok", "published_at": 1458000000}, "published_at"),
        ("/v1/articles", {"text": "ok", "source": "x" * 201}, "source"),
        ("/v1/articles", {"text": "ok", "id": ""}, "id"),
        ("/v1/articles", {"text": "ok", "id": "x" * 201}, "id"),
        ("/v1/articles", {"text": "ok", "id": "-leading-dash"}, "id"),
        ("/v1/articles", {"text": "ok", "title": "tab\x00null"}, "title"),
        ("/v1/articles", {"text": None}, "text"),
        ("/v1/articles/batch", {}, "articles"),
        ("/v1/articles/batch", {"articles": "not a list"}, "articles"),
        ("/v1/articles/batch", {"articles": [{"id": "dup", "text": "a"}, {"id": "dup", "text": "b"}]}, "articles"),
        ("/v1/checks", {"claim": "ok", "top_k": "eight"}, "top_k"),
        ("/v1/checks", {"claim": "ok", "top_k": 2.5}, "top_k"),
        ("/v1/checks", {"claim": "ok", "filters": {"published_after": "last week"}}, "filters"),
        ("/v1/checks", {"claim": "ok", "filters": {"exclude_article_ids": [""]}}, "filters"),
        ("/v1/checks", {"claim": "ok", "filters": {"sources": ["x"] * 101}}, "filters"),
        ("/v1/checks", {"claim": "ok", "filters": "none"}, "filters"),
        ("/v1/checks", {"claim": "control \x1b[31m chars"}, "claim"),
        ("/v1/checks", {"claim": None}, "claim"),
        ("/v1/checks", {"claims": ["wrong endpoint"]}, "claims"),
        ("/v1/checks/batch", {"claims": "one claim"}, "claims"),
        ("/v1/checks/batch", {"claims": ["ok", ""]}, "claims"),
        ("/v1/checks/batch", {"claims": ["ok"], "top_k": 100}, "top_k"),
    ],
)
def test_bad_input_is_a_422_problem_with_field_errors_and_stores_nothing(client, path, body, field):
    problem = _problem(client.post(path, json=body), 422)
    assert field in problem["errors"]
    assert client.get("/v1/articles").get_json()["articles"] == []


def test_the_bad_input_table_has_at_least_40_rows():
    cases = test_bad_input_is_a_422_problem_with_field_errors_and_stores_nothing.pytestmark[0].args[1]
    assert len(cases) >= 40


def test_a_body_that_is_not_an_object_is_a_problem(client):
    for body in ([], "text", 42, None):
        response = client.post("/v1/checks", json=body)
        assert response.status_code in (400, 422) and response.content_type == PROBLEM


def test_invalid_json_is_a_400_problem(client):
    _problem(client.post("/v1/checks", data="{not json", content_type="application/json"), 400)
    _problem(client.post("/v1/articles", data=b"\xff\xfe", content_type="application/json"), 400)


def test_lone_surrogates_are_a_400_problem_and_pairs_are_fine(client):
    for path, body in [
        ("/v1/checks", '{"claim": "ab\\ud800c"}'),
        ("/v1/articles", '{"text": "ab\\udc00c"}'),
        ("/v1/articles", '{"text": "ok", "metadata": {"k\\ud800": 1}}'),
    ]:
        _problem(client.post(path, data=body, content_type="application/json"), 400)
    assert client.get("/v1/articles").get_json()["articles"] == []
    emoji = client.post(
        "/v1/articles", data='{"id": "e", "text": "Smile \\ud83d\\ude00 please."}', content_type="application/json"
    )
    assert emoji.status_code == 201


def test_unknown_route_and_method_are_problems(client):
    _problem(client.get("/v1/nothing"), 404)
    assert _problem(client.put("/v1/checks", json={}), 405) and client.put("/v1/checks").headers["Allow"]


def test_list_query_errors_are_problems(client):
    assert "limit" in _problem(client.get("/v1/articles?limit=0"), 422)["errors"]
    assert "cursor" in _problem(client.get("/v1/articles?cursor=abc"), 422)["errors"]


def test_health_and_readiness(sample_client):
    assert sample_client.get("/healthz").get_json() == {"status": "ok"}
    ready = sample_client.get("/readyz").get_json()
    assert ready["status"] == "ready" and ready["index"]["articles"] == 5


def test_readiness_is_503_when_the_model_cannot_load(tmp_path):
    from factcheck.settings import Settings
    from service.app import create_app

    app = create_app(Settings(store_url=f"sqlite:///{tmp_path / 'x.db'}", nli_model=str(tmp_path / "missing")))
    client = app.test_client()
    assert client.get("/healthz").status_code == 200
    assert "NLI model directory not found" in _problem(client.get("/readyz"), 503)["detail"]
    _problem(client.post("/v1/checks", json={"claim": "anything"}), 503)
    _problem(client.post("/v1/articles", json={"text": "anything"}), 503)


def test_swagger_ui_is_served_offline(client):
    page = client.get("/docs")
    assert page.status_code == 200 and b"/docs/assets/swagger-ui-bundle.js" in page.data
    assert client.get("/docs/assets/swagger-ui-bundle.js").status_code == 200
    assert client.get("/docs/assets/swagger-ui.css").status_code == 200


def test_a_repeated_sentence_is_cited_once(client):
    text = "Jets left Hmeimim on Tuesday.\nJets left Hmeimim on Tuesday.\nTalks resumed in Geneva."
    client.post("/v1/articles", json={"id": "dup-a", "text": text})
    client.post("/v1/articles", json={"id": "dup-b", "text": "“Jets left  Hmeimim on Tuesday”. Other news."})
    body = client.post("/v1/checks", json={"claim": "Jets left Hmeimim on Tuesday.", "top_k": 5}).get_json()
    texts = [e["text"] for e in body["evidence"]]
    assert sum("Jets left" in t for t in texts) == 1 and len(texts) == 3


def test_a_syndicated_copy_with_a_dateline_is_cited_once_but_an_edited_copy_is_kept(client):
    sentence = "Russian jets and helicopters left the Hmeimim air base in Syria on Tuesday morning"
    client.post("/v1/articles", json={"id": "wire", "text": f"{sentence}. Talks resumed in Geneva."})
    client.post("/v1/articles", json={"id": "copy", "text": f"MOSCOW (Reuters) - {sentence}. Other news."})
    client.post("/v1/articles", json={"id": "edit", "text": f"{sentence.replace('Tuesday', 'Monday')}."})
    body = client.post("/v1/checks", json={"claim": "Jets left Hmeimim on Tuesday.", "top_k": 8}).get_json()
    texts = [e["text"] for e in body["evidence"]]
    assert sum("helicopters left" in t and "Tuesday" in t for t in texts) == 1, texts
    assert sum("Monday" in t for t in texts) == 1, texts
