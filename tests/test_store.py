"""The store contract, written once against the Store interface (SQLite today; new backends join
the ``store`` fixture's params)."""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import replace

import numpy as np
import pytest

from factcheck.records import Article, Filters, Sentence
from factcheck.store import open_store, postings
from factcheck.store import sqlite as sqlite_store
from factcheck.store.base import StoreError
from factcheck.store.sqlite import SQLiteStore


@pytest.fixture(params=["sqlite", "sqlite-graph", "postgresql"])
def store(request, tmp_path):
    if request.param == "sqlite":
        return open_store(f"sqlite:///{tmp_path / 'store.db'}")
    if request.param == "sqlite-graph":  # dense search through the vector graph from the first row on
        return SQLiteStore(tmp_path / "store.db", graph_rows=1, graph_in_background=False)
    return open_store(request.getfixturevalue("postgres_url"))


def _vec(*values: float) -> np.ndarray:
    v = np.zeros(384, dtype=np.float32)  # the shipped embedder's dimension
    v[: len(values)] = values
    return v / np.linalg.norm(v)


def _article(id_: str, text: str, source: str = "afp", published: str = "2016-03-15T00:00:00+00:00") -> Article:
    return Article(
        id=id_,
        title=f"title {id_}",
        text=text,
        source=source,
        published_at=published,
        content_hash=f"hash-{id_}-{len(text)}",
    )


def _put(store, id_, sentences, vectors, **kw):
    text = " ".join(sentences)
    spans, start = [], 0
    for i, s in enumerate(sentences):
        spans.append(Sentence(i, start, start + len(s), s))
        start += len(s) + 1
    store.upsert(_article(id_, text, **kw), spans, np.stack(vectors))


def test_upsert_get_round_trip(store):
    _put(store, "a1", ["Russian jets left Syria.", "Talks resumed."], [_vec(1), _vec(0, 1)])
    article, sentences = store.get("a1")
    assert article.title == "title a1" and article.source == "afp"
    assert [s.text for s in sentences] == ["Russian jets left Syria.", "Talks resumed."]
    assert all(article.text[s.start : s.end] == s.text for s in sentences)
    assert store.stats() == {"articles": 1, "sentences": 2}
    assert store.content_hash("a1") == article.content_hash
    assert store.get("missing") is None and store.content_hash("missing") is None


def test_articles_are_found_by_their_url(store):
    for id_, url in (("a1", "https://news.example/a"), ("a2", "https://news.example/a"), ("a3", None)):
        article = replace(_article(id_, "Russian jets left Syria."), url=url)
        store.upsert(article, [Sentence(0, 0, 24, "Russian jets left Syria.")], np.stack([_vec(1)]))
    assert sorted(store.article_ids_with_url("https://news.example/a")) == ["a1", "a2"]
    assert store.article_ids_with_url("https://news.example/b") == []


def test_upsert_replaces_every_sentence(store):
    _put(store, "a1", ["Old sentence about tanks.", "Another old one."], [_vec(1), _vec(1)])
    _put(store, "a1", ["New sentence about planes."], [_vec(0, 1)])
    assert store.stats() == {"articles": 1, "sentences": 1}
    assert store.lexical_search("tanks", Filters(), 10) == []
    assert len(store.lexical_search("planes", Filters(), 10)) == 1
    assert len(store.dense_search(_vec(1), Filters(), 10)) == 1


def test_delete_removes_from_both_indexes(store):
    _put(store, "a1", ["Planes left the base."], [_vec(1)])
    assert store.delete("a1") is True
    assert store.delete("a1") is False
    assert store.lexical_search("planes", Filters(), 10) == []
    assert store.dense_search(_vec(1), Filters(), 10) == []
    assert store.stats() == {"articles": 0, "sentences": 0}


