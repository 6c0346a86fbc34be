"""Resident memory of a process, from /proc (Linux), for the benchmarks that report it."""

from __future__ import annotations

import sys
from pathlib import Path


def torch_installed() -> bool:
    """Whether torch is installed here (the lab's train extra). spaCy's thinc imports it whenever it
    can, so a server started from this environment holds about 180 MiB more per worker than the
    serving install, which has no torch: benchmarks say so beside the memory they report."""
    import importlib.util

    installed = importlib.util.find_spec("torch") is not None
    if installed:
        print(
            "note: torch is installed here; the workers' memory includes it (the serving install has none)",
            file=sys.stderr,
        )
    return installed


def resident_mib(pid: int | str = "self") -> float:
    """The resident memory (VmRSS) of process ``pid`` in MiB, to a tenth."""
    status = Path(f"/proc/{pid}/status").read_text()
    kib = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:"))
    return round(kib / 1024, 1)
