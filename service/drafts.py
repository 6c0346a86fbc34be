"""/v1/drafts: check a whole draft before it is published."""

from __future__ import annotations

from dataclasses import replace

from flask.views import MethodView
from flask_smorest import Blueprint

from factcheck.pipeline.drafts import DraftCheck, check_draft
from factcheck.records import Filters
from service.context import services
from service.docs import BODY_ROUTE, problems
from service.observability import VERDICTS
from service.schemas import DraftInSchema, DraftResultSchema, to_filters, utc_iso

blp = Blueprint("drafts", __name__, url_prefix="/v1/drafts", description="Check a draft before it is published")


def draft_filters(draft: dict, filters: Filters) -> Filters:
    """``filters``, also leaving out the draft itself when it is indexed (under its id, or an article
    with its URL) and articles published after its date."""
    own = [draft["id"]] if draft.get("id") else []
    if draft["url"]:  # an article whose id was derived from its URL still has the URL stored
        own += services().store.article_ids_with_url(draft["url"])
    published = utc_iso(draft["published_at"])
    before = filters.published_before
    return replace(
        filters,
        exclude_article_ids=tuple(dict.fromkeys((*filters.exclude_article_ids, *own))),
        published_before=min(before, published) if before and published else before or published,
    )


@blp.route("/check")
class DraftChecks(MethodView):
    @blp.arguments(DraftInSchema)
    @blp.response(200, DraftResultSchema)
    @problems(blp, *BODY_ROUTE)
    def post(self, data):
        """Split a draft (up to 20,000 characters) into sentences, mark each check-worthy or not with a
        reason, and check the check-worthy ones against the archive (not stored)."""
        checked: DraftCheck = check_draft(
            services().require_checker(), data["text"], data["top_k"], draft_filters(data, to_filters(data["filters"]))
        )
        for sentence in checked.sentences:
            if sentence.result is not None:
                VERDICTS.labels(sentence.result.verdict.verdict).inc()
        return {"sentences": checked.sentences, "summary": checked.summary}
