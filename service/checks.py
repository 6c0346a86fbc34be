"""/v1/checks: verify claims against the indexed articles; stored checks and their provenance."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import marshmallow as ma
from flask import Response, json
from flask.views import MethodView
from flask_smorest import Blueprint, abort

from factcheck.compose import Services
from factcheck.records import CheckQuery, CheckResult, StoredCheck, timestamp
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
    ReplayQuerySchema,
    ReplaySchema,
    StoredCheckSchema,
    to_filters,
    utc_iso,
)

blp = Blueprint("checks", __name__, url_prefix="/v1/checks", description="Check claims; stored checks")
dump_result = CheckResultSchema().dump
JSON_LD = "application/ld+json"


def _checked(claims: Sequence[str], data: dict[str, Any]) -> list[CheckResult]:
    """Check ``claims`` with the request's settings; store them unless it says ``"store": false``."""
    filters = replace(to_filters(data["filters"]), as_of=utc_iso(data.get("as_of")))
    results = services().require_checker().check_many(claims, data["top_k"], filters)
    for result in results:
        VERDICTS.labels(result.verdict.verdict).inc()
    if data["store"]:
        keep(services(), results, data["top_k"], filters.to_dict())
    return results


JOB_CHECKS = uuid.UUID("6f1c3a52-5b0e-4f5e-9a57-0c7d2f1a9e11")  # names the checks of job items


def keep(
    of: Services,
    results: Sequence[CheckResult],
    top_k: int,
    filters: dict[str, Any],
    keys: Sequence[str] | None = None,
) -> None:
    """Store ``results`` as checks (giving each its id) with the checker's provenance; the API and the
    job runner both keep checks here. ``keys`` ("job:item") give a job item's check a fixed id, so an
    item checked twice (its lease ran out) is stored once."""
    provenance = of.require_checker().provenance
    request = {"top_k": top_k, "filters": filters}
    ids = [uuid.uuid5(JOB_CHECKS, k).hex for k in keys] if keys else [None] * len(results)
    of.store.save_checks([to_stored(r, provenance, request, i) for r, i in zip(results, ids, strict=True)])


def to_stored(
    result: CheckResult, model: dict[str, Any], request: dict[str, Any], check_id: str | None = None
) -> StoredCheck:
    """Give ``result`` an id (``check_id``, else a new one) and the record the store keeps of it."""
    result.id = check_id or uuid.uuid4().hex
    citations = tuple((e.hit.article_id, e.hit.article_version) for e in result.verdict.evidence)
    provenance = {
        "model": model,
        "index": result.index,
        "citations": [{"article_id": a, "article_version": v} for a, v in citations],
    }
    return StoredCheck(
        result.id,
        timestamp(),
        result.claim,
        str(result.verdict.verdict),
        result.verdict.confidence,
        dump_result(result),
        provenance,
        request,
        citations,
    )


def superseding(check: StoredCheck, result: CheckResult, model: dict[str, Any], why: Any) -> StoredCheck:
    """``result`` as the new state of the stored ``check`` (a replay saved, a re-check): its id and
    creation time stay, and its earlier result goes to its history with when and ``why``."""
    renewed = to_stored(result, model, check.request, check.id)
    earlier = {"result": check.result, "provenance": check.provenance, "at": timestamp(), "why": why}
    return replace(renewed, created_at=check.created_at, history=(*check.history, earlier), stale=check.stale)


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
            timestamp(query["created_after"]) if "created_after" in query else None,
            timestamp(query["created_before"]) if "created_before" in query else None,
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


@blp.route("/<check_id:check_id>/replay")
class CheckReplay(MethodView):
    @blp.arguments(ReplayQuerySchema, location="query")
    @blp.response(200, ReplaySchema)
    @problems(blp, *READ_ROUTE, missing="check")
    def post(self, query, check_id):
        """Run a stored check's claim again with its stored settings on today's index and models: the new
        result beside the stored one, and what changed. ``?save=true`` makes the new result the stored
        one (the old one goes to its history)."""
        check = _stored_check(check_id)
        data = _replayable(check)
        checker = services().require_checker()
        filters = replace(to_filters(data["filters"]), as_of=utc_iso(data.get("as_of")))
        result = checker.check_many([check.claim], data["top_k"], filters)[0]
        if query["save"]:
            services().store.update_check(superseding(check, result, checker.provenance, "replay"))
        replayed = dump_result(result)
        return {
            "stored": check.result,
            "replayed": replayed,
            "changes": changes(check.result, replayed),
            "saved": query["save"],
        }


def _replayable(check: StoredCheck) -> dict[str, Any]:
    """The stored request as a check request again; 422 naming the field when it no longer validates."""
    filters = {k: v for k, v in check.request.get("filters", {}).items() if v not in (None, [])}
    as_of = {"as_of": filters.pop("as_of")} if "as_of" in filters else {}
    try:
        return CheckInSchema().load(
            {"claim": check.claim, "top_k": check.request.get("top_k"), "filters": filters, **as_of}
        )
    except ma.ValidationError as exc:
        abort(422, errors=exc.messages, message="the stored check's settings no longer validate")
        raise  # abort raises; this keeps type checkers informed


def changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """What differs between two results of one claim: verdict, confidence, citations added and dropped."""

    def cited(result: dict[str, Any]) -> set[tuple[str, int, str]]:
        return {(e["article_id"], e["sentence_index"], e["text"]) for e in result["evidence"]}

    old, new = cited(before), cited(after)

    def listed(keys: set[tuple[str, int, str]]) -> list[dict[str, Any]]:
        return [{"article_id": a, "sentence_index": i, "text": t} for a, i, t in sorted(keys)]

    return {
        "verdict": None
        if before["verdict"] == after["verdict"]
        else {"from": before["verdict"], "to": after["verdict"]},
        "confidence": {"from": before["confidence"], "to": after["confidence"]},
        "citations_added": listed(new - old),
        "citations_dropped": listed(old - new),
    }


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
