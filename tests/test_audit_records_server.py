"""Checks a newsroom can audit, through the real server (gunicorn, two workers, a SQLite file): a
stored check, a correction that flips it (history, event), replay, ClaimReview, outlets."""

from __future__ import annotations

import pytest
import requests
from standardwebhooks import Webhook

from tests.receivers import eventually, receiving
from tests.servers import Server

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
ARTICLE = {
    "id": "tartus",
    "title": "Russia to keep Tartus",
    "url": "https://wire.example/tartus",
    "source": "example-wire",
    "published_at": "2016-03-15T12:00:00Z",
    "text": "Russia will keep operating its Tartus naval facility in Syria, the Kremlin said on Tuesday.",
}
CORRECTION = {**ARTICLE, "text": "Russia will close its Tartus naval facility in Syria, the Kremlin said on Tuesday."}
CLAIM = "Russia will keep its naval facility at Tartus."


@pytest.fixture
def events():
    with receiving() as got:
        yield got


@pytest.fixture
def served(tmp_path, events):
    env = {
        "FACTCHECK_OUTBOUND_ALLOW": "127.0.0.1",
        "FACTCHECK_WEBHOOK_SECRET": SECRET,
        "FACTCHECK_EVENTS_URL": events.url("/events"),
        "FACTCHECK_PUBLISHER_NAME": "Example Wire",
        "FACTCHECK_PUBLISHER_URL": "https://wire.example",
        "FACTCHECK_RATE_LIMIT": "",
    }
    server = Server(f"sqlite:///{tmp_path / 'audit.db'}", tmp_path / "server.log", env=env).wait_ready()
    yield server.base
    server.terminate()


def test_a_correction_flows_through_to_the_stored_check(served, events):
    assert requests.post(f"{served}/v1/articles", json=ARTICLE, timeout=60).status_code == 201
    check = requests.post(f"{served}/v1/checks", json={"claim": CLAIM}, timeout=60).json()
    assert check["verdict"] == "support" and check["outlets"]["sources"]["support"] == ["example-wire"]
    stored = requests.get(f"{served}/v1/checks/{check['id']}", timeout=60).json()
    assert stored["result"] == check and stored["history"] == [] and not stored["stale"]
    review = requests.get(f"{served}/v1/checks/{check['id']}/claimreview", timeout=60)
    assert review.headers["Content-Type"].startswith("application/ld+json")
    assert review.json()["reviewRating"]["alternateName"] in ("True", "Mostly true")

    assert requests.post(f"{served}/v1/articles", json=CORRECTION, timeout=60).json()["status"] == "updated"
    after = eventually(
        lambda: (b := requests.get(f"{served}/v1/checks/{check['id']}", timeout=60).json())["history"] and b
    )
    assert after["verdict"] == "contradict" and after["history"][0]["why"]["change"] == "updated"
    headers, body = eventually(lambda: events.received and events.received[-1])
    event = Webhook(SECRET).verify(body, headers)
    assert (event["id"], event["previous"]["verdict"], event["verdict"]) == (check["id"], "support", "contradict")

    replay = requests.post(f"{served}/v1/checks/{check['id']}/replay", timeout=60).json()
    assert replay["changes"]["verdict"] is None and not replay["saved"]  # already re-checked
    versions = requests.get(f"{served}/v1/articles/tartus/versions", timeout=60).json()["versions"]
    assert [v["n"] for v in versions] == [1, 2]
    first = requests.get(f"{served}/v1/articles/tartus/versions/1", timeout=60).json()
    assert first["content_hash"] == check["evidence"][0]["article_version"]  # the old citation resolves


SYNDICATED = "Russia will keep operating its Hmeimim air base in Syria, the defence ministry said."


def test_replay_as_of_outlets_and_claimreview_over_http(served):
    post = lambda path, body: requests.post(f"{served}{path}", json=body, timeout=60).json()  # noqa: E731
    post("/v1/articles", {**ARTICLE, "id": "afp", "source": "afp", "text": SYNDICATED})
    post("/v1/articles", {**ARTICLE, "id": "rtr", "source": "reuters", "text": "MOSCOW (Reuters) - " + SYNDICATED,
                          "published_at": "2016-03-16T08:00:00Z"})  # fmt: skip
    claim = "Russia will keep operating the Hmeimim air base."
    check = post("/v1/checks", {"claim": claim})
    assert check["verdict"] == "support" and check["outlets"]["sources"]["support"] == ["afp"]  # one, the first

    review = requests.get(f"{served}/v1/checks/{check['id']}/claimreview", timeout=60).json()
    assert all(review.get(k) for k in ("claimReviewed", "reviewRating", "url", "author", "itemReviewed"))
    assert {"ratingValue", "bestRating", "worstRating", "alternateName"} <= set(review["reviewRating"])

    before = post("/v1/checks", {"claim": claim, "as_of": "2016-03-01T00:00:00Z"})
    assert before["evidence"] == [] and before["verdict"] == "neutral"  # nothing was published yet

    closing = "Russia will close the Hmeimim air base, the defence ministry said on Thursday."
    post("/v1/articles", {**ARTICLE, "id": "tass", "source": "tass", "text": closing})
    replay = post(f"/v1/checks/{check['id']}/replay", {})
    assert [c["text"] for c in replay["changes"]["citations_added"]] == [closing]
    assert not replay["saved"]
