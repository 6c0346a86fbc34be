"""The Flask and OpenAPI constants of the app (the service's own settings are factcheck.settings)."""

from __future__ import annotations

from typing import Any, ClassVar


class FlaskConfig:
    """What Flask and flask-smorest read from ``app.config``."""

    API_TITLE = "factcheck"
    API_VERSION = "1.0.0"
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = "/"
    OPENAPI_JSON_PATH = "openapi.json"
    OPENAPI_SWAGGER_UI_PATH = "/docs"
    OPENAPI_SWAGGER_UI_URL = "/docs/assets/"
    JSON_SORT_KEYS = False
    API_SPEC_OPTIONS: ClassVar[dict[str, Any]] = {
        "info": {"description": "Check claims against indexed news articles; every verdict cites its sentences."},
        "components": {
            "securitySchemes": {
                "ApiKeyHeader": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
                "BearerAuth": {"type": "http", "scheme": "bearer"},
            }
        },
        "security": [{"ApiKeyHeader": []}, {"BearerAuth": []}],
    }
