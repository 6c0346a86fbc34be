"""Giving freed memory back to the operating system after a large load.

Loading the models and reading an index's vectors allocate and free many temporary buffers (protobuf
messages, rows fetched from SQLite). glibc's allocator keeps freed memory for reuse, so a worker's
resident memory stays at its peak; ``malloc_trim`` hands the free pages back. Elsewhere than glibc
(macOS, musl) nothing is done.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from functools import lru_cache


@lru_cache(maxsize=1)
def _malloc_trim():
    name = ctypes.util.find_library("c")
    try:
        return ctypes.CDLL(name).malloc_trim if name else None
    except (OSError, AttributeError):
        return None


def give_back() -> None:
    """Return the allocator's free memory to the system (glibc ``malloc_trim(0)``); a no-op elsewhere."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
