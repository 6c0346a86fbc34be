"""Re-checks when a cited article changes: history, stale flag, check.updated events."""

from __future__ import annotations

from standardwebhooks import Webhook

from factcheck.compose import assemble
from factcheck.settings import Settings
from factcheck.store.sqlite import SQLiteStore
from service.app import create_app
from tests.receivers import eventually, receiving

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
ARTICLE = {
    "id": "tartus",
    "title": "Tartus",
    "text": "Russia will keep operating its Tartus naval facility in Syria, the Kremlin said on Tuesday.",
}
CORRECTED = {**ARTICLE, "text": "Russia will close its Tartus naval facility in Syria, the Kremlin said on Tuesday."}
CLAIM = "Russia will keep its naval facility at Tartus."


def test_a_corrected_article_rechecks_the_checks_citing_it_and_announces_the_change(tmp_path, embedder, nli):
    with receiving() as events:
        _corrected_and_announced(tmp_path, embedder, nli, events)


def _corrected_and_announced(tmp_path, embedder, nli, events) -> None:
    settings = Settings(
        outbound_allow="127.0.0.1",
        webhook_secret=SECRET,
        events_url=events.url("/events"),
    )
    services = assemble(SQLiteStore(tmp_path / "re.db"), embedder, nli, settings)
    app = create_app(settings, services=services)
    client = app.test_client()
    try:
        client.post("/v1/articles", json=ARTICLE)
        check = client.post("/v1/checks", json={"claim": CLAIM}).get_json()
        assert check["verdict"] == "support"
        client.post("/v1/articles", json=CORRECTED)
        after = eventually(lambda: (b := client.get(f"/v1/checks/{check['id']}").get_json())["history"] and b)
        assert after["verdict"] == "contradict" and after["stale"] is False
        (earlier,) = after["history"]
        assert earlier["result"]["verdict"] == "support" and earlier["why"]["article_id"] == "tartus"
        assert earlier["why"]["change"] == "updated"
        headers, body = eventually(lambda: events.received and events.received[-1])
        event = Webhook(SECRET).verify(body, headers)
        assert event["type"] == "check.updated" and event["id"] == check["id"]
        assert (event["previous"]["verdict"], event["verdict"]) == ("support", "contradict")
    finally:
        services.runner.stop()


def test_a_check_is_stale_until_its_recheck_runs(tmp_path, embedder, nli):
    services = assemble(SQLiteStore(tmp_path / "stale.db"), embedder, nli)
    client = create_app(Settings(job_runner=False), services=services).test_client()  # no runner: stays stale
    client.post("/v1/articles", json=ARTICLE)
    check = client.post("/v1/checks", json={"claim": CLAIM}).get_json()
    assert client.get(f"/v1/checks/{check['id']}").get_json()["stale"] is False
    assert client.delete("/v1/articles/tartus").status_code == 204
    stored = client.get(f"/v1/checks/{check['id']}").get_json()
    assert stored["stale"] is True and stored["stale_reason"]["change"] == "deleted"