def test_lexical_and_dense_ranking(store):
    _put(store, "a1", ["Planes left the Hmeimim base.", "The weather was fine."], [_vec(1), _vec(0, 0, 1)])
    lexical = store.lexical_search("hmeimim planes", Filters(), 10)
    hits = store.hits([sid for sid, _ in lexical])
    assert hits[lexical[0][0]].text == "Planes left the Hmeimim base."
    dense = store.dense_search(_vec(0, 0, 1), Filters(), 10)
    assert store.hits([dense[0][0]])[dense[0][0]].text == "The weather was fine."
    assert dense[0][1] == pytest.approx(1.0, abs=1e-5) and dense[0][1] > dense[1][1]


def test_filters_restrict_both_searches(store):
    _put(store, "a1", ["Planes left Syria."], [_vec(1)], source="afp", published="2016-03-14T00:00:00+00:00")
    _put(store, "a2", ["Planes left Syria today."], [_vec(1)], source="bbc", published="2016-03-16T00:00:00+00:00")
    cases = {
        Filters(sources=("bbc",)): {"a2"},
        Filters(exclude_article_ids=("a2",)): {"a1"},
        Filters(published_after="2016-03-15T00:00:00+00:00"): {"a2"},
        Filters(published_before="2016-03-15T00:00:00+00:00"): {"a1"},
        Filters(): {"a1", "a2"},
    }
    for filters, expected in cases.items():
        for found in (store.lexical_search("planes", filters, 10), store.dense_search(_vec(1), filters, 10)):
            assert {h.article_id for h in store.hits([sid for sid, _ in found]).values()} == expected, filters


def test_dense_search_of_many_claims_answers_as_one_claim_at_a_time(store):
    # a batch request scores its claims in one pass (SQLite: one matrix product); each claim must get
    # the sentences, order and scores a single check gets, ties (equal vectors) included
    rng = np.random.default_rng(7)
    for n in range(6):
        vectors = rng.normal(size=(20, 384)).astype(np.float32)
        vectors[1] = vectors[0]  # a syndicated copy: an exact tie
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        _put(
            store,
            f"a{n}",
            [f"Sentence {i} of article {n}." for i in range(20)],
            list(vectors),
            source="afp" if n % 2 else "bbc",
        )
    claims = rng.normal(size=(40, 384)).astype(np.float32)
    claims /= np.linalg.norm(claims, axis=1, keepdims=True)
    for filters in (Filters(), Filters(sources=("bbc",))):
        many = store.dense_search_many(claims, filters, 15)
        assert len(many) == 40 and all(len(found) == 15 for found in many)
        assert many == [store.dense_search(claim, filters, 15) for claim in claims]


def test_lexical_ranking_is_the_same_with_and_without_a_filter(store):
    # unfiltered queries read the postings alone, filtered ones with joins: the same ranking
    _put(store, "a1", ["Planes left the Hmeimim base.", "The planes flew home."], [_vec(1), _vec(1)])
    _put(store, "a2", ["Hmeimim is in Syria.", "Planes, planes and more planes."], [_vec(1), _vec(1)])
    unfiltered = store.lexical_search("hmeimim planes", Filters(), 10)
    filtered = store.lexical_search("hmeimim planes", Filters(exclude_article_ids=("none",)), 10)
    assert len(unfiltered) == 4
    assert [i for i, _ in unfiltered] == [i for i, _ in filtered]
    assert [s for _, s in unfiltered] == pytest.approx([s for _, s in filtered])


def test_list_pages_with_a_cursor_and_filters(store):
    for i in range(5):
        _put(store, f"a{i}", [f"Sentence {i}."], [_vec(1)], source="afp" if i % 2 else "bbc")
    page, cursor = store.list_articles(Filters(), None, 2)
    assert [a.id for a in page] == ["a0", "a1"] and cursor
    page, cursor = store.list_articles(Filters(), cursor, 2)
    assert [a.id for a in page] == ["a2", "a3"]
    page, cursor = store.list_articles(Filters(), cursor, 2)
    assert [a.id for a in page] == ["a4"] and cursor is None
    assert [a.id for a in store.list_articles(Filters(sources=("afp",)), None, 10)[0]] == ["a1", "a3"]


