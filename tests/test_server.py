"""The real server: `factcheck serve` (gunicorn, two workers) over HTTP, ingest then check."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import requests

from tests.servers import Server


@pytest.fixture
def server(tmp_path: Path):
    running = Server(f"sqlite:///{tmp_path / 'server.db'}", tmp_path / "server.log").wait_ready()
    yield running.base
    assert running.terminate() == 0


def test_ingest_then_check_over_http(server):
    article = {
        "id": "wire-1",
        "title": "Russia starts Syria pullout",
        "source": "wire",
        "text": "Russian jets left the Hmeimim air base in Syria on Tuesday. Talks resumed in Geneva.",
    }
    created = requests.post(f"{server}/v1/articles", json=article, timeout=60)
    assert created.status_code == 201 and created.json()["sentences"] == 2
    # several requests so both workers answer at least once; each must see the new article
    for _ in range(4):
        check = requests.post(
            f"{server}/v1/checks", json={"claim": "Russian jets left Hmeimim.", "top_k": 2}, timeout=60
        )
        assert check.status_code == 200
        body = check.json()
        assert body["evidence"][0]["article_id"] == "wire-1"
        assert body["evidence"][0]["text"] == "Russian jets left the Hmeimim air base in Syria on Tuesday."
    bad = requests.post(f"{server}/v1/checks", data="{", headers={"Content-Type": "application/json"}, timeout=10)
    assert bad.status_code == 400 and bad.headers["Content-Type"] == "application/problem+json"
    metrics = requests.get(f"{server}/metrics", timeout=10).text  # summed over both workers
    assert 'factcheck_http_requests_total{endpoint="/v1/checks",method="POST",status="200"} 4.0' in metrics
    assert check.headers["X-Request-ID"]
    spec = requests.get(f"{server}/openapi.yaml", timeout=10)
    assert spec.content == (Path(__file__).resolve().parent.parent / "openapi.yaml").read_bytes()


def test_sigterm_lets_in_flight_requests_finish(tmp_path: Path):
    import threading

    running = Server(f"sqlite:///{tmp_path / 'term.db'}", tmp_path / "term.log", workers=1).wait_ready()
    article = {"id": "t1", "text": " ".join(f"Sentence number {i} about jets leaving Hmeimim." for i in range(60))}
    assert requests.post(f"{running.base}/v1/articles", json=article, timeout=120).status_code == 201
    outcome: dict = {}

    def slow_batch() -> None:
        claims = [f"Jets left Hmeimim, claim {i}." for i in range(64)]
        outcome["response"] = requests.post(
            f"{running.base}/v1/checks/batch", json={"claims": claims, "top_k": 8}, timeout=300
        )

    client = threading.Thread(target=slow_batch)
    client.start()
    time.sleep(1.0)
    assert "response" not in outcome, "the batch (512 NLI pairs) must still be in flight when SIGTERM is sent"
    exit_code = running.terminate()
    client.join(timeout=300)
    assert outcome["response"].status_code == 200 and len(outcome["response"].json()["results"]) == 64
    assert exit_code == 0
