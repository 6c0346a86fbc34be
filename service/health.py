"""Liveness, readiness, the committed OpenAPI contract and offline Swagger UI assets."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint as FlaskBlueprint
from flask import Response, current_app, send_from_directory
from flask.views import MethodView
from flask_smorest import Blueprint

from service.context import services
from service.errors import PROBLEM_MIMETYPE, problem
from service.observability import metrics_response
from service.schemas import HealthSchema, ProblemSchema, ReadySchema

blp = Blueprint("health", __name__, description="Health and API description")


@blp.route("/healthz")
class Health(MethodView):
    @blp.doc(security=[])
    @blp.response(200, HealthSchema)
    def get(self):
        """Liveness: the process answers."""
        return {"status": "ok"}


@blp.route("/readyz")
class Ready(MethodView):
    @blp.doc(security=[])
    @blp.response(200, ReadySchema)
    @blp.alt_response(503, schema=ProblemSchema, content_type=PROBLEM_MIMETYPE, description="Model or store not ready")
    def get(self):
        """Readiness: models loaded and the store reachable."""
        state = services()
        if state.checker is None:
            return problem(503, f"models not loaded: {state.load_error}")
        state.store.ping()
        return {"status": "ready", "model": state.checker.model_info, "index": state.store.stats()}


@blp.route("/openapi.yaml")
class OpenAPIYaml(MethodView):
    @blp.doc(security=[], responses={"200": {"description": "This document", "content": {"application/yaml": {}}}})
    def get(self):
        """The OpenAPI document (the committed openapi.yaml, generated from the code)."""
        from service.openapi import spec_yaml

        return Response(spec_yaml(current_app), mimetype="application/yaml")


@blp.route("/metrics")
class Metrics(MethodView):
    @blp.doc(
        security=[],
        responses={
            "200": {"description": "Prometheus text format", "content": {"text/plain": {"schema": {"type": "string"}}}}
        },
    )
    def get(self):
        """Prometheus metrics (requests, latency, verdicts), summed over all workers."""
        return metrics_response()


def swagger_assets_dir() -> Path:
    import swagger_ui_bundle

    return Path(swagger_ui_bundle.swagger_ui_path)


# Swagger UI's files: a plain Flask blueprint, so they stay out of the API contract.
assets = FlaskBlueprint("assets", __name__)


@assets.route("/docs/assets/<path:filename>")
def swagger_assets(filename: str):
    return send_from_directory(swagger_assets_dir(), filename)
