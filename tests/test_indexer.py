"""The Indexer on a real SQLite file with the shipped embedder: batched ingest keeps one-by-one semantics."""

from __future__ import annotations

from factcheck.inference.runtime import ALONE
from factcheck.pipeline.ingest import Indexer
from factcheck.records import Article, Filters
from factcheck.store.sqlite import SQLiteStore

FIRST = Article(id="a1", title="Pull-out", text="Russian jets left the Hmeimim air base on Tuesday. Talks resumed.")
EDITED = Article(id="a1", title="Pull-out", text=FIRST.text + " Officials confirmed it on Wednesday.")
OTHER = Article(id="", title="Port", text="The Tartus naval base will stay open.", url="https://example.org/port")


def test_a_batch_with_a_repeated_id_ends_with_its_last_version(tmp_path, embedder):
    store = SQLiteStore(tmp_path / "x.db")
    store.migrate()
    results = Indexer(store, embedder).upsert_many([FIRST, OTHER, FIRST, EDITED])
    assert [r.status for r in results] == ["created", "created", "unchanged", "updated"]
    assert [r.sentences for r in results] == [2, 1, 2, 3]
    assert results[1].id.startswith("url-")
    article, sentences = store.get("a1")
    assert article.text == EDITED.text and [s.text for s in sentences][-1] == "Officials confirmed it on Wednesday."
    assert store.stats() == {"articles": 2, "sentences": 4}


def test_batched_vectors_equal_one_by_one_vectors_and_the_check_paths(tmp_path, embedder):
    """Sentences are embedded alone (runtime.ALONE), as claims are: a sentence's stored vector does not
    depend on what was ingested with it, and is the vector its text gets as a claim."""
    batched, single = SQLiteStore(tmp_path / "b.db"), SQLiteStore(tmp_path / "s.db")
    for store in (batched, single):
        store.migrate()
    Indexer(batched, embedder).upsert_many([EDITED, OTHER])
    Indexer(single, embedder).upsert(EDITED)
    Indexer(single, embedder).upsert(OTHER)
    query = embedder.encode(["jets left the air base"], batch_size=ALONE)[0]
    scores_b = dict(batched.dense_search(query, Filters(), 4))
    scores_s = dict(single.dense_search(query, Filters(), 4))
    assert scores_b == scores_s and len(scores_b) == 4
    own = embedder.encode(["The Tartus naval base will stay open."], batch_size=ALONE)[0]
    best, score = batched.dense_search(own, Filters(), 1)[0]
    assert batched.hits([best])[best].text == "The Tartus naval base will stay open." and abs(score - 1.0) < 1e-5


def test_chunked_ingest_stores_every_article_and_reports_each_chunk(tmp_path, embedder):
    store = SQLiteStore(tmp_path / "chunked.db")
    reports = []
    results = Indexer(store, embedder).upsert_chunked(
        [FIRST, OTHER, EDITED], chunk=2, progress=lambda done, chunk: reports.append((done, len(chunk)))
    )
    assert reports == [(2, 2), (3, 1)]
    assert [r.status for r in results] == ["created", "created", "updated"]
    assert store.stats()["articles"] == 2