def test_a_failed_write_leaves_nothing_behind(store):
    sentences = [Sentence(0, 0, 5, "Hello"), Sentence(1, 6, 11, "world")]
    with pytest.raises(ValueError):
        store.upsert(_article("a1", "Hello world"), sentences, np.stack([_vec(1)]))  # one vector short
    assert store.get("a1") is None and store.stats() == {"articles": 0, "sentences": 0}


def test_a_change_by_another_connection_is_seen_by_dense_search(tmp_path):
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    reader, writer = open_store(url), open_store(url)
    assert reader.dense_search(_vec(1), Filters(), 5) == []
    _put(writer, "a1", ["Planes left."], [_vec(1)])
    assert len(reader.dense_search(_vec(1), Filters(), 5)) == 1


@pytest.mark.parametrize("read_rows", [sqlite_store.READ_ROWS, 2])
def test_dense_search_after_inserts_deletes_and_replacements_matches_a_fresh_reader(tmp_path, monkeypatch, read_rows):
    # the reader appends new sentences to its matrix and reloads after a deletion or a replacement:
    # after each kind of write it must answer as a process that reads the file for the first time
    # (read_rows 2: the vectors come in several fetches, as a large index's do)
    monkeypatch.setattr(sqlite_store, "READ_ROWS", read_rows)
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    reader, writer = open_store(url), open_store(url)
    rng = np.random.default_rng(3)

    def vectors(n):
        v = rng.normal(size=(n, 384)).astype(np.float32)
        return list(v / np.linalg.norm(v, axis=1, keepdims=True))

    claims = vectors(5)
    writes = [
        lambda: _put(writer, "a1", ["One.", "Two."], vectors(2)),
        lambda: _put(writer, "a2", ["Three.", "Four.", "Five."], vectors(3)),  # insert: appended
        lambda: _put(writer, "a1", ["One again."], vectors(1)),  # replacement: reloaded
        lambda: writer.delete("a2"),  # deletion: reloaded
        lambda: _put(writer, "a3", ["Six."], vectors(1)),
    ]
    for write in writes:
        write()
        fresh = open_store(url)
        for claim in claims:
            assert reader.dense_search(claim, Filters(), 10) == fresh.dense_search(claim, Filters(), 10)
    assert len(reader.dense_search(claims[0], Filters(), 10)) == 2  # "One again." and "Six."


def test_sqlite_file_is_in_wal_mode_and_intact(tmp_path):
    path = tmp_path / "wal.db"
    store = open_store(f"sqlite:///{path}")
    _put(store, "a1", ["Planes left."], [_vec(1)])
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_postgres_unreachable_is_a_store_error():
    pytest.importorskip("psycopg", reason="psycopg is in the test extra")
    with pytest.raises(StoreError, match="cannot connect to PostgreSQL"):
        open_store("postgresql://nobody@127.0.0.1:1/none?connect_timeout=2")


def test_unknown_store_url_is_refused():
    with pytest.raises(StoreError, match="unsupported store URL"):
        open_store("mysql://nope")


