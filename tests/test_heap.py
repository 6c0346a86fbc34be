"""Freed memory goes back to the system after a large load (factcheck.heap)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from factcheck.heap import _malloc_trim, give_back


def _resident_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS line")


@pytest.mark.skipif(not sys.platform.startswith("linux") or _malloc_trim() is None, reason="glibc on Linux only")
def test_give_back_returns_the_free_pages_of_a_fragmented_heap():
    # 200 MB in 2,000-byte buffers (malloc, not Python's small-object pools); every 50th kept, so the
    # heap cannot shrink from its top as glibc does by itself
    buffers = [bytearray(2000) for _ in range(100_000)]
    for b in buffers:
        b[0] = 1  # touched: resident
    kept = buffers[::50]
    del buffers
    before = _resident_mib()
    give_back()
    after = _resident_mib()
    assert before - after > 100, (before, after)
    assert all(b[0] == 1 for b in kept)  # what is still in use is untouched


def test_give_back_is_harmless_to_call_again():
    give_back()
    give_back()
