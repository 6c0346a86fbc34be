"""The SQLite store's vector graph (factcheck/store/graph.py): what dense search finds through it, how it
follows writes, and how a saved graph is reused, on real SQLite files and real faiss graphs."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from factcheck.records import Article, Filters, Sentence
from factcheck.store.sqlite import SQLiteStore

DIM = 384
POOL = 50


def _unit(rows: np.ndarray) -> np.ndarray:
    return (rows / np.linalg.norm(rows, axis=-1, keepdims=True)).astype(np.float32)


def _corpus(seed: int, articles: int = 300, per_article: int = 10) -> np.ndarray:
    """Vectors in topics, as sentence embeddings are: 30 topic centres plus noise."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(30, DIM))
    return _unit(centres[rng.integers(0, 30, articles * per_article)] + rng.normal(size=(articles * per_article, DIM)))


def _fill(store: SQLiteStore, vectors: np.ndarray, prefix: str = "a", per_article: int = 10) -> None:
    for n in range(0, len(vectors), per_article):
        block = vectors[n : n + per_article]
        sentences = [Sentence(i, i * 10, i * 10 + 9, f"sentence {n + i}") for i in range(len(block))]
        store.upsert(
            Article(
                id=f"{prefix}{n // per_article}",
                title="",
                text=" ".join(s.text for s in sentences),
                content_hash=f"{prefix}{n}",
            ),
            sentences,
            block,
        )


def _queries(vectors: np.ndarray, count: int = 40, seed: int = 7) -> np.ndarray:
    rng = np.random.default_rng(seed)
    noise = rng.normal(size=(count, DIM)) / np.sqrt(DIM)  # norm about 1: a claim near, not on, a sentence
    return _unit(vectors[rng.choice(len(vectors), count, replace=False)] + noise)


@pytest.fixture
def indexed(tmp_path):
    path = tmp_path / "graph.db"
    vectors = _corpus(1)
    _fill(SQLiteStore(path, graph_rows=0), vectors)
    return path, vectors


def test_dense_search_through_the_graph_finds_what_a_scan_finds(indexed):
    path, vectors = indexed
    scan, graph = SQLiteStore(path, graph_rows=0), SQLiteStore(path, graph_rows=1, graph_in_background=False)
    queries = _queries(vectors)
    found = graph.dense_search_many(queries, Filters(), POOL)
    assert graph.graph.ready and not scan.graph.ready
    expected = scan.dense_search_many(queries, Filters(), POOL)
    assert all(f[:10] == e[:10] for f, e in zip(found, expected, strict=True))
    recall = np.mean([len({i for i, _ in f} & {i for i, _ in e}) / POOL for f, e in zip(found, expected, strict=True)])
    assert recall >= 0.97, recall


def test_a_claim_gets_the_same_sentences_alone_and_in_a_batch_through_the_graph(indexed):
    path, vectors = indexed
    store = SQLiteStore(path, graph_rows=1, graph_in_background=False)
    queries = _queries(vectors)
    assert store.dense_search_many(queries, Filters(), POOL) == [
        store.dense_search(q, Filters(), POOL) for q in queries
    ]


def test_the_graph_follows_inserts_and_is_rebuilt_after_a_delete(indexed):
    path, vectors = indexed
    store = SQLiteStore(path, graph_rows=1, graph_in_background=False)
    query = _queries(vectors, count=1)[0]
    store.dense_search(query, Filters(), POOL)
    _fill(store, np.stack([query] * 3), prefix="new")  # three sentences equal to the query
    top = store.dense_search(query, Filters(), 3)
    new_ids = {
        r["id"]
        for r in store.connection().execute(
            "SELECT s.id FROM sentences s JOIN articles a ON a.pk = s.article_pk WHERE a.id = 'new0'"
        )
    }
    assert {i for i, _ in top} == new_ids and all(score == pytest.approx(1.0) for _, score in top)
    assert store.graph.ready  # the rows were added to the graph, not a rebuild
    assert store.delete("new0")
    after = store.dense_search(query, Filters(), POOL)
    assert not new_ids & {i for i, _ in after}
    assert store.graph.ready and after == SQLiteStore(path, graph_rows=0).dense_search(query, Filters(), POOL)