def test_migrations_record_versions_and_upgrade_an_old_schema(tmp_path, monkeypatch, caplog):
    monkeypatch.setenv("FACTCHECK_NER_MODEL", "")  # the news reading off: its articles stay pending, and it says so
    from click.testing import CliRunner

    from factcheck.store.migrations import migrate
    from factcheck.store.sqlite import MIGRATIONS
    from service.cli import main

    path = tmp_path / "old.db"
    with sqlite3.connect(path, isolation_level=None) as conn:  # a database at schema version 1, with data
        assert migrate(conn.execute, MIGRATIONS[:1]) == (0, 1)
        conn.execute(
            "INSERT INTO articles (id, title, text, language, metadata, content_hash)"
            " VALUES ('a1', 't', 'One. Two.', 'en', '{}', 'h')"
        )
        conn.executemany(
            'INSERT INTO sentences (article_pk, idx, start, "end", text, vector) VALUES (1,?,0,4,?,?)',
            [(0, "One.", _vec(1).tobytes()), (1, "Two.", _vec(1).tobytes())],
        )
    caplog.set_level(logging.INFO, logger="factcheck.store.postings")
    result = CliRunner().invoke(main, ["migrate", "--store", f"sqlite:///{path}"])
    assert result.exit_code == 0, result.output
    assert '"schema_version_before": 1, "schema_version": 14' in result.stdout
    assert '"entities_pending": 1' in result.stdout and "FACTCHECK_NER_MODEL" in result.stderr  # not silent
    assert "indexed the terms of 2 of 2 sentences" in caplog.text  # the postings' backfill says how far it got
    with sqlite3.connect(path) as conn:
        versions = [r[0] for r in conn.execute("SELECT version FROM schema_version ORDER BY version")]
        assert versions == list(range(1, 15))
        assert conn.execute("SELECT COUNT(*) FROM job_items").fetchone()[0] == 0
    upgraded = open_store(f"sqlite:///{path}")
    assert upgraded.schema_versions == (14, 14)
    assert upgraded.stats() == {"articles": 1, "sentences": 2}  # counts seeded from the existing rows
    assert [sid for sid, _ in upgraded.lexical_search("two", Filters(), 5)] == [2]  # postings built from the text


def test_an_old_postgresql_schema_gets_its_postings_from_the_stored_text(postgres_url, caplog):
    """PostgreSQL from before the postings (schema 13, tsvector search) is brought up to date when it is
    opened: the sentences' postings are built from their text, and the backfill says how far it got."""
    import psycopg

    from factcheck.store.migrations import migrate
    from factcheck.store.postgres import migrations

    with psycopg.connect(postgres_url, autocommit=True) as conn:
        assert migrate(conn.execute, migrations(384)[:13], placeholder="%s") == (0, 13)
        conn.execute(
            "INSERT INTO articles (id, title, text, language, metadata, content_hash)"
            " VALUES ('a1', 't', 'One tank. Two tanks.', 'en', '{}', 'h')"
        )
        conn.cursor().executemany(
            'INSERT INTO sentences (article_pk, idx, start, "end", text, embedding) VALUES (1, %s, 0, 4, %s, %s)',
            [(0, "One tank.", str(_vec(1).tolist())), (1, "Two tanks.", str(_vec(2).tolist()))],
        )
        conn.execute("UPDATE meta SET value = '1' WHERE key = 'articles'")
        conn.execute("UPDATE meta SET value = '2' WHERE key = 'sentences'")
    caplog.set_level(logging.INFO, logger="factcheck.store.postings")
    upgraded = open_store(postgres_url)
    assert upgraded.schema_versions == (13, 14)
    assert "indexed the terms of 2 of 2 sentences" in caplog.text
    assert {sid for sid, _ in upgraded.lexical_search("tanks", Filters(), 5)} == {1, 2}


def test_every_backend_opens_at_the_latest_schema(store):
    assert store.schema_versions[1] == 14 and store.migrate() == (14, 14)


def test_stats_match_the_rows_after_creates_replaces_and_deletes(store):
    _put(store, "a1", ["One.", "Two.", "Three."], [_vec(1)] * 3)
    _put(store, "a2", ["Four."], [_vec(1)])
    _put(store, "a1", ["One again."], [_vec(1)])  # replaced: 3 sentences become 1
    _put(store, "a3", ["Five.", "Six."], [_vec(1)] * 2)
    store.delete("a2")
    store.delete("missing")
    assert store.stats() == {"articles": 2, "sentences": 3}


def test_hits_carry_the_stored_vector(store):
    _put(store, "a1", ["Planes left.", "Talks resumed."], [_vec(1, 2), _vec(0, 0, 1)])
    hits = store.hits([sid for sid, _ in store.dense_search(_vec(1, 2), Filters(), 5)])
    vectors = {hit.text: hit.vector for hit in hits.values()}
    assert np.allclose(vectors["Planes left."], _vec(1, 2)) and np.allclose(vectors["Talks resumed."], _vec(0, 0, 1))


