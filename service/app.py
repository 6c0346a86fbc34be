"""The application factory: config, the API with its blueprints, error handlers, domain services."""

from __future__ import annotations

import http

from flask import Flask
from flask_smorest import Api
from flask_smorest.utils import prepare_response

from service import articles, checks, health, jobs
from service.body import init_body_checks
from service.config import Config
from service.errors import PROBLEM_MIMETYPE, register_error_handlers
from service.limits import init_limiter
from service.observability import init_observability
from service.schemas import ProblemSchema
from service.security import init_auth
from service.services import Services, build_services


class ProblemApi(Api):
    """flask-smorest Api whose documented and real errors are application/problem+json."""

    ERROR_SCHEMA = ProblemSchema

    def _register_responses(self):
        """As flask-smorest's, with every error response documented as application/problem+json."""
        for status in http.HTTPStatus:
            response = {"description": status.phrase}
            if not (100 <= status < 200) and status not in (204, 304):
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, PROBLEM_MIMETYPE)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "Error (RFC 9457 problem)", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, PROBLEM_MIMETYPE)
        self.spec.components.response("DEFAULT_ERROR", response, lazy=True)

    def _register_error_handlers(self):
        register_error_handlers(self._app)


def create_app(config: type | dict | None = None, services: Services | None = None) -> Flask:
    """Build the app.

    Args:
        config: a Config subclass or a dict of overrides of ``Config``.
        services: ready-built domain services (default: built from the config).
    """
    app = Flask(__name__)
    app.config.from_object(Config)
    if isinstance(config, dict):
        app.config.update(config)
    elif config is not None:
        app.config.from_object(config)
    init_observability(app)
    init_auth(app)
    init_limiter(app)
    init_body_checks(app)
    api = ProblemApi(app)
    articles.register_converters(app, api)
    for module in (articles, checks, jobs, health):
        api.register_blueprint(module.blp)
    app.register_blueprint(health.assets)
    app.extensions["factcheck_api"] = api
    app.extensions["factcheck"] = services = services or build_services(app.config)
    if app.config["JOB_RUNNER"]:
        services.start_runner(app.config)
    return app
