"""Start `factcheck serve` (gunicorn, several workers) on loopback with the sample corpus, run locust
headless (30 users, 2 minutes by default) mixing checks and ingests, print and save the summary.

Usage: python -m lab.benchmarks.load [--users 30] [--minutes 2] [--workers 2] [--out lab/benchmarks/results/load.json]
Run it on an idle machine; it measures wall time.
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from factcheck.settings import PROJECT_ROOT
from service.files import SAMPLES_DIR
from tests.servers import Server

ROOT = PROJECT_ROOT


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=30)
    parser.add_argument("--minutes", type=float, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", default=str(ROOT / "lab/benchmarks/results/load.json"))
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="factcheck-load-"))
    store = f"sqlite:///{work / 'load.db'}"
    subprocess.run(
        [sys.executable, "-m", "service.cli", "ingest", str(SAMPLES_DIR), "--store", store],
        check=True,
        capture_output=True,
    )
    server = Server(store, work / "server.log", workers=args.workers, env={"FACTCHECK_RATE_LIMIT": ""}).wait_ready()
    try:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "locust",
                "-f",
                str(ROOT / "lab/benchmarks/locustfile.py"),
                "--headless",
                "--host",
                server.base,
                "-u",
                str(args.users),
                "-r",
                str(args.users),
                "--run-time",
                f"{int(args.minutes * 60)}s",
                "--csv",
                str(work / "load"),
                "--only-summary",
            ],
            check=False,
            timeout=args.minutes * 60 + 120,
        )
    finally:
        server.terminate()
    rows = list(csv.DictReader((work / "load_stats.csv").open()))
    summary = {
        row["Name"]: {
            "requests": int(row["Request Count"]),
            "failures": int(row["Failure Count"]),
            "rps": round(float(row["Requests/s"]), 2),
            "p50_ms": float(row["50%"]),
            "p95_ms": float(row["95%"]),
            "p99_ms": float(row["99%"]),
        }
        for row in rows
    }
    result = {"users": args.users, "minutes": args.minutes, "workers": args.workers, "stats": summary}
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
