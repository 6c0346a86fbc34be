"""Documenting the problem responses an operation can really give, in one decorator."""

from __future__ import annotations

from flask_smorest import Blueprint

from service.errors import PROBLEM_MIMETYPE
from service.schemas import ProblemSchema

DESCRIPTIONS = {
    400: "Body is not valid JSON (or not UTF-8)",
    401: "Missing or invalid API key",
    403: "The API key lacks the scope this request needs (read, check, write or admin)",
    413: "Request body too large",
    429: "Rate limit exceeded; see Retry-After",
    503: "Models not loaded or store unavailable",
}
BODY_ROUTE = (400, 401, 403, 413, 429, 503)  # a protected operation with a JSON body
READ_ROUTE = (401, 403, 429, 503)


def problems(blp: Blueprint, *statuses: int, missing: str | None = None, bad_query: str | None = None):
    """Add an application/problem+json alt_response for each status (422 and default come from flask-smorest);
    ``missing`` names the resource of a path parameter, documented as the 404 "No such <missing>";
    ``bad_query`` describes the 400 of a GET whose query is refused."""
    described = {
        **DESCRIPTIONS,
        **({404: f"No such {missing}"} if missing else {}),
        **({400: bad_query} if bad_query else {}),
    }

    def decorate(view):
        for status in (*statuses, *((404,) if missing else ())):
            view = blp.alt_response(
                status, schema=ProblemSchema, content_type=PROBLEM_MIMETYPE, description=described[status]
            )(view)
        return view

    return decorate