def _open_in_wal(path: str) -> str:
    from factcheck.store.sqlite import use_wal

    conn = sqlite3.connect(path, timeout=30, isolation_level=None)
    try:
        use_wal(conn)
        return conn.execute("PRAGMA journal_mode").fetchone()[0]
    except sqlite3.OperationalError as exc:
        return str(exc)
    finally:
        conn.close()


def test_processes_opening_one_new_database_at_once_all_get_wal_mode(tmp_path):
    """Two workers booting on a new SQLite file raced on the switch to WAL mode, which SQLite does not
    wait for ("database is locked": a worker of the 1000-claim restart test failed to boot). Eight
    processes open each of 20 new files at once; every one must end in WAL mode."""
    from multiprocessing import get_context

    paths = [str(tmp_path / f"new-{i}.db") for i in range(20)]
    with get_context("spawn").Pool(8) as pool:
        modes = [pool.map(_open_in_wal, [path] * 8) for path in paths]
    assert {mode for per_file in modes for mode in per_file} == {"wal"}


def test_sentence_entities_round_trip_and_reach_the_hits(store):
    from factcheck.records import Entity

    russia = (Entity(0, 7, "NORP", "Russian"), Entity(18, 23, "GPE", "Syria"))
    sentences = [Sentence(0, 0, 24, "Russian jets left Syria.", russia), Sentence(1, 25, 39, "Talks resumed.", (), 0)]
    store.upsert(
        replace(_article("a1", "Russian jets left Syria. Talks resumed."), tagged_by="tagger 1"),
        sentences,
        np.stack([_vec(1), _vec(0, 1)]),
    )
    article, stored = store.get("a1")
    assert article.tagged_by == "tagger 1" and article.entity_status == ("tagged", "tagger 1")
    assert stored[0].entities == russia and stored[1].entities == () and stored[1].antecedent == 0
    hit = next(iter(store.hits([store.dense_search(_vec(1), Filters(), 1)[0][0]]).values()))
    assert hit.entities == russia and hit.antecedent is None
    second = next(iter(store.hits([store.dense_search(_vec(0, 1), Filters(), 1)[0][0]]).values()))
    assert second.antecedent == "Russian jets left Syria."  # the text of the sentence it needs
    assert store.count_untagged() == 0


def test_untagged_articles_are_paged_tagged_once_and_never_after_a_change(store):
    from factcheck.records import Entity

    for n in range(3):
        _put(store, f"a{n}", [f"Sentence {n}."], [_vec(1)])
    german = replace(_article("de", "Ein Satz."), language="de")
    store.upsert(german, [Sentence(0, 0, 9, "Ein Satz.")], np.stack([_vec(1)]))
    assert store.get("de")[0].entity_status[0] == "skipped" and store.get("a0")[0].entity_status[0] == "pending"
    assert store.count_untagged() == 3  # English articles only
    first, cursor = store.untagged(None, 2)
    rest, end = store.untagged(cursor, 2)
    assert [a.id for a, _ in first] == ["a0", "a1"] and [a.id for a, _ in rest] == ["a2"] and end is None
    article, sentences = first[0]
    tagged = [replace(sentences[0], entities=(Entity(0, 8, "ORG", "Sentence"),))]
    assert store.set_entities(article, "tagger 1", tagged)
    assert store.get("a0")[1][0].entities == (Entity(0, 8, "ORG", "Sentence"),)
    _put(store, "a1", ["Changed."], [_vec(1)])  # the text changed after it was read for tagging
    assert not store.set_entities(first[1][0], "tagger 1", first[1][1])
    assert store.get("a1")[1][0].entities is None and store.count_untagged() == 2  # a1 and a2


