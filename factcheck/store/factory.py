"""Pick a store backend from a URL: ``sqlite:///relative.db``, ``sqlite:////abs/path.db``,
``postgresql://user:password@host:5432/db`` (the ``postgres`` extra)."""

from __future__ import annotations

from factcheck.store.base import Store, StoreError
from factcheck.store.graph import GRAPH_ROWS
from factcheck.store.postings import POSTINGS_PER_TERM


def open_store(
    url: str, vector_graph_rows: int = GRAPH_ROWS, postings_per_term: int | None = POSTINGS_PER_TERM
) -> Store:
    """Open the store named by ``url`` (SQLite: a vector graph from ``vector_graph_rows`` sentences on;
    lexical search reads ``postings_per_term`` of each term's best postings, None: all of them).

    Raises:
        StoreError: for a scheme no backend handles.
    """
    if url.startswith("sqlite:///"):
        from factcheck.store.sqlite import SQLiteStore

        path = url[len("sqlite:///") :] or ":memory:"
        return SQLiteStore(path, graph_rows=vector_graph_rows, postings_per_term=postings_per_term)
    if url.startswith(("postgresql://", "postgres://")):
        from factcheck.store.postgres import PostgresStore

        return PostgresStore(url, postings_per_term=postings_per_term)
    raise StoreError(f"unsupported store URL {url!r}: expected sqlite:///PATH or postgresql://...")
