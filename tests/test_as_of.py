"""Checking a claim as of a date (pipeline/asof.py)."""

from __future__ import annotations

from factcheck.pipeline.asof import version_at
from factcheck.records import Article, ArticleVersion

FIRST = "Russia will keep its Tartus naval facility open. Talks continue in Geneva."
CLOSED = "Russia will close its Tartus naval facility."
ARTICLES = [
    {"id": "a", "title": "Tartus", "text": FIRST, "published_at": "2016-03-10T09:00:00Z"},
    {"id": "b", "title": "Tartus", "text": CLOSED, "published_at": "2016-03-20T09:00:00Z"},
    {"id": "c", "title": "Undated", "text": "Russia will close its Tartus naval facility soon."},
]
CORRECTION = {**ARTICLES[0], "text": "Russia will keep its Tartus naval facility open. Talks collapsed in Geneva."}
CLAIM = "Russia will keep the Tartus naval facility open."


def test_as_of_uses_articles_published_by_then_as_they_stood_and_says_what_it_left_out(client):
    for article in ARTICLES:
        client.post("/v1/articles", json=article)
    first_version = client.get("/v1/articles/a").get_json()["content_hash"]
    client.post("/v1/articles", json=CORRECTION)
    body = client.post("/v1/checks", json={"claim": CLAIM, "as_of": "2016-03-15T00:00:00Z"}).get_json()
    assert body["as_of"] == {"date": "2016-03-15T00:00:00+00:00", "undated_articles_left_out": 1}
    assert {e["article_id"] for e in body["evidence"]} == {"a"}  # b was published later, c is undated
    cited = next(e for e in body["evidence"] if e["text"].startswith("Russia will keep"))
    assert cited["superseded"] and cited["article_version"] == first_version
    assert all("collapsed" not in e["text"] for e in body["evidence"])  # not written yet then
    assert body["verdict"] == "support"
    now = client.post("/v1/checks", json={"claim": CLAIM}).get_json()
    assert "as_of" not in now and {"b", "c"} & {e["article_id"] for e in now["evidence"]}
    assert not any(e["superseded"] for e in now["evidence"])
    replayed = client.post(f"/v1/checks/{body['id']}/replay").get_json()
    assert replayed["replayed"]["as_of"] == body["as_of"]  # the stored settings keep the date


def test_an_unparsable_date_is_refused(client):
    refused = client.post("/v1/checks", json={"claim": CLAIM, "as_of": "last Tuesday"})
    assert refused.status_code == 422 and "as_of" in refused.get_json()["errors"]


def _version(n: int, valid_from: str | None, deleted: bool = False) -> ArticleVersion:
    return ArticleVersion(n, Article("a", "t", f"text {n}"), valid_from, None, deleted)


def test_the_version_current_then_is_the_latest_begun_by_then_else_the_first():
    versions = [_version(1, "2016-01-01"), _version(2, "2016-02-01"), _version(3, "2016-03-01", deleted=True)]
    assert version_at(versions, "2016-02-15").n == 2
    assert version_at(versions, "2016-03-15").n == 2  # a tombstone is not a text
    assert version_at(versions, "2015-12-31").n == 1  # indexed after the date: as first indexed
    assert version_at([], "2016-01-01") is None


def test_as_of_finds_a_sentence_that_a_later_correction_removed(client):
    client.post("/v1/articles", json=ARTICLES[0])
    first_version = client.get("/v1/articles/a").get_json()["content_hash"]
    client.post("/v1/articles", json=CORRECTION)  # "Talks continue" became "Talks collapsed"
    claim = "Talks continue in Geneva."
    then = client.post("/v1/checks", json={"claim": claim, "as_of": "2016-03-15T00:00:00Z"}).get_json()
    cited = then["evidence"][0]
    assert (cited["text"], cited["superseded"], cited["article_version"]) == (claim, True, first_version)
    assert then["verdict"] == "support"
    now = client.post("/v1/checks", json={"claim": claim}).get_json()
    assert all(e["text"] != claim for e in now["evidence"])  # it is not in the article any more
