"""API keys with scopes: ``X-API-Key: KEY`` or ``Authorization: Bearer KEY``, compared in constant time.

Keys come from FACTCHECK_API_KEYS (comma-separated) and/or FACTCHECK_API_KEYS_FILE (one per line,
``#`` comments). An entry is ``KEY`` (every scope) or ``KEY:scope+scope``. Scopes:
- ``read``: GET articles, jobs and checks;
- ``check``: POST checks and jobs, cancel a job;
- ``write``: POST and DELETE articles;
- ``admin``: everything, the audit log included.
A key without the scope a request needs gets 403 naming the scope. With no keys configured, auth is
off and a warning is logged at start. Keys are never logged: requests are identified by ``key_id`` (a
short hash of the key) in logs, rate limits and the audit log.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from pathlib import Path

from flask import Flask, Response, g, request
from flask_smorest import abort

from service.errors import problem

log = logging.getLogger(__name__)
OPEN_ENDPOINTS = {
    "health.Health",
    "health.Ready",
    "health.OpenAPIYaml",
    "health.Metrics",
    "assets.swagger_assets",
    "review.index",
    "review.asset",
    "api-docs.openapi_json",
    "api-docs.openapi_swagger_ui",
}


SCOPES = ("read", "check", "write", "admin")
# blueprint -> (scope of its GET requests, scope of its other requests)
NEEDED = {
    "articles": ("read", "write"),
    "checks": ("read", "check"),
    "drafts": ("check", "check"),
    "jobs": ("read", "check"),
    "audit": ("admin", "admin"),
}


class KeySpecError(ValueError):
    """A key entry that cannot be read."""


def key_id(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()[:12]


def parse_key(entry: str) -> tuple[str, frozenset[str]]:
    """``KEY`` (every scope) or ``KEY:scope+scope`` -> (key, scopes)."""
    if ":" not in entry:
        return entry.strip(), frozenset(SCOPES)
    key, _, scopes = entry.strip().rpartition(":")
    named = frozenset(s.strip() for s in scopes.split("+") if s.strip())
    unknown = named - set(SCOPES)
    if not key or unknown or not named:
        raise KeySpecError(f"API key {key_id(key)}: unknown scope(s) {sorted(unknown)}; scopes are {', '.join(SCOPES)}")
    return key, named


def load_keys(keys: str, keys_file: str) -> dict[str, frozenset[str]]:
    """Every configured key with its scopes."""
    entries = [k.strip() for k in keys.split(",") if k.strip()]
    if keys_file:
        lines = Path(keys_file).read_text(encoding="utf-8").splitlines()
        entries += [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]
    return dict(parse_key(entry) for entry in entries)


def needed_scope() -> str | None:
    """The scope the current request needs (None: an endpoint outside the scoped blueprints)."""
    blueprint = (request.endpoint or "").partition(".")[0]
    if blueprint not in NEEDED:
        return None
    safe, unsafe = NEEDED[blueprint]
    return safe if request.method in ("GET", "HEAD", "OPTIONS") else unsafe


def presented_key() -> str | None:
    header = request.headers.get("X-API-Key")
    if header:
        return header
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def _scopes_of(candidate: str, keys: dict[str, frozenset[str]]) -> frozenset[str] | None:
    """The scopes of the matching key, None when none matches. Compares against every key, always, so
    timing reveals neither a match nor its position."""
    found = None
    for key, scopes in keys.items():
        if hmac.compare_digest(candidate.encode(), key.encode()):
            found = scopes
    return found


def init_auth(app: Flask, api_keys: str, api_keys_file: str) -> None:
    keys = load_keys(api_keys, api_keys_file)
    if not keys:
        log.warning("authentication is OFF: no API keys configured (set FACTCHECK_API_KEYS or FACTCHECK_API_KEYS_FILE)")

    @app.before_request
    def authenticate() -> Response | None:
        candidate = presented_key()
        g.key_id = key_id(candidate) if candidate else "anonymous"
        g.scopes = frozenset(SCOPES)  # auth off: everything
        if not keys or request.endpoint in OPEN_ENDPOINTS:
            return None
        scopes = _scopes_of(candidate, keys) if candidate is not None else None
        if scopes is None:
            return problem(
                401,
                "a valid API key is required (X-API-Key header or Authorization: Bearer)",
                headers={"WWW-Authenticate": 'Bearer realm="factcheck"'},
            )
        g.scopes = scopes
        needed = needed_scope()
        if needed is not None and needed not in scopes and "admin" not in scopes:
            return problem(403, f"this API key lacks the scope {needed!r} that this request needs")
        return None


def require_scope(scope: str) -> None:
    """Abort with 403 unless the request's key has ``scope`` (or admin): for requests that need more than
    their blueprint's scope, such as a purge."""
    scopes = g.get("scopes", frozenset())
    if scope not in scopes and "admin" not in scopes:
        abort(403, message=f"this API key lacks the scope {scope!r} that this request needs")
