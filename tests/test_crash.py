"""Crash safety: kill -9 the server in the middle of a bulk ingest; every acknowledged article is
complete and retrievable after a restart, no partial article exists, and SQLite's integrity holds."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import requests

from factcheck.pipeline.sentences import split_sentences
from factcheck.store import postings
from tests.conftest import SAMPLES
from tests.servers import Server

ARTICLES = 1000
BATCH = 10


def _articles() -> list[dict]:
    sentences = [s.text for path in sorted(SAMPLES.glob("*.txt")) for s in split_sentences(path.read_text())]
    return [
        {
            "id": f"crash-{i}",
            "title": f"Article {i}",
            "text": " ".join(sentences[(i * 7 + j) % len(sentences)] for j in range(3 + i % 4)),
        }
        for i in range(ARTICLES)
    ]


def _ingest(base: str, articles: list[dict], acknowledged: dict[str, int], stop: threading.Event) -> None:
    for start in range(0, len(articles), BATCH):
        if stop.is_set():
            return
        try:
            response = requests.post(
                f"{base}/v1/articles/batch", json={"articles": articles[start : start + BATCH]}, timeout=60
            )
        except requests.RequestException:
            return  # the server died: nothing in flight was acknowledged
        if response.status_code == 200:
            for result in response.json()["results"]:
                acknowledged[result["id"]] = result["sentences"]


def test_kill_9_mid_ingest_loses_no_acknowledged_article(tmp_path: Path):
    db = tmp_path / "crash.db"
    articles = _articles()
    acknowledged: dict[str, int] = {}
    stop = threading.Event()
    server = Server(f"sqlite:///{db}", tmp_path / "server.log").wait_ready()
    writer = threading.Thread(target=_ingest, args=(server.base, articles, acknowledged, stop))
    writer.start()
    deadline = time.monotonic() + 600
    while len(acknowledged) < ARTICLES * 0.3 and writer.is_alive() and time.monotonic() < deadline:
        time.sleep(0.05)
    server.kill()
    stop.set()
    writer.join(timeout=120)
    assert 0 < len(acknowledged) < ARTICLES, "the kill must land mid-way"

    restarted = Server(f"sqlite:///{db}", tmp_path / "server.log").wait_ready()
    try:
        by_id = {a["id"]: a for a in articles}
        for article_id, sentence_count in acknowledged.items():
            body = requests.get(f"{restarted.base}/v1/articles/{article_id}", timeout=30).json()
            assert len(body["sentences"]) == sentence_count == len(split_sentences(by_id[article_id]["text"]))
        probe = next(iter(acknowledged))
        check = requests.post(
            f"{restarted.base}/v1/checks", timeout=60, json={"claim": by_id[probe]["text"].split(". ")[0], "top_k": 50}
        ).json()
        assert check["evidence"]
    finally:
        assert restarted.terminate() == 0

    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        rows = conn.execute(
            "SELECT a.id, a.text, COUNT(s.id), COALESCE(SUM(LENGTH(s.vector)), 0) FROM articles a"
            " LEFT JOIN sentences s ON s.article_pk = a.pk GROUP BY a.pk"
        ).fetchall()
        for article_id, text, sentences, vector_bytes in rows:  # acknowledged or not: never partial
            assert sentences == len(split_sentences(text)) and vector_bytes == sentences * 384 * 4, article_id
        posted = set(conn.execute("SELECT term, impact, sentence_id FROM postings"))
        assert posted == set(postings.rows(conn.execute("SELECT id, text FROM sentences")))  # no more, no fewer
        assert set(acknowledged) <= {r[0] for r in rows}
