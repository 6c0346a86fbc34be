"""Checks a newsroom can audit, through the real server (gunicorn, two workers, a SQLite file): a
stored check, a correction that flips it (history, event), replay, ClaimReview, outlets."""

from __future__ import annotations

import http.server
import threading
import time
from typing import ClassVar

import pytest
import requests
from standardwebhooks import Webhook

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


class _Events(http.server.BaseHTTPRequestHandler):
    received: ClassVar[list[tuple[dict, bytes]]] = []

    def do_POST(self):
        self.received.append((dict(self.headers), self.rfile.read(int(self.headers["Content-Length"]))))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def served(tmp_path):
    events = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Events)
    threading.Thread(target=events.serve_forever, daemon=True).start()
    env = {
        "FACTCHECK_OUTBOUND_ALLOW": "127.0.0.1",
        "FACTCHECK_WEBHOOK_SECRET": SECRET,
        "FACTCHECK_EVENTS_URL": f"http://127.0.0.1:{events.server_port}/events",
        "FACTCHECK_PUBLISHER_NAME": "Example Wire",
        "FACTCHECK_PUBLISHER_URL": "https://wire.example",
        "FACTCHECK_RATE_LIMIT": "",
    }
    server = Server(f"sqlite:///{tmp_path / 'audit.db'}", tmp_path / "server.log", env=env).wait_ready()
    yield server.base
    server.terminate()
    events.shutdown()
    events.server_close()


def _until(predicate, timeout: float = 90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError("timed out")


def test_a_correction_flows_through_to_the_stored_check(served):
    assert requests.post(f"{served}/v1/articles", json=ARTICLE, timeout=60).status_code == 201
    check = requests.post(f"{served}/v1/checks", json={"claim": CLAIM}, timeout=60).json()
    assert check["verdict"] == "support" and check["outlets"]["sources"]["support"] == ["example-wire"]
    stored = requests.get(f"{served}/v1/checks/{check['id']}", timeout=60).json()
    assert stored["result"] == check and stored["history"] == [] and not stored["stale"]
    review = requests.get(f"{served}/v1/checks/{check['id']}/claimreview", timeout=60)
    assert review.headers["Content-Type"].startswith("application/ld+json")
    assert review.json()["reviewRating"]["alternateName"] in ("True", "Mostly true")

    assert requests.post(f"{served}/v1/articles", json=CORRECTION, timeout=60).json()["status"] == "updated"
    after = _until(lambda: (b := requests.get(f"{served}/v1/checks/{check['id']}", timeout=60).json())["history"] and b)
    assert after["verdict"] == "contradict" and after["history"][0]["why"]["change"] == "updated"
    headers, body = _until(lambda: _Events.received and _Events.received[-1])
    event = Webhook(SECRET).verify(body, headers)
    assert (event["id"], event["previous"]["verdict"], event["verdict"]) == (check["id"], "support", "contradict")

    replay = requests.post(f"{served}/v1/checks/{check['id']}/replay", timeout=60).json()
    assert replay["changes"]["verdict"] is None and not replay["saved"]  # already re-checked
    versions = requests.get(f"{served}/v1/articles/tartus/versions", timeout=60).json()["versions"]
    assert [v["n"] for v in versions] == [1, 2]
    first = requests.get(f"{served}/v1/articles/tartus/versions/1", timeout=60).json()
    assert first["content_hash"] == check["evidence"][0]["article_version"]  # the old citation resolves
