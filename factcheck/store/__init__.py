"""Storage backends behind one interface (see base.Store); ``open_store`` picks one from a URL."""

from factcheck.store.base import Store, StoreError
from factcheck.store.factory import open_store

__all__ = ["Store", "StoreError", "open_store"]
