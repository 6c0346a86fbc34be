"""Settings, read once from the environment with typed defaults (CLI flags override them)."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
MODELS_DIR = PROJECT_ROOT / "models"


def _env(name: str, default: str) -> str:
    return os.environ.get(name, default)


class Config:
    """Every setting the service reads. Tests subclass it or pass overrides to ``create_app``."""

    STORE_URL = _env("FACTCHECK_STORE_URL", "sqlite:///var/factcheck.db")
    NLI_MODEL = _env("FACTCHECK_NLI_MODEL", str(MODELS_DIR / "nli"))
    EMBED_MODEL = _env("FACTCHECK_EMBED_MODEL", str(MODELS_DIR / "embed"))
    THREADS = int(_env("FACTCHECK_THREADS", "0")) or None  # None: the cores available to the process
    PREMISE_WITH_TITLE = _env("FACTCHECK_PREMISE_WITH_TITLE", "0") == "1"
    DEFAULT_TOP_K = int(_env("FACTCHECK_TOP_K", "8"))
    LOAD_MODELS = True  # False only for tools that need the routes, not the models (openapi)
    MAX_CONTENT_LENGTH = int(_env("FACTCHECK_MAX_BODY_BYTES", str(64 * 1024 * 1024)))

    API_TITLE = "factcheck"
    API_VERSION = "1.0.0"
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = "/"
    OPENAPI_JSON_PATH = "openapi.json"
    OPENAPI_SWAGGER_UI_PATH = "/docs"
    OPENAPI_SWAGGER_UI_URL = "/docs/assets/"
    JSON_SORT_KEYS = False
