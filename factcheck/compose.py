"""The composition root: the one place that builds the store, the models, the pipeline and the job
queue from ``Settings``. The API, the CLI, the tests and the lab all build their services here."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from factcheck.heap import give_back
from factcheck.inference.embed import Embedder
from factcheck.inference.language import EntityTagger
from factcheck.inference.nli import NLIModel
from factcheck.inference.runtime import ModelError, RuntimeSettings, limit_blas
from factcheck.jobs import JobQueue, JobRunner, job_queue_for, post_callback
from factcheck.net.outbound import OutboundClient
from factcheck.net.webhooks import WebhookSender
from factcheck.pipeline.checker import CheckSettings, FactChecker
from factcheck.pipeline.ingest import Indexer
from factcheck.pipeline.retrieve import RetrievalSettings
from factcheck.pipeline.screen import Screen
from factcheck.records import CheckResult
from factcheck.settings import Settings
from factcheck.store import Store, open_store

log = logging.getLogger(__name__)


@dataclass
class Services:
    """What one process serves with: the store always, the models when they loaded."""

    store: Store
    indexer: Indexer | None = None
    checker: FactChecker | None = None
    load_error: str | None = field(default=None)
    jobs: JobQueue | None = None
    runner: JobRunner | None = None
    outbound: OutboundClient = field(default_factory=OutboundClient)  # callbacks (and events) go through it

    def require_indexer(self) -> Indexer:
        if self.indexer is None:
            raise ModelError(self.load_error or "models not loaded")
        return self.indexer

    def require_checker(self) -> FactChecker:
        if self.checker is None:
            raise ModelError(self.load_error or "models not loaded")
        return self.checker

    def require_jobs(self) -> JobQueue:
        if self.jobs is None or self.checker is None:
            raise ModelError(self.load_error or "models not loaded")
        return self.jobs

    def start_runner(
        self,
        settings: Settings,
        serialize: Callable[[CheckResult], dict[str, Any]],
        keep: Callable[[list[CheckResult], int, dict, list[str]], None] | None = None,
        recheck: Callable[[str], bool] | None = None,
    ) -> None:
        """Start this process's job runner thread (one per gunicorn worker); results are stored as
        ``serialize`` gives them, and kept as stored checks by ``keep`` when their job asks; with no job
        waiting, ``recheck(owner)`` re-checks stored checks whose articles changed."""
        if self.jobs is None or self.checker is None or self.runner is not None:
            return
        if not settings.webhook_secret:
            log.warning("webhooks are UNSIGNED: set FACTCHECK_WEBHOOK_SECRET (whsec_ + base64) to sign them")
        sender = webhook_sender(settings, self.outbound)
        self.runner = JobRunner(
            self.jobs,
            self.checker,
            serialize,
            lease_seconds=settings.job_lease_seconds,
            callback=lambda job: post_callback(job, sender),
            keep=keep,
            recheck=recheck,
        )
        self.runner.start()


def webhook_sender(settings: Settings, client: OutboundClient) -> WebhookSender:
    """Signed webhooks (job callbacks, check events) through the guarded client; unsigned without a secret."""
    return WebhookSender(
        client,
        settings.webhook_secret,
        settings.job_callback_attempts,
        settings.job_callback_first_delay,
    )


def runtime_settings(settings: Settings) -> RuntimeSettings:
    return RuntimeSettings(threads=settings.threads, spin=settings.spin, int8_weights=settings.int8_weights)


def open_configured_store(settings: Settings) -> Store:
    return open_store(
        settings.store_url,
        vector_graph_rows=settings.vector_graph_rows,
        postings_per_term=settings.lexical_postings_per_term or None,
    )


def load_models(settings: Settings) -> tuple[Embedder, NLIModel, Screen | None, EntityTagger | None]:
    """The embedder, the NLI model, the screen and the entity tagger (each of the last two None when its
    setting is empty).

    Raises:
        ModelError: a model directory is missing or unusable.
    """
    runtime = runtime_settings(settings)
    limit_blas(settings.blas_threads)
    embedder = Embedder(settings.embed_model, runtime)
    nli = NLIModel(settings.nli_model, runtime)
    screen = Screen.load(settings.screen_model, runtime) if settings.screen_model else None
    tagger = EntityTagger(settings.ner_model) if settings.ner_model else None
    give_back()  # the models' loading buffers (docs/decisions/0114)
    return embedder, nli, screen, tagger


def build_services(settings: Settings, with_models: bool = True) -> Services:
    """Open the store and load the models; a model that fails to load leaves the service not ready
    (``load_error`` says why) instead of failing the process."""
    store = open_configured_store(settings)
    if not with_models:
        return Services(store, load_error="models not loaded", outbound=OutboundClient(settings.outbound_allow))
    try:
        embedder, nli, screen, tagger = load_models(settings)
    except ModelError as exc:
        log.error("models not loaded: %s", exc)
        return Services(store, load_error=str(exc), outbound=OutboundClient(settings.outbound_allow))
    return assemble(store, embedder, nli, settings, screen, tagger)


def assemble(
    store: Store,
    embedder: Embedder,
    nli: NLIModel,
    settings: Settings = Settings(),
    screen: Screen | None = None,
    tagger: EntityTagger | None = None,
) -> Services:
    """Services from parts already built (tests share loaded models across stores this way)."""
    check = CheckSettings(
        premise_with_title=settings.premise_with_title,
        relevance_with_title=settings.relevance_with_title,
        retrieval=RetrievalSettings(max_term_share=settings.lexical_max_term_share),
    )
    return Services(
        store,
        Indexer(store, embedder, tagger),
        FactChecker(store, embedder, nli, check, screen, tagger),
        jobs=job_queue_for(store),
        outbound=OutboundClient(settings.outbound_allow),
    )
