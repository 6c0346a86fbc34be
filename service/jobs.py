"""/v1/jobs: asynchronous claim checks for batch runs of up to 10,000 claims."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import url_for
from flask.views import MethodView
from flask_smorest import Api, Blueprint, abort

from factcheck.jobs import Job
from factcheck.pipeline.drafts import draft_sentences
from service import audit
from service.context import services
from service.docs import BODY_ROUTE, READ_ROUTE, problems
from service.drafts import draft_filters
from service.errors import NotFoundError
from service.schemas import JobInSchema, JobQuerySchema, JobSchema, to_filters

blp = Blueprint("jobs", __name__, url_prefix="/v1/jobs", description="Asynchronous batch checks")


@dataclass(frozen=True)
class JobPage:
    """A job with results ``offset``..``offset + limit`` (what JobSchema dumps)."""

    job: Job
    results: list[dict[str, Any]]
    next_offset: int | None

    @property
    def progress(self) -> Job:  # JobProgressSchema reads done and total
        return self.job

    @property
    def callback(self) -> Job:  # JobCallbackSchema reads the callback_* fields
        return self.job


def page(job: Job, offset: int = 0, limit: int = 100) -> JobPage:
    results = services().require_jobs().results(job.id, offset, limit)
    following = offset + len(results)
    return JobPage(job, results, following if following < job.total else None)


def _job(job_id: str) -> Job:
    job = services().require_jobs().get(job_id)
    if job is None:
        raise NotFoundError(f"no job with id {job_id!r}")
    return job


@blp.route("")
class Jobs(MethodView):
    @blp.arguments(JobInSchema)
    @blp.response(202, JobSchema, headers={"Location": {"description": "The job's URL", "schema": {"type": "string"}}})
    @problems(blp, *BODY_ROUTE)
    def post(self, data):
        """Queue up to 10,000 claims; background workers check them in order."""
        queue = services().require_jobs()
        refused = data["callback_url"] and services().outbound.url_problem(data["callback_url"])
        if refused:
            abort(422, errors={"callback_url": [refused]})
        filters = to_filters(data["filters"])
        claims, layout = data.get("claims"), None
        if "draft" in data:
            filters = draft_filters(data["draft"], filters)
            claims, layout = _draft_items(data["draft"]["text"])
        job = queue.create(claims, data["top_k"], filters.to_dict(), data["callback_url"], data["store"], layout)
        audit.record("job.create", [(job.id, "created")])
        return page(job, 0, 0), 202, {"Location": url_for("jobs.JobById", job_id=job.id)}


def document_choice(api: Api) -> None:
    """Say in the spec what JobInSchema's validator enforces: claims or a draft, not both."""
    api.spec.components.schemas["JobIn"]["oneOf"] = [{"required": ["claims"]}, {"required": ["draft"]}]


def _draft_items(text: str) -> tuple[list[str], dict[str, Any]]:
    """A draft's check-worthy sentences, as the job's claims, and its sentences with the item each became."""
    claims: list[str] = []
    layout = []
    for s in draft_sentences(text):
        item = len(claims) if s.checkworthy else None
        claims += [s.text] if s.checkworthy else []
        layout.append(
            {
                "start": s.start,
                "end": s.end,
                "text": s.text,
                "checkworthy": s.checkworthy,
                "reason": s.reason,
                "item": item,
            }
        )
    return claims, {"sentences": layout}


@blp.route("/<string:job_id>")
class JobById(MethodView):
    @blp.arguments(JobQuerySchema, location="query")
    @blp.response(200, JobSchema)
    @problems(blp, *READ_ROUTE, missing="job")
    def get(self, query, job_id):
        """Status, progress and a page of results (in claim order)."""
        return page(_job(job_id), query["offset"], query["limit"])

    @blp.response(200, JobSchema)
    @problems(blp, *READ_ROUTE, missing="job")
    def delete(self, job_id):
        """Cancel a job: claims not yet checked are not checked."""
        cancelled = services().require_jobs().cancel(job_id)
        audit.record("job.cancel", [(job_id, cancelled.status if cancelled else "not_found")])
        if cancelled is None:
            raise NotFoundError(f"no job with id {job_id!r}")
        return page(cancelled, 0, 0)
