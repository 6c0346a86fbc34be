"""API keys: ``X-API-Key: KEY`` or ``Authorization: Bearer KEY``, compared in constant time.

Keys come from FACTCHECK_API_KEYS (comma-separated) and/or FACTCHECK_API_KEYS_FILE (one per line,
``#`` comments). With no keys configured, auth is off and a warning is logged at start. Keys are
never logged: requests are identified by ``key_id`` (a short hash) in logs and rate limits.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from pathlib import Path

from flask import Flask, Response, g, request

from service.errors import problem

log = logging.getLogger(__name__)
OPEN_ENDPOINTS = {
    "health.Health",
    "health.Ready",
    "health.OpenAPIYaml",
    "health.Metrics",
    "assets.swagger_assets",
    "api-docs.openapi_json",
    "api-docs.openapi_swagger_ui",
}


def key_id(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()[:12]


def load_keys(keys: str, keys_file: str) -> list[str]:
    found = [k.strip() for k in keys.split(",") if k.strip()]
    if keys_file:
        lines = Path(keys_file).read_text(encoding="utf-8").splitlines()
        found += [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]
    return found


def presented_key() -> str | None:
    header = request.headers.get("X-API-Key")
    if header:
        return header
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def _matches(candidate: str, keys: list[str]) -> bool:
    # compare against every key, always, so timing reveals neither a match nor its position
    hits = [hmac.compare_digest(candidate.encode(), key.encode()) for key in keys]
    return any(hits)


def init_auth(app: Flask, api_keys: str, api_keys_file: str) -> None:
    keys = load_keys(api_keys, api_keys_file)
    if not keys:
        log.warning("authentication is OFF: no API keys configured (set FACTCHECK_API_KEYS or FACTCHECK_API_KEYS_FILE)")

    @app.before_request
    def authenticate() -> Response | None:
        candidate = presented_key()
        g.key_id = key_id(candidate) if candidate else "anonymous"
        if not keys or request.endpoint in OPEN_ENDPOINTS:
            return None
        if candidate is None or not _matches(candidate, keys):
            return problem(
                401,
                "a valid API key is required (X-API-Key header or Authorization: Bearer)",
                headers={"WWW-Authenticate": 'Bearer realm="factcheck"'},
            )
        return None
