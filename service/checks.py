"""/v1/checks: verify claims against the indexed articles; stored checks and their provenance."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from flask import Response, json
from flask.views import MethodView
from flask_smorest import Blueprint, abort

from factcheck.compose import Services
from factcheck.records import CheckQuery, CheckResult, StoredCheck
from service.claimreview import claim_review
from service.context import service_settings, services
from service.docs import BODY_ROUTE, READ_ROUTE, problems
from service.errors import NotFoundError
from service.observability import VERDICTS
from service.schemas import (
    CheckBatchInSchema,
    CheckBatchResultSchema,
    CheckInSchema,
    CheckListQuerySchema,
    CheckListSchema,
    CheckResultSchema,
    ClaimReviewQuerySchema,
    ClaimReviewSchema,
    StoredCheckSchema,
    to_filters,
)

blp = Blueprint("checks", __name__, url_prefix="/v1/checks", description="Check claims; stored checks")
_dump = CheckResultSchema().dump
JSON_LD = "application/ld+json"


def _checked(claims: Sequence[str], data: dict[str, Any]) -> list[CheckResult]:
    """Check ``claims`` with the request's settings; store them unless it says ``"store": false``."""
    filters = to_filters(data["filters"])
    results = services().require_checker().check_many(claims, data["top_k"], filters)
    for result in results:
        VERDICTS.labels(result.verdict.verdict).inc()
    if data["store"]:
        keep(services(), results, data["top_k"], filters.to_dict())
    return results


def keep(of: Services, results: Sequence[CheckResult], top_k: int, filters: dict[str, Any]) -> None:
    """Store ``results`` as checks (giving each its id) with the checker's provenance; the API and the
    job runner both keep checks here."""
    provenance = of.require_checker().provenance
    request = {"top_k": top_k, "filters": filters}
    of.store.save_checks([_stored(r, provenance, request) for r in results])


def _stored(result: CheckResult, model: dict[str, Any], request: dict[str, Any]) -> StoredCheck:
    """Give ``result`` an id and the record the store keeps of it."""
    result.id = uuid.uuid4().hex
    citations = tuple((e.hit.article_id, e.hit.article_version) for e in result.verdict.evidence)
    provenance = {
        "model": model,
        "index": result.index,
        "citations": [{"article_id": a, "article_version": v} for a, v in citations],
    }
    return StoredCheck(
        result.id,
        _now(),
        result.claim,
        str(result.verdict.verdict),
        result.verdict.confidence,
        _dump(result),
        provenance,
        request,
        citations,
    )


def _now() -> str:
    return _iso(datetime.now(UTC))


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds")


@blp.route("")
class Checks(MethodView):
    @blp.arguments(CheckInSchema)
    @blp.response(200, CheckResultSchema)
    @problems(blp, *BODY_ROUTE)
    def post(self, data):
        """Check one claim: verdict, confidence and the sentences that decide it; stored unless
        ``store`` is false."""
        return _checked([data["claim"]], data)[0]

    @blp.arguments(CheckListQuerySchema, location="query")
    @blp.response(200, CheckListSchema)
    @problems(blp, 400, *READ_ROUTE, bad_query="Not a cursor from this API")
    def get(self, query):
        """Stored checks, oldest first, with cursor pagination and filters."""
        cursor = query.get("cursor")
        if cursor is not None and not (cursor.isdigit() and len(cursor) <= 18):
            abort(400, message="cursor: not a cursor from this API")
        filters = CheckQuery(
            query.get("verdict"),
            query.get("cites_article"),
            _iso(query["created_after"]) if "created_after" in query else None,
            _iso(query["created_before"]) if "created_before" in query else None,
        )
        checks, following = services().store.list_checks(filters, cursor, query["limit"])
        return {"checks": checks, "next_cursor": following}


@blp.route("/batch")
class CheckBatch(MethodView):
    @blp.arguments(CheckBatchInSchema)
    @blp.response(200, CheckBatchResultSchema)
    @problems(blp, *BODY_ROUTE)
    def post(self, data):
        """Check up to 64 claims in one request; results in the order of the claims."""
        return {"results": _checked(data["claims"], data)}


@blp.route("/<check_id:check_id>/claimreview")
class CheckClaimReview(MethodView):
    @blp.arguments(ClaimReviewQuerySchema, location="query")
    @blp.response(200, ClaimReviewSchema, content_type=JSON_LD)
    @problems(blp, *READ_ROUTE, missing="check")
    def get(self, query, check_id):
        """The stored check as a schema.org ClaimReview **draft** (JSON-LD) for the CMS to edit and publish:
        the service's verdict, not an editor's. Rating: contradict 1 (False) or 2 (Mostly false, confidence
        under 0.8), neutral 3 (Unproven), support 4 (Mostly true) or 5 (True, confidence 0.8 or more);
        author from FACTCHECK_PUBLISHER_NAME and FACTCHECK_PUBLISHER_URL."""
        check = _stored_check(check_id)
        settings = service_settings()
        review = claim_review(check, settings.publisher_name, settings.publisher_url, query.get("url"))
        return Response(json.dumps(review), mimetype=JSON_LD)


def _stored_check(check_id: str) -> StoredCheck:
    check = services().store.get_check(check_id)
    if check is None:
        raise NotFoundError(f"no check with id {check_id!r}")
    return check


@blp.route("/<check_id:check_id>")
class CheckById(MethodView):
    @blp.response(200, StoredCheckSchema)
    @problems(blp, *READ_ROUTE, missing="check")
    def get(self, check_id):
        """A stored check: its result, the request's settings and its provenance (models, rule and
        calibration hashes, code version, index size, and the article version of each citation)."""
        return _stored_check(check_id)
