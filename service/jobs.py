"""/v1/jobs: asynchronous claim checks for batch runs of up to 10,000 claims."""

from __future__ import annotations

from dataclasses import asdict

from flask import url_for
from flask.views import MethodView
from flask_smorest import Blueprint

from factcheck.jobs import Job
from service.checks import to_filters
from service.docs import BODY_ROUTE, READ_ROUTE, problems
from service.errors import NotFoundError
from service.schemas import JobInSchema, JobQuerySchema, JobSchema
from service.services import services

blp = Blueprint("jobs", __name__, url_prefix="/v1/jobs", description="Asynchronous batch checks")


def present(job: Job, offset: int = 0, limit: int = 100) -> dict:
    results = services().require_jobs().results(job.id, offset, limit)
    following = offset + len(results)
    return {"id": job.id, "status": job.status, "progress": {"done": job.done, "total": job.total},
            "created_at": job.created_at, "finished_at": job.finished_at,
            "callback": {"url": job.callback_url, "status": job.callback_status, "attempts": job.callback_attempts},
            "results": results, "next_offset": following if following < job.total else None}


def _job(job_id: str) -> Job:
    job = services().require_jobs().get(job_id)
    if job is None:
        raise NotFoundError(f"no job with id {job_id!r}")
    return job


@blp.route("")
class Jobs(MethodView):
    @blp.arguments(JobInSchema)
    @blp.response(202, JobSchema, headers={"Location": {"description": "The job's URL",
                                                        "schema": {"type": "string"}}})
    @problems(blp, *BODY_ROUTE)
    def post(self, data):
        """Queue up to 10,000 claims; background workers check them in order."""
        queue = services().require_jobs()
        job = queue.create(data["claims"], data["top_k"], asdict(to_filters(data["filters"])), data["callback_url"])
        return present(job, 0, 0), 202, {"Location": url_for("jobs.JobById", job_id=job.id)}


@blp.route("/<string:job_id>")
class JobById(MethodView):
    @blp.arguments(JobQuerySchema, location="query")
    @blp.response(200, JobSchema)
    @problems(blp, 404, *READ_ROUTE)
    def get(self, query, job_id):
        """Status, progress and a page of results (in claim order)."""
        return present(_job(job_id), query["offset"], query["limit"])

    @blp.response(200, JobSchema)
    @problems(blp, 404, *READ_ROUTE)
    def delete(self, job_id):
        """Cancel a job: claims not yet checked are not checked."""
        _job(job_id)
        return present(services().require_jobs().cancel(job_id), 0, 0)
