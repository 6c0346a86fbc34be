"""Request bodies must be valid Unicode text: JSON escapes of lone UTF-16 surrogates (``"\\ud800"``)
parse as JSON but cannot be stored, hashed or tokenised, so they get a 400 like invalid UTF-8."""

from __future__ import annotations

import json
import re

from flask import Flask, Response, request

from service.errors import problem

_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def _has_lone_surrogate(value) -> bool:
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return True
        return False
    if isinstance(value, dict):
        return any(_has_lone_surrogate(k) or _has_lone_surrogate(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_lone_surrogate(v) for v in value)
    return False


def init_body_checks(app: Flask) -> None:
    @app.before_request
    def reject_lone_surrogates() -> Response | None:
        if not request.is_json:
            return None
        raw = request.get_data(cache=True)
        if not _SURROGATE_ESCAPE.search(raw):  # the usual case: no \\uD800-\\uDFFF escape at all
            return None
        try:
            parsed = json.loads(raw)
        except ValueError:
            return None  # the JSON parser's own 400 follows
        if _has_lone_surrogate(parsed):
            return problem(400, "The body contains a lone UTF-16 surrogate escape; send valid Unicode text.")
        return None