def test_the_audit_log_appends_and_pages_in_order(store):
    from factcheck.records import AuditEntry

    store.add_audit(
        [AuditEntry(f"2026-12-04T10:00:0{n}Z", "k1", "article.upsert", f"a{n}", "created") for n in range(3)]
    )
    store.add_audit([AuditEntry("2026-12-04T10:00:09Z", "k2", "job.cancel", "j1", "cancelled", "req-1")])
    first, cursor = store.list_audit(None, 3)
    rest, end = store.list_audit(cursor, 3)
    assert [e.resource for e in first] == ["a0", "a1", "a2"] and end is None
    assert rest == [AuditEntry("2026-12-04T10:00:09Z", "k2", "job.cancel", "j1", "cancelled", "req-1", rest[0].id)]


def test_stored_checks_round_trip_and_list_by_verdict_citation_and_time(store):
    from factcheck.records import CheckQuery, StoredCheck

    def check(n: int, verdict: str, cites: tuple[tuple[str, str], ...]) -> StoredCheck:
        return StoredCheck(
            f"c{n}", f"2026-12-0{n}T10:00:00.000+00:00", f"claim {n}", verdict, 0.5 + n / 10,
            {"verdict": verdict}, {"model": {"nli": "m"}}, {"top_k": 8}, cites,
        )  # fmt: skip

    store.save_checks([check(1, "support", (("a1", "v1"), ("a2", "v7"))), check(2, "neutral", ())])
    store.save_checks([check(3, "support", (("a2", "v8"),))])
    assert store.get_check("c1") == check(1, "support", (("a1", "v1"), ("a2", "v7")))
    assert store.get_check("nope") is None
    ids = lambda page: [c.id for c in page[0]]  # noqa: E731
    assert ids(store.list_checks(CheckQuery(), None, 10)) == ["c1", "c2", "c3"]
    assert ids(store.list_checks(CheckQuery(verdict="support"), None, 10)) == ["c1", "c3"]
    assert ids(store.list_checks(CheckQuery(cites_article="a2"), None, 10)) == ["c1", "c3"]
    after = CheckQuery(created_after="2026-12-02T00:00:00.000+00:00", created_before="2026-12-02T23:00:00.000+00:00")
    assert ids(store.list_checks(after, None, 10)) == ["c2"]
    first, cursor = store.list_checks(CheckQuery(), None, 2)
    assert ids(store.list_checks(CheckQuery(), cursor, 2)) == ["c3"]


def test_an_article_keeps_its_versions_and_a_tombstone_until_it_is_purged(store):
    from factcheck.records import StoredCheck

    _put(store, "a1", ["First text."], [_vec(1)])
    _put(store, "a1", ["Corrected text."], [_vec(1)])
    assert [(v.n, v.article.text, v.deleted) for v in store.versions("a1")] == [
        (1, "First text.", False),
        (2, "Corrected text.", False),
    ]
    first, second = store.versions("a1")
    assert first.valid_to == second.valid_from and second.valid_to is None
    evidence = {"article_id": "a1", "text": "First text.", "title": "title a1", "url": "u", "label": "support"}
    store.save_checks(
        [StoredCheck("c1", "2026-12-04T00:00:00.000+00:00", "x", "support", 0.9, {"evidence": [evidence]}, {}, {},
                     (("a1", first.article.content_hash),))]
    )  # fmt: skip
    assert store.delete("a1") and store.get("a1") is None
    assert [v.deleted for v in store.versions("a1")] == [False, False, True]  # a tombstone
    assert store.delete("a1", purge=True) and store.versions("a1") == []
    kept = store.get_check("c1")
    assert kept.result["evidence"][0]["text"] == "First text." and kept.result["evidence"][0]["purged"]
    assert kept.result["evidence"][0]["title"] == "" and kept.result["evidence"][0]["url"] is None
    assert not store.delete("a1", purge=True)  # nothing left


def test_migrating_keeps_existing_articles_as_their_first_version(tmp_path):
    from factcheck.store.migrations import migrate
    from factcheck.store.sqlite import MIGRATIONS

    path = tmp_path / "v9.db"
    with sqlite3.connect(path, isolation_level=None) as conn:
        migrate(conn.execute, MIGRATIONS[:9])
        conn.execute(
            "INSERT INTO articles (id, title, text, language, metadata, content_hash)"
            " VALUES ('old', 't', 'Old text.', 'en', '{}', 'h')"
        )
    (version,) = open_store(f"sqlite:///{path}").versions("old")
    assert (version.n, version.article.text, version.valid_from, version.valid_to) == (1, "Old text.", None, None)


