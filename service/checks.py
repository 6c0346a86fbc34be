"""/v1/checks: verify claims against the indexed articles."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from service.context import services
from service.docs import BODY_ROUTE, problems
from service.observability import VERDICTS
from service.schemas import CheckBatchInSchema, CheckBatchResultSchema, CheckInSchema, CheckResultSchema, to_filters

blp = Blueprint("checks", __name__, url_prefix="/v1/checks", description="Check claims")


@blp.route("")
class Checks(MethodView):
    @blp.arguments(CheckInSchema)
    @blp.response(200, CheckResultSchema)
    @problems(blp, *BODY_ROUTE)
    def post(self, data):
        """Check one claim: verdict, confidence and the sentences that decide it."""
        result = services().require_checker().check(data["claim"], data["top_k"], to_filters(data["filters"]))
        VERDICTS.labels(result.verdict.verdict).inc()
        return result


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
        return {"results": results}
