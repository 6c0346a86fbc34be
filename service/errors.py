"""One error shape for every failure: RFC 9457 problem+json (``type``, ``title``, ``status``,
``detail`` and, for invalid input, ``errors`` keyed by field)."""

from __future__ import annotations

import logging
from http import HTTPStatus

from flask import Flask, Response, json
from werkzeug.exceptions import HTTPException

from factcheck.inference.runtime import ModelError
from factcheck.store.base import StoreError

PROBLEM_MIMETYPE = "application/problem+json"
log = logging.getLogger(__name__)


class NotFoundError(Exception):
    """A named resource does not exist."""


def problem(status: int, detail: str, errors: dict | None = None, headers: dict | None = None) -> Response:
    body = {"type": "about:blank", "title": HTTPStatus(status).phrase, "status": status, "detail": detail}
    if errors:
        body["errors"] = errors
    return Response(json.dumps(body), status=status, mimetype=PROBLEM_MIMETYPE, headers=headers)


def _field_errors(messages: dict) -> dict:
    """webargs nests messages under the location ("json", "query"): lift them to field names."""
    if set(messages) <= {"json", "query", "view_args", "form", "headers"} and len(messages) == 1:
        return next(iter(messages.values()))
    return messages


def handle_http_exception(error: HTTPException) -> Response:
    data = getattr(error, "data", None) or {}
    messages = data.get("errors") or data.get("messages")
    status = error.code or 500
    detail = data.get("message") or error.description or HTTPStatus(status).phrase
    errors = _field_errors(messages) if isinstance(messages, dict) else None
    if isinstance(errors, list):  # a message about the whole body, e.g. "Invalid JSON body."
        detail, errors = "; ".join(map(str, errors)), None
    elif errors and error.code == 422:
        detail = "The request has invalid fields; see errors."
    headers = dict(data.get("headers") or {})
    allowed = getattr(error, "valid_methods", None)
    if allowed:  # 405 must say what is allowed (RFC 9110)
        headers["Allow"] = ", ".join(allowed)
    return problem(status, detail, errors, headers)


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(NotFoundError, lambda e: problem(404, str(e)))
    app.register_error_handler(ModelError, lambda e: problem(503, f"model unavailable: {e}"))
    app.register_error_handler(StoreError, lambda e: problem(503, f"store unavailable: {e}"))

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> Response:
        log.exception("unhandled error")
        return problem(500, "Internal error; it has been logged.")