def test_stale_checks_are_leased_once_and_a_newer_change_wins(store):
    from dataclasses import replace as renew

    from factcheck.records import StoredCheck

    old = StoredCheck("c1", "2026-12-04T00:00:00.000+00:00", "x", "support", 0.9, {}, {}, {}, (("a1", "v1"),))
    store.save_checks([old, renew(old, id="c2", citations=(("a2", "v1"),))])
    assert store.mark_stale("a1", {"article_id": "a1", "change": "updated"}) == 1
    (leased,) = store.lease_stale("w1", 10, 60)
    assert leased.id == "c1" and leased.stale == {"article_id": "a1", "change": "updated"}
    assert store.lease_stale("w2", 10, 60) == []  # leased by w1
    assert not store.finish_recheck(renew(leased, verdict="neutral"), "w2")  # not w2's lease
    store.mark_stale("a1", {"article_id": "a1", "change": "deleted"})  # changed again meanwhile
    assert not store.finish_recheck(renew(leased, verdict="neutral"), "w1")  # the newer change must be re-checked
    (again,) = store.lease_stale("w1", 10, 60)
    assert store.finish_recheck(renew(again, verdict="neutral", history=({"why": again.stale},)), "w1")
    done = store.get_check("c1")
    assert done.verdict == "neutral" and done.stale is None and done.history == ({"why": again.stale},)
    assert store.lease_stale("w1", 10, 60) == []


def test_a_check_stored_again_under_its_id_is_left_as_it_was(store):
    from dataclasses import replace as renew

    from factcheck.records import CheckQuery, StoredCheck

    first = StoredCheck("job-item", "2026-12-04T00:00:00.000+00:00", "x", "support", 0.9, {}, {}, {}, (("a1", "v1"),))
    store.save_checks([first])
    store.save_checks([renew(first, verdict="neutral", citations=(("a2", "v2"),))])  # the item checked again
    assert store.get_check("job-item") == first
    assert [c.id for c in store.list_checks(CheckQuery(), None, 10)[0]] == ["job-item"]


def test_a_change_or_deletion_retires_the_sentences_it_replaces(store):
    _put(store, "a1", ["First text.", "Kept text."], [_vec(1), _vec(0, 1)], published="2016-03-10T00:00:00+00:00")
    first = store.versions("a1")[0].article.content_hash
    _put(store, "a1", ["Corrected text.", "Kept text."], [_vec(1), _vec(0, 1)], published="2016-03-10T00:00:00+00:00")
    retired = store.retired_at("2016-03-15T00:00:00+00:00")
    assert [(h.text, h.article_version, h.superseded) for h in retired] == [
        ("First text.", first, True),
        ("Kept text.", first, True),
    ]
    assert np.allclose(retired[0].vector, _vec(1))
    assert store.retired_at("2016-03-01T00:00:00+00:00") == []  # not published yet then
    store.delete("a1")
    assert [h.text for h in store.retired_at("2016-03-15T00:00:00+00:00")][2:] == ["Corrected text.", "Kept text."]
    store.delete("a1", purge=True)
    assert store.retired_at("2016-03-15T00:00:00+00:00") == []


def test_term_shares_count_the_sentences_a_term_is_in_as_the_lexical_search_stems_it(store):
    texts = [f"Officials said the convoy number {n} left." for n in range(20)] + [
        f"Withdrawals continued on day {n}." for n in range(10)
    ]
    for n, text in enumerate(texts):
        store.upsert(_article(f"a{n}", text), [Sentence(0, 0, len(text), text)], np.stack([_vec(1)]))
    shares = store.term_shares(["said", "withdrawal", "convoy", "unheard"])
    assert shares == {"said": 20 / 30, "withdrawal": 10 / 30, "convoy": 20 / 30, "unheard": 0.0}  # stemmed
    assert store.term_shares([]) == {}


