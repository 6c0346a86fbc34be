"""Replaying a stored check on today's index (POST /v1/checks/{id}/replay)."""

from __future__ import annotations

from dataclasses import replace

ARTICLE = {
    "id": "tartus",
    "title": "Tartus",
    "text": "Russia will keep operating its Tartus naval facility in Syria, the Kremlin said on Tuesday.",
}
CORRECTED = {**ARTICLE, "text": "Russia will close its Tartus naval facility in Syria, the Kremlin said on Tuesday."}
CLAIM = "Russia will keep its naval facility at Tartus."


def test_a_replay_shows_what_changed_and_saves_only_when_asked(client):
    client.post("/v1/articles", json=ARTICLE)
    stored = client.post("/v1/checks", json={"claim": CLAIM}).get_json()
    assert stored["verdict"] == "support"
    same = client.post(f"/v1/checks/{stored['id']}/replay").get_json()
    assert same["changes"]["verdict"] is None and same["changes"]["citations_added"] == [] and not same["saved"]
    client.post("/v1/articles", json=CORRECTED)
    replayed = client.post(f"/v1/checks/{stored['id']}/replay").get_json()
    assert replayed["changes"]["verdict"] == {"from": "support", "to": "contradict"}
    assert [c["text"] for c in replayed["changes"]["citations_added"]] == [CORRECTED["text"]]
    assert [c["text"] for c in replayed["changes"]["citations_dropped"]] == [ARTICLE["text"]]
    assert client.get(f"/v1/checks/{stored['id']}").get_json()["verdict"] == "support"  # not saved
    saved = client.post(f"/v1/checks/{stored['id']}/replay?save=true").get_json()
    assert saved["saved"] and saved["replayed"]["id"] == stored["id"]
    now = client.get(f"/v1/checks/{stored['id']}").get_json()
    assert now["verdict"] == "contradict" and now["result"] == saved["replayed"]
    assert [h["why"] for h in now["history"]] == ["replay"] and now["history"][0]["result"] == stored
    assert [c["id"] for c in client.get("/v1/checks?cites_article=tartus").get_json()["checks"]] == [stored["id"]]


def test_replay_of_a_missing_check_or_of_settings_that_no_longer_validate(client):
    assert client.post("/v1/checks/nope/replay").status_code == 404
    client.post("/v1/articles", json=ARTICLE)
    stored = client.post("/v1/checks", json={"claim": CLAIM}).get_json()
    store = client.application.extensions["factcheck"].store
    check = store.get_check(stored["id"])
    store.update_check(replace(check, request={**check.request, "top_k": 500}))  # a limit lowered since
    refused = client.post(f"/v1/checks/{stored['id']}/replay")
    assert refused.status_code == 422 and "top_k" in refused.get_json()["errors"]
