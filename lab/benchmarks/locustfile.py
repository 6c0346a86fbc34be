"""Load test (not a test in the suite): checks and ingests mixed, against a running server on loopback.

Run through lab/benchmarks/load.py, which starts gunicorn, runs locust headless for a bounded time and
writes the summary. Claims and articles come from the bundled sample corpus.
"""

from __future__ import annotations

import itertools
import random
from pathlib import Path

from locust import HttpUser, between, task

SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "articles"
SENTENCES = [
    line.strip()
    for path in sorted(SAMPLES.glob("*.txt"))
    for line in path.read_text().splitlines()
    if len(line.split()) > 6
]
COUNTER = itertools.count()


class Newsroom(HttpUser):
    wait_time = between(0.1, 0.5)

    @task(4)
    def check(self) -> None:
        claim = random.choice(SENTENCES)
        self.client.post("/v1/checks", json={"claim": claim, "top_k": 8}, name="POST /v1/checks")

    @task(1)
    def ingest(self) -> None:
        n = next(COUNTER)
        text = " ".join(random.sample(SENTENCES, 5))
        self.client.post(
            "/v1/articles",
            json={"id": f"load-{n}-{random.randrange(10**9)}", "title": f"Load {n}", "text": text, "source": "load"},
            name="POST /v1/articles",
        )