def test_lexical_search_ranks_by_bm25_and_reads_a_commoner_term_in_impact_order(store):
    store._lexical.per_term = 3  # of a term in more sentences than this, only its best three are read
    short = [f"Troops left base {n}." for n in range(5)]
    places = ["region"] * 3 + ["capital"] * 2
    long = [f"Troops left base {n} after a long week of talks in the {places[n - 5]}." for n in range(5, 10)]
    for n, text in enumerate(short + long):
        store.upsert(_article(f"a{n}", text), [Sentence(0, 0, len(text), text)], np.stack([_vec(1)]))
    ranked = store.lexical_search("troops", Filters(), 10)
    assert len(ranked) == 3 and all(sid <= 5 for sid, _ in ranked)  # the shortest sentences weigh most
    assert ranked[0][1] > 0 and ranked == sorted(ranked, key=lambda r: -r[1])
    rare = store.lexical_search("troops capital", Filters(), 10)  # "capital" is in two: read whole
    assert {sid for sid, _ in rare[:2]} == {9, 10}
    filtered = store.lexical_search("troops", Filters(exclude_article_ids=("a0", "a1", "a2")), 10)
    assert len(filtered) == 7  # a filtered search reads every posting: none of the best three is left


def test_a_candidate_found_through_one_term_is_scored_with_all_its_terms(store):
    texts = [f"Troops left base {n}." for n in range(4)] + ["Troops left the capital after a week of long talks."]
    for n, text in enumerate(texts):
        store.upsert(_article(f"a{n}", text), [Sentence(0, 0, len(text), text)], np.stack([_vec(1)]))
    exact = dict(store.lexical_search("troops capital", Filters(exclude_article_ids=("none",)), 10))
    store._lexical.per_term = 1  # "troops" is read for its best sentence only, "capital" whole
    budgeted = store.lexical_search("troops capital", Filters(), 10)
    assert budgeted[0][0] == 5 and len(budgeted) == 2  # found through "capital", scored with "troops" too
    assert {sid: pytest.approx(score) for sid, score in budgeted} == {sid: exact[sid] for sid, _ in budgeted}


def test_postings_follow_their_sentences_through_replacement_and_deletion(store):
    _put(store, "a1", ["Old sentence about tanks.", "Another old one."], [_vec(1), _vec(1)])
    _put(store, "a1", ["New sentence about planes."], [_vec(0, 1)])
    _put(store, "a2", ["Planes and tanks."], [_vec(0, 1)])
    store.delete("a2")
    execute = store._conn().execute
    placeholder = "?" if isinstance(store, SQLiteStore) else "%s"
    posted = execute("SELECT term, impact, sentence_id FROM postings").fetchall()
    sentences = execute("SELECT id, text FROM sentences").fetchall()
    assert {tuple(r) for r in posted} == set(postings.rows((r[0], r[1]) for r in sentences))
    assert {r[0] for r in posted} == {"new", "sentenc", "about", "plane"}
    assert execute(f"SELECT COUNT(*) FROM postings WHERE term = {placeholder}", ("tank",)).fetchone()[0] == 0


def test_an_index_from_before_postings_gets_them_when_it_migrates(tmp_path):
    path = tmp_path / "store.db"
    store = SQLiteStore(path)
    _put(store, "a1", ["Russian jets left Syria.", "Talks resumed in Geneva."], [_vec(1), _vec(0, 1)])
    with sqlite3.connect(path) as conn:  # as the index was before: no postings table, schema version 13
        conn.execute("DROP TABLE postings")
        conn.execute("DELETE FROM schema_version WHERE version = 14")
    reopened = SQLiteStore(path)
    assert reopened.schema_versions == (13, 14)
    assert [sid for sid, _ in reopened.lexical_search("geneva talks", Filters(), 10)] == [2]
