"""A loopback HTTP receiver for the tests of outbound requests (job callbacks, check events)."""

from __future__ import annotations

import http.server
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Receiver:
    """What a loopback receiver got: (headers, body) per POST; ``status`` is what it answers."""

    base: str = ""
    received: list[tuple[dict[str, str], bytes]] = field(default_factory=list)
    status: int = 204
    location: str = "http://127.0.0.1:9/elsewhere"  # sent with a 3xx

    def url(self, path: str = "/hook") -> str:
        return self.base + path


@contextmanager
def receiving() -> Iterator[Receiver]:
    """A ``Receiver`` on a free loopback port, serving until the block ends."""
    receiver = Receiver()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            receiver.received.append((dict(self.headers), body))
            self.send_response(receiver.status)
            if 300 <= receiver.status < 400:
                self.send_header("Location", receiver.location)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    receiver.base = f"http://127.0.0.1:{server.server_port}"
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()


def eventually(probe: Callable[[], Any], timeout: float = 90) -> Any:
    """The first truthy value of ``probe()``, polled until ``timeout`` seconds (background work)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = probe()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError("timed out waiting for background work")