def test_a_saved_graph_is_loaded_with_the_rows_written_since_and_never_into_another_database(indexed, tmp_path):
    path, vectors = indexed
    first = SQLiteStore(path, graph_rows=1, graph_in_background=False)
    first.dense_search(vectors[0], Filters(), POOL)
    saved = first.graph.file
    assert saved.path.is_file() and saved.meta.is_file()
    _fill(first, _corpus(2, articles=20), prefix="later")  # written after the graph was saved
    ids = SQLiteStore(path, graph_rows=0)._vectors()[0]
    loaded = saved.load(ids)
    assert loaded is not None and loaded[1] == len(vectors) < len(ids)
    queries = _queries(vectors)
    restarted = SQLiteStore(path, graph_rows=1, graph_in_background=False)
    assert restarted.dense_search_many(queries, Filters(), POOL) == first.dense_search_many(queries, Filters(), POOL)
    assert restarted.graph._rows == len(ids)

    other = tmp_path / "other.db"
    _fill(SQLiteStore(other, graph_rows=0), vectors)  # the same rows, another database
    shutil.copy(saved.path, str(other) + ".graph")
    shutil.copy(saved.meta, str(other) + ".graph.json")
    stranger = SQLiteStore(other, graph_rows=1, graph_in_background=False)
    assert stranger.graph.file.load(SQLiteStore(other, graph_rows=0)._vectors()[0]) is None
    top = [found[:10] for found in stranger.dense_search_many(queries, Filters(), POOL)]  # through its own graph
    assert top == [found[:10] for found in SQLiteStore(other, graph_rows=0).dense_search_many(queries, Filters(), POOL)]
    assert stranger.graph.file.load(stranger._vectors()[0])[1] == len(vectors)


def test_an_unreadable_saved_graph_is_built_again(indexed):
    path, vectors = indexed
    first = SQLiteStore(path, graph_rows=1, graph_in_background=False)
    first.dense_search(vectors[0], Filters(), POOL)
    first.graph.file.path.write_bytes(b"not a graph")
    second = SQLiteStore(path, graph_rows=1, graph_in_background=False)
    queries = _queries(vectors)
    assert second.dense_search_many(queries, Filters(), POOL) == first.dense_search_many(queries, Filters(), POOL)
    assert second.graph.ready


def test_filtered_dense_search_scans_and_keeps_to_the_filter(indexed):
    path, vectors = indexed
    store = SQLiteStore(path, graph_rows=1, graph_in_background=False)
    store.upsert(
        Article(id="afp", title="", text="x", source="afp", content_hash="afp"), [Sentence(0, 0, 1, "x")], vectors[:1]
    )
    found = store.dense_search(vectors[0], Filters(sources=("afp",)), POOL)
    assert len(found) == 1 and found[0][1] == pytest.approx(1.0)


def test_searches_scan_while_the_graph_builds_in_the_background(indexed):
    path, vectors = indexed
    store = SQLiteStore(path, graph_rows=1)  # as the service runs it
    queries = _queries(vectors)
    while_building = store.dense_search_many(queries, Filters(), POOL)  # scans: the build has only started
    assert while_building == SQLiteStore(path, graph_rows=0).dense_search_many(queries, Filters(), POOL)
    assert store.graph.wait(timeout=120)
    through_graph = store.dense_search_many(queries, Filters(), POOL)
    assert [found[:10] for found in through_graph] == [found[:10] for found in while_building]


def test_a_graph_that_cannot_be_saved_or_locked_is_still_built_and_used(indexed):
    path, vectors = indexed
    queries = _queries(vectors)
    scan = [found[:10] for found in SQLiteStore(path, graph_rows=0).dense_search_many(queries, Filters(), POOL)]
    (path.parent / (path.name + ".graph")).mkdir()  # nothing can be written where the graph goes
    unsaved = SQLiteStore(path, graph_rows=1, graph_in_background=False)
    assert [found[:10] for found in unsaved.dense_search_many(queries, Filters(), POOL)] == scan
    assert unsaved.graph.ready and not unsaved.graph.file.meta.exists()
    (path.parent / (path.name + ".graph.lock")).unlink()
    (path.parent / (path.name + ".graph.lock")).mkdir()  # nor can the lock file be opened
    unlocked = SQLiteStore(path, graph_rows=1, graph_in_background=False)
    assert [found[:10] for found in unlocked.dense_search_many(queries, Filters(), POOL)] == scan
    assert unlocked.graph.ready


def test_row_positions_from_a_graph_built_after_a_reload_never_reach_an_older_snapshot(indexed):
    path, vectors = indexed
    store = SQLiteStore(path, graph_rows=1, graph_in_background=False)
    ids, _, _, epoch = store._vectors()
    assert store.graph.candidates(vectors[:1], 10, len(ids), epoch) is not None
    assert store.delete("a0")
    store._vectors()  # the deletion reloads the rows: a new graph, of a new epoch
    assert store.graph.ready and store.graph.candidates(vectors[:1], 10, len(ids), epoch) is None
