"""The application factory: config, the API with its blueprints, error handlers, domain services."""

from __future__ import annotations

import http
from typing import Any

from flask import Flask
from flask_smorest import Api
from flask_smorest.utils import prepare_response

from factcheck.compose import Services, build_services, webhook_sender
from factcheck.settings import Settings
from service import articles, audit, checks, drafts, health, jobs, rechecks, review
from service.body import init_body_checks
from service.config import FlaskConfig
from service.errors import PROBLEM_MIMETYPE, register_error_handlers
from service.limits import init_limiter
from service.observability import init_observability
from service.schemas import CheckResultSchema, ProblemSchema
from service.security import init_auth


class ProblemApi(Api):
    """flask-smorest Api whose documented and real errors are application/problem+json."""

    ERROR_SCHEMA = ProblemSchema

    def _register_responses(self):
        """As flask-smorest's, with every error response documented as application/problem+json."""
        for status in http.HTTPStatus:
            response: dict[str, Any] = {"description": status.phrase}
            if not (100 <= status < 200) and status not in (204, 304):
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, PROBLEM_MIMETYPE)
            self.spec.components.response(status.name, response, lazy=True)
        default: dict[str, Any] = {"description": "Error (RFC 9457 problem)", "schema": self.ERROR_SCHEMA}
        prepare_response(default, self.spec, PROBLEM_MIMETYPE)
        self.spec.components.response("DEFAULT_ERROR", default, lazy=True)

    def _register_error_handlers(self):
        register_error_handlers(self._app)


def create_app(settings: Settings | None = None, services: Services | None = None) -> Flask:
    """Build the app.

    Args:
        settings: the service's settings (default: read from the environment).
        services: ready-built services (default: built from ``settings`` by the composition root).
    """
    settings = settings or Settings.from_env()
    app = Flask(__name__)
    app.config.from_object(FlaskConfig)
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body_bytes
    init_observability(app)
    init_auth(app, settings.api_keys, settings.api_keys_file)
    init_limiter(app, settings.rate_limit, settings.rate_limit_storage)
    init_body_checks(app)
    api = ProblemApi(app)
    articles.register_converters(app, api)
    for module in (articles, checks, drafts, jobs, audit, health):
        api.register_blueprint(module.blp)
    jobs.document_choice(api)
    app.register_blueprint(health.assets)
    app.register_blueprint(review.page)
    app.extensions["factcheck_api"] = api
    app.extensions["factcheck_settings"] = settings
    app.extensions["factcheck"] = services = services or build_services(settings)
    if settings.job_runner:
        events = webhook_sender(settings, services.outbound)
        urls = [u.strip() for u in settings.events_url.split(",") if u.strip()]
        services.start_runner(
            settings,
            CheckResultSchema().dump,
            lambda results, top_k, filters, keys: checks.keep(services, results, top_k, filters, keys),
            lambda owner: rechecks.recheck_once(services, owner, events, urls, settings.job_lease_seconds),
        )
    return app
