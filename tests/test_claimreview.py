"""ClaimReview drafts of stored checks (service/claimreview.py)."""

from __future__ import annotations

import pytest

from factcheck.compose import assemble
from factcheck.settings import Settings
from factcheck.store.sqlite import SQLiteStore
from service.app import create_app
from service.claimreview import rating

# What Google's fact-check structured-data documentation requires of a ClaimReview, and recommends.
REQUIRED = ("claimReviewed", "reviewRating", "url")
RECOMMENDED = ("author", "itemReviewed")


@pytest.fixture
def client(tmp_path, embedder, nli):
    services = assemble(SQLiteStore(tmp_path / "cr.db"), embedder, nli)
    settings = Settings(job_runner=False, publisher_name="Example Wire", publisher_url="https://wire.example")
    return create_app(settings, services=services).test_client()


ARTICLE = {
    "id": "tartus",
    "title": "Russia to keep Tartus",
    "url": "https://news.example/tartus",
    "source": "example-wire",
    "published_at": "2016-03-15T12:00:00Z",
    "text": "Russia will keep operating its Tartus naval facility in Syria, the Kremlin said on Tuesday.",
}


def test_a_stored_check_becomes_a_claimreview_with_what_google_requires(client):
    client.post("/v1/articles", json=ARTICLE)
    check = client.post("/v1/checks", json={"claim": "Russia will shut down its naval facility at Tartus."}).get_json()
    assert check["verdict"] == "contradict"
    response = client.get(f"/v1/checks/{check['id']}/claimreview?url=https://wire.example/fact-checks/tartus")
    assert response.status_code == 200 and response.mimetype == "application/ld+json"
    review = response.get_json(force=True)
    assert all(review.get(k) for k in (*REQUIRED, *RECOMMENDED))
    assert review["@context"] == "https://schema.org" and review["@type"] == "ClaimReview"
    assert review["url"] == "https://wire.example/fact-checks/tartus"
    assert review["claimReviewed"] == check["claim"] and review["itemReviewed"]["@type"] == "Claim"
    assert review["reviewRating"]["alternateName"] in ("False", "Mostly false")
    assert review["author"] == {"@type": "Organization", "name": "Example Wire", "url": "https://wire.example"}
    assert review["citation"][0]["url"] == ARTICLE["url"] and review["datePublished"] == check_date(client, check)


def check_date(client, check) -> str:
    return client.get(f"/v1/checks/{check['id']}").get_json()["created_at"][:10]


@pytest.mark.parametrize(
    ("verdict", "confidence", "value", "name"),
    [
        ("contradict", 0.9, 1, "False"),
        ("contradict", 0.6, 2, "Mostly false"),
        ("neutral", 0.9, 3, "Unproven"),
        ("support", 0.6, 4, "Mostly true"),
        ("support", 0.8, 5, "True"),
    ],
)
def test_the_rating_maps_verdict_and_confidence(verdict, confidence, value, name):
    assert rating(verdict, confidence) == {
        "@type": "Rating",
        "ratingValue": value,
        "bestRating": 5,
        "worstRating": 1,
        "alternateName": name,
    }


def test_an_unknown_check_has_no_claimreview(client):
    missing = client.get("/v1/checks/nope/claimreview")
    assert missing.status_code == 404 and missing.content_type == "application/problem+json"
