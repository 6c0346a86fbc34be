"""Independent outlets per side (pipeline/outlets.py): syndicated copies count once, for the first."""

from __future__ import annotations

from factcheck.pipeline.outlets import first_outlet
from factcheck.records import SentenceHit

SENTENCE = "Russia will keep its naval facility in Tartus open, the Kremlin said."
ARTICLES = [
    {"id": "rtr", "title": "Tartus", "text": "MOSCOW (Reuters) - " + SENTENCE, "source": "reuters",
     "published_at": "2016-03-13T10:00:00Z"},
    {"id": "afp", "title": "Tartus", "text": SENTENCE, "source": "afp", "published_at": "2016-03-14T18:00:00Z"},
    {"id": "bbc", "title": "Bases", "text": "The Tartus naval facility will stay open, Moscow said.", "source": "bbc",
     "published_at": "2016-03-16T08:00:00Z"},
]  # fmt: skip


def test_the_first_publisher_of_a_syndicated_sentence_is_its_outlet():
    hit = SentenceHit(1, "rtr", "t", None, "reuters", "2016-03-15", 0, 0, 1, "x", copies=(("afp", "2016-03-14"),))
    assert first_outlet(hit) == "afp"
    assert (
        first_outlet(SentenceHit(1, "a", "t", None, "ap", None, 0, 0, 1, "x", copies=(("dpa", "2016-01-01"),))) == "dpa"
    )


def test_outlets_count_each_source_once_and_a_syndicated_copy_once(client):
    for article in ARTICLES:
        client.post("/v1/articles", json=article)
    body = client.post("/v1/checks", json={"claim": "Russia will keep the Tartus naval facility open."}).get_json()
    assert body["verdict"] == "support"
    cited = [e["article_id"] for e in body["evidence"]]
    assert len([a for a in cited if a in ("rtr", "afp")]) == 1  # the syndicated sentence is cited once
    # ... and counted once, for Reuters, which published it first (whichever copy is cited)
    assert body["outlets"] == {
        "support": 2,
        "contradict": 0,
        "sources": {"support": ["bbc", "reuters"], "contradict": []},
    }
