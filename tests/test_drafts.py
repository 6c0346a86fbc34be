"""POST /v1/drafts/check: a whole draft split into sentences, the check-worthy ones checked."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests

from service.files import read_articles
from service.schemas import MAX_DRAFT_CHARS
from tests.conftest import SAMPLES
from tests.servers import Server

CHANGED = "Russia began its airstrikes in support of Assad's forces in December."  # the article says September
DRAFT = (
    "Russia Begins Syria Pullout\n"
    "Advertisement\n"
    "The first group of Russian aircraft has left the Hmeimim air base in Syria for their home base in Russia,"
    " the Russian Defense Ministry said on Tuesday.\n"
    f"{CHANGED}\n"
    "Will the peace talks in Geneva succeed?"
)


def _check(client, **body):
    return client.post("/v1/drafts/check", json=body)


@pytest.mark.parametrize("text", ["", "   \n\t "])
def test_an_empty_draft_is_refused(client, text):
    response = _check(client, text=text)
    assert response.status_code == 422 and "text" in response.get_json()["errors"]


def test_a_draft_too_long_is_refused_and_told_where_to_go(client):
    response = _check(client, text="word " * (MAX_DRAFT_CHARS // 5 + 1))
    assert response.status_code == 422
    assert "/v1/jobs" in response.get_json()["errors"]["text"][0]


def test_a_draft_with_nothing_to_check_has_every_sentence_skipped(client):
    body = _check(client, text="Advertisement\nWhat happens next?\nI think we should wait.").get_json()
    assert [(s["checkworthy"], s["reason"], s["result"]) for s in body["sentences"]] == [
        (False, "boilerplate", None),
        (False, "question", None),
        (False, "opinion", None),
    ]
    assert body["summary"] == {"checked": 0, "support": 0, "contradict": 0, "neutral": 0, "skipped": 3}


def test_the_draft_itself_is_not_its_own_evidence(client):
    text = "Russian jets left the Hmeimim air base in Syria on Tuesday."
    own = {"id": "draft-1", "title": "t", "text": text, "url": "https://news.example/draft-1"}
    assert client.post("/v1/articles", json=own).status_code == 201
    other = {"id": "other", "title": "t", "text": "Russian jets flew out of the Hmeimim air base in Syria on Tuesday."}
    assert client.post("/v1/articles", json=other).status_code == 201

    def cited(**draft) -> set[str]:
        (sentence,) = _check(client, text=text, **draft).get_json()["sentences"]
        return {e["article_id"] for e in sentence["result"]["evidence"]}

    assert cited() == {"draft-1", "other"}
    assert cited(id="draft-1") == {"other"}
    assert cited(url="https://news.example/draft-1") == {"other"}
    assert cited(published_at="2000-01-01T00:00:00Z") == set()  # nothing is dated before it


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    work: Path = tmp_path_factory.mktemp("drafts")
    running = Server(f"sqlite:///{work / 'server.db'}", work / "server.log").wait_ready()
    articles, problems = read_articles([SAMPLES])
    assert not problems
    batch = [{"id": a.id, "title": a.title, "text": a.text} for a in articles]
    assert requests.post(f"{running.base}/v1/articles/batch", json={"articles": batch}, timeout=300).ok
    yield running.base
    assert running.terminate() == 0


def test_a_changed_sentence_of_a_draft_is_contradicted_with_its_offsets_over_http(server):
    response = requests.post(f"{server}/v1/drafts/check", json={"text": DRAFT}, timeout=120)
    assert response.status_code == 200
    body = response.json()
    by_text = {s["text"]: s for s in body["sentences"]}
    assert [s["text"] for s in body["sentences"]] == DRAFT.split("\n")
    for sentence in body["sentences"]:
        assert DRAFT[sentence["start"] : sentence["end"]] == sentence["text"]
    changed = by_text[CHANGED]
    assert changed["checkworthy"] and changed["result"]["verdict"] == "contradict"
    assert changed["start"] == DRAFT.index(CHANGED)
    assert by_text["Advertisement"]["reason"] == "boilerplate" and by_text["Advertisement"]["result"] is None
    question = by_text["Will the peace talks in Geneva succeed?"]
    assert question["reason"] == "question" and question["result"] is None
    kept = next(s for s in body["sentences"] if s["text"].startswith("The first group"))
    assert kept["result"]["verdict"] == "support"
    assert body["summary"]["contradict"] >= 1 and body["summary"]["skipped"] == 3
