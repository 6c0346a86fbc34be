"""Resident memory of a process, from /proc (Linux), for the benchmarks that report it."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def torch_installed() -> bool:
    """Whether torch is installed here (the lab's train extra). spaCy's thinc imports it whenever it
    can, so a server started from this environment holds about 210 MiB more per worker than the
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


def index_and_out() -> argparse.Namespace:
    """The command line of the memory benchmarks: an existing SQLite INDEX and an optional --out."""
    parser = argparse.ArgumentParser()
    parser.add_argument("index", type=Path)
    parser.add_argument("--out", type=Path, default=None, help="JSON result file (default: print only)")
    args = parser.parse_args()
    if not args.index.is_file():
        raise SystemExit(f"no SQLite index at {args.index}")
    return args


def report(result: dict, out: Path | None) -> None:
    """Print ``result`` as JSON, and write it to ``out`` when given."""
    print(json.dumps(result, indent=2))
    if out:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(result, indent=2) + "\n")
