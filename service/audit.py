"""The audit log: every write (article upsert and delete; job create and cancel) leaves one JSON log
line and one row in the store's ``audit`` table, with the key's short hash, the action, the resource,
the outcome and the request id. ``GET /v1/audit`` (scope ``admin``) pages through it."""

from __future__ import annotations

import logging

from flask import g
from flask.views import MethodView
from flask_smorest import Blueprint

from factcheck.records import AuditEntry, timestamp
from service.context import services
from service.docs import READ_ROUTE, problems
from service.schemas import AuditListSchema, AuditQuerySchema

log = logging.getLogger("factcheck.audit")
blp = Blueprint("audit", __name__, url_prefix="/v1/audit", description="Who changed what (scope admin)")


def record(action: str, outcomes: list[tuple[str, str]]) -> None:
    """Log and store one audit entry per (resource, outcome) of a write."""
    at = timestamp()
    key, request_id = g.get("key_id", "anonymous"), g.get("request_id")
    entries = [AuditEntry(at, key, action, resource, outcome, request_id) for resource, outcome in outcomes]
    for e in entries:
        log.info("audit %s %s %s key=%s", e.action, e.resource, e.outcome, e.key_id)
    if entries:
        services().store.add_audit(entries)


@blp.route("")
class AuditLog(MethodView):
    @blp.arguments(AuditQuerySchema, location="query")
    @blp.response(200, AuditListSchema)
    @problems(blp, *READ_ROUTE)
    def get(self, query):
        """The audit log, oldest first, with cursor pagination."""
        entries, cursor = services().store.list_audit(query.get("cursor"), query["limit"])
        return {"entries": entries, "next_cursor": cursor}
