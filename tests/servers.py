"""Starting the real service (`factcheck serve`, gunicorn) for tests that need HTTP and processes."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

READY_TIMEOUT_S = 120


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A `factcheck serve` process group on a free port; ``base`` is its URL."""

    def __init__(
        self,
        store_url: str,
        log_path: Path,
        workers: int = 2,
        port: int | None = None,
        env: dict[str, str] | None = None,
    ):
        self.port = port or free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        env = {**os.environ, "FACTCHECK_THREADS": "1", **(env or {})}
        command = [
            sys.executable,
            "-m",
            "service.cli",
            "serve",
            "--port",
            str(self.port),
            "--workers",
            str(workers),
            "--store",
            store_url,
        ]
        self.process = subprocess.Popen(
            command, env=env, stdout=log_path.open("a"), stderr=subprocess.STDOUT, start_new_session=True
        )

    def wait_ready(self) -> Server:
        deadline = time.monotonic() + READY_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("server exited:\n" + self.log_path.read_text())
            try:
                if requests.get(f"{self.base}/readyz", timeout=2).status_code == 200:
                    return self
            except (requests.ConnectionError, requests.Timeout):
                pass
            time.sleep(0.5)
        self.kill()
        raise RuntimeError("server not ready in time:\n" + self.log_path.read_text())

    def kill(self) -> None:
        """SIGKILL the whole process group (master and workers): a crash, not a shutdown."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, 9)
        self.process.wait(timeout=30)

    def terminate(self) -> int:
        """SIGTERM to the master: a graceful shutdown. Returns the exit code."""
        self.process.terminate()
        return self.process.wait(timeout=60)
