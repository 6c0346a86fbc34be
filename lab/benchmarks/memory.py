"""Resident memory of a process, from /proc (Linux), for the benchmarks that report it."""

from __future__ import annotations

from pathlib import Path


def resident_mib(pid: int | str = "self") -> float:
    """The resident memory (VmRSS) of process ``pid`` in MiB, to a tenth."""
    status = Path(f"/proc/{pid}/status").read_text()
    kib = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:"))
    return round(kib / 1024, 1)
