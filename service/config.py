"""Settings, read once from the environment with typed defaults (CLI flags override them)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import ClassVar

PROJECT_ROOT = Path(__file__).resolve().parent.parent
MODELS_DIR = PROJECT_ROOT / "models"


def _env(name: str, default: str) -> str:
    return os.environ.get(name, default)


class Config:
    """Every setting the service reads. Tests subclass it or pass overrides to ``create_app``."""

    STORE_URL = _env("FACTCHECK_STORE_URL", "sqlite:///var/factcheck.db")
    NLI_MODEL = _env("FACTCHECK_NLI_MODEL", str(MODELS_DIR / "nli"))
    # the fast NLI tier in front of the accurate model (a directory with screen.json); empty: none
    FAST_NLI_MODEL = _env("FACTCHECK_FAST_NLI_MODEL", str(MODELS_DIR / "nli-fast"))
    EMBED_MODEL = _env("FACTCHECK_EMBED_MODEL", str(MODELS_DIR / "embed"))
    THREADS = int(_env("FACTCHECK_THREADS", "0")) or None  # None: the cores available to the process
    PREMISE_WITH_TITLE = _env("FACTCHECK_PREMISE_WITH_TITLE", "0") == "1"
    RELEVANCE_WITH_TITLE = _env("FACTCHECK_RELEVANCE_WITH_TITLE", "1") == "1"
    DEFAULT_TOP_K = int(_env("FACTCHECK_TOP_K", "8"))
    LOAD_MODELS = True  # False only for tools that need the routes, not the models (openapi)
    MAX_CONTENT_LENGTH = int(_env("FACTCHECK_MAX_BODY_BYTES", str(64 * 1024 * 1024)))

    API_KEYS = _env("FACTCHECK_API_KEYS", "")
    API_KEYS_FILE = _env("FACTCHECK_API_KEYS_FILE", "")
    RATE_LIMIT = _env("FACTCHECK_RATE_LIMIT", "1200/minute")
    RATE_LIMIT_STORAGE = _env("FACTCHECK_RATE_LIMIT_STORAGE", "memory://")
    JOB_RUNNER = _env("FACTCHECK_JOB_RUNNER", "1") == "1"  # a background job worker in each process
    JOB_LEASE_SECONDS = float(_env("FACTCHECK_JOB_LEASE_SECONDS", "60"))
    JOB_CALLBACK_ATTEMPTS = int(_env("FACTCHECK_JOB_CALLBACK_ATTEMPTS", "5"))
    JOB_CALLBACK_FIRST_DELAY = float(_env("FACTCHECK_JOB_CALLBACK_FIRST_DELAY", "1"))  # doubles each retry
    LOG_LEVEL = _env("FACTCHECK_LOG_LEVEL", "INFO")

    API_TITLE = "factcheck"
    API_VERSION = "1.0.0"
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = "/"
    OPENAPI_JSON_PATH = "openapi.json"
    OPENAPI_SWAGGER_UI_PATH = "/docs"
    OPENAPI_SWAGGER_UI_URL = "/docs/assets/"
    JSON_SORT_KEYS = False
    API_SPEC_OPTIONS: ClassVar[dict] = {
        "info": {"description": "Check claims against indexed news articles; every verdict cites its sentences."},
        "components": {"securitySchemes": {"ApiKeyHeader": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
                                           "BearerAuth": {"type": "http", "scheme": "bearer"}}},
        "security": [{"ApiKeyHeader": []}, {"BearerAuth": []}],
    }
