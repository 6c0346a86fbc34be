"""Rate limiting per API key (per client address when auth is off) with flask-limiter.

FACTCHECK_RATE_LIMIT (e.g. "600/minute;30/second", empty = off) applies to every API route, health
and documentation excepted. Storage is per process by default ("memory://"): with N gunicorn
workers a client can get up to N times the limit; point FACTCHECK_RATE_LIMIT_STORAGE at a shared
store (e.g. redis://host:6379) for one exact limit.
"""

from __future__ import annotations

from flask import Flask, g, request
from flask_limiter import Limiter

from service.security import OPEN_ENDPOINTS


def _rate_key() -> str:
    key = getattr(g, "key_id", "anonymous")
    return key if key != "anonymous" else f"addr:{request.remote_addr}"


def init_limiter(app: Flask, limit: str, storage_uri: str) -> Limiter:
    limiter = Limiter(
        key_func=_rate_key,
        app=app,
        default_limits=[limit] if limit else [],
        storage_uri=storage_uri,
        headers_enabled=True,
        default_limits_exempt_when=lambda: request.endpoint in OPEN_ENDPOINTS,
        enabled=bool(limit),
    )
    return limiter
