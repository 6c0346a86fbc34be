"""/v1/checks: verify claims against the indexed articles."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from factcheck.core.types import CheckResult, Filters
from service.docs import BODY_ROUTE, problems
from service.observability import VERDICTS
from service.schemas import CheckBatchInSchema, CheckBatchResultSchema, CheckInSchema, CheckResultSchema, utc_iso
from service.services import services

blp = Blueprint("checks", __name__, url_prefix="/v1/checks", description="Check claims")


def to_filters(data: dict) -> Filters:
    return Filters(sources=tuple(data.get("sources", ())), published_after=utc_iso(data.get("published_after")),
                   published_before=utc_iso(data.get("published_before")),
                   exclude_article_ids=tuple(data.get("exclude_article_ids", ())))


def present(result: CheckResult) -> dict:
    evidence = [{"article_id": e.hit.article_id, "title": e.hit.title, "url": e.hit.url, "source": e.hit.source,
                 "published_at": e.hit.published_at, "sentence_index": e.hit.index, "text": e.hit.text,
                 "start": e.hit.start, "end": e.hit.end, "label": e.label, "probabilities": e.probabilities,
                 "retrieval_score": e.hit.retrieval_score, "relevance": e.relevance, "overlap": e.overlap,
                 "mismatch": list(e.mismatch)} for e in result.verdict.evidence]
    return {"claim": result.claim, "verdict": result.verdict.verdict, "confidence": result.verdict.confidence,
            "conflict": result.verdict.conflict, "evidence": evidence, "model": result.model,
            "index": result.index, "timings_ms": result.timings_ms}


@blp.route("")
class Checks(MethodView):
    @blp.arguments(CheckInSchema)
    @blp.response(200, CheckResultSchema)
    @problems(blp, *BODY_ROUTE)
    def post(self, data):
        """Check one claim: verdict, confidence and the sentences that decide it."""
        result = services().require_checker().check(data["claim"], data["top_k"], to_filters(data["filters"]))
        VERDICTS.labels(result.verdict.verdict).inc()
        return present(result)


@blp.route("/batch")
class CheckBatch(MethodView):
    @blp.arguments(CheckBatchInSchema)
    @blp.response(200, CheckBatchResultSchema)
    @problems(blp, *BODY_ROUTE)
    def post(self, data):
        """Check up to 64 claims in one request; results in the order of the claims."""
        checker = services().require_checker()
        results = checker.check_many(data["claims"], data["top_k"], to_filters(data["filters"]))
        for result in results:
            VERDICTS.labels(result.verdict.verdict).inc()
        return {"results": [present(r) for r in results]}
