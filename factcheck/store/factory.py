"""Pick a store backend from a URL: ``sqlite:///relative.db``, ``sqlite:////abs/path.db``,
``postgresql://user:password@host:5432/db`` (the ``postgres`` extra)."""

from __future__ import annotations

from factcheck.store.base import Store, StoreError
from factcheck.store.graph import GRAPH_ROWS


def open_store(url: str, vector_graph_rows: int = GRAPH_ROWS) -> Store:
    """Open the store named by ``url`` (SQLite: a vector graph from ``vector_graph_rows`` sentences on).

    Raises:
        StoreError: for a scheme no backend handles.
    """
    if url.startswith("sqlite:///"):
        from factcheck.store.sqlite import SQLiteStore

        return SQLiteStore(url[len("sqlite:///") :] or ":memory:", graph_rows=vector_graph_rows)
    if url.startswith(("postgresql://", "postgres://")):
        from factcheck.store.postgres import PostgresStore

        return PostgresStore(url)
    raise StoreError(f"unsupported store URL {url!r}: expected sqlite:///PATH or postgresql://...")
