"""The domain objects one process needs, built once at start-up and shared by every request."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from flask import current_app

from factcheck.core.checker import CheckSettings, FactChecker
from factcheck.core.ingest import Indexer
from factcheck.core.verify import Screen
from factcheck.inference.embed import Embedder
from factcheck.inference.nli import NLIModel
from factcheck.inference.runtime import ModelError
from factcheck.jobs import JobQueue, job_queue_for
from factcheck.jobs.runner import JobRunner, post_callback
from factcheck.store import Store, open_store

log = logging.getLogger(__name__)


@dataclass
class Services:
    store: Store
    indexer: Indexer | None = None
    checker: FactChecker | None = None
    load_error: str | None = field(default=None)
    jobs: JobQueue | None = None
    runner: JobRunner | None = None

    def require_indexer(self) -> Indexer:
        if self.indexer is None:
            raise ModelError(self.load_error or "models not loaded")
        return self.indexer

    def require_jobs(self) -> JobQueue:
        if self.jobs is None or self.checker is None:
            raise ModelError(self.load_error or "models not loaded")
        return self.jobs

    def start_runner(self, config) -> None:
        """Start this process's job runner thread (one per gunicorn worker)."""
        from service.checks import present

        if self.jobs is not None and self.checker is not None and self.runner is None:
            attempts, delay = config["JOB_CALLBACK_ATTEMPTS"], config["JOB_CALLBACK_FIRST_DELAY"]
            self.runner = JobRunner(self.jobs, self.checker, present, lease_seconds=config["JOB_LEASE_SECONDS"],
                                    callback=lambda job: post_callback(job, attempts, delay))
            self.runner.start()

    def require_checker(self) -> FactChecker:
        if self.checker is None:
            raise ModelError(self.load_error or "models not loaded")
        return self.checker


def build_services(config) -> Services:
    """Open the store and load both models; a model that fails to load leaves the service not ready."""
    services = Services(store=open_store(config["STORE_URL"]))
    if not config.get("LOAD_MODELS", True):
        services.load_error = "models not loaded (LOAD_MODELS is off)"
        return services
    try:
        embedder = Embedder(config["EMBED_MODEL"], threads=config["THREADS"])
        nli = NLIModel(config["NLI_MODEL"], threads=config["THREADS"])
        fast = config.get("FAST_NLI_MODEL")
        screen = Screen.load(fast, threads=config["THREADS"]) if fast else None
    except ModelError as exc:
        log.error("models not loaded: %s", exc)
        services.load_error = str(exc)
        return services
    return assemble(services.store, embedder, nli, config, screen)


def assemble(store: Store, embedder: Embedder, nli: NLIModel, config, screen: Screen | None = None) -> Services:
    """Services from parts already built (tests share loaded models across stores this way)."""
    settings = CheckSettings(premise_with_title=config.get("PREMISE_WITH_TITLE", False),
                             relevance_with_title=config.get("RELEVANCE_WITH_TITLE", True))
    return Services(store, Indexer(store, embedder), FactChecker(store, embedder, nli, settings, screen),
                    jobs=job_queue_for(store))


def services() -> Services:
    return current_app.extensions["factcheck"]
