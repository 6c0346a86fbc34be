"""The job runner: a background thread per service process that works through queued claims.

It leases a batch of items, checks them with the same FactChecker as the API (one check_many call
per lease: each claim gets the answer a single check gives it), stores each result, and when a job
finishes POSTs its summary to the job's callback URL with retries and exponential backoff, recording
the outcome on the job.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import threading
from collections.abc import Callable, Sequence
from itertools import groupby
from typing import Protocol

from factcheck.jobs.queue import Job, JobQueue, WorkItem
from factcheck.net.webhooks import WebhookSender
from factcheck.records import CheckResult, Filters

log = logging.getLogger(__name__)


class Checker(Protocol):
    """What the runner checks claims with (the pipeline's FactChecker)."""

    def check_many(self, claims: Sequence[str], top_k: int, filters: Filters) -> list[CheckResult]: ...


def post_callback(job: Job, sender: WebhookSender) -> tuple[str, int]:
    """POST the job summary to its callback URL as a signed webhook (``net.webhooks``); returns (outcome,
    attempts made)."""
    if job.callback_url is None:
        return "no callback", 0
    payload = {"type": "job.finished", "id": job.id, "status": job.status, "total": job.total, "done": job.done}
    return sender.send(job.callback_url, f"msg_job_{job.id}", payload)


class JobRunner(threading.Thread):
    """Leases and checks queued claims until ``stop()``.

    Args:
        queue: the job queue.
        checker: the process's checker (the pipeline's FactChecker).
        serialize: turns a CheckResult into the stored (API-shaped) result.
        batch: items per lease (checked in one check_many call).
        lease_seconds: how long an item stays leased; a dead process's items come back after it.
    """

    def __init__(
        self,
        queue: JobQueue,
        checker: Checker,
        serialize: Callable[[CheckResult], dict],
        batch: int = 16,
        lease_seconds: float = 60.0,
        idle_seconds: float = 0.5,
        callback: Callable[[Job], tuple[str, int]] | None = None,
        keep: Callable[[list[CheckResult], int, dict, list[str]], None] | None = None,
        recheck: Callable[[str], bool] | None = None,
    ):
        super().__init__(name="factcheck-job-runner", daemon=True)
        self.queue, self.checker, self.serialize = queue, checker, serialize
        self.batch, self.lease_seconds, self.idle_seconds = batch, lease_seconds, idle_seconds
        self.callback = callback
        self.keep = keep  # stores checks as checks (the jobs that ask for it), one per "job:item" key
        self.recheck = recheck  # re-checks stored checks whose articles changed, when no job waits
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{id(self):x}"
        self._stop_event = threading.Event()

    def stop(self) -> None:
        self._stop_event.set()

    def run(self) -> None:
        while not self._stop_event.is_set():
            try:
                worked = self.work_once()
            except Exception:  # keep the thread alive through a store hiccup; the lease brings items back
                log.exception("job runner step failed")
                worked = False
            if not worked:
                self._stop_event.wait(self.idle_seconds)

    def work_once(self) -> bool:
        """Lease, check and store one batch. Returns False when there was nothing to do."""
        items = self.queue.claim(self.owner, self.batch, self.lease_seconds)
        if not items:
            return self.recheck(self.owner) if self.recheck is not None else False

        def key(item: WorkItem) -> tuple[int, str]:
            return item.top_k, json.dumps(item.filters, sort_keys=True)

        for (top_k, _), grouped in groupby(sorted(items, key=key), key=key):
            group = list(grouped)
            results = self.checker.check_many([i.claim for i in group], top_k, Filters.from_dict(group[0].filters))
            kept = [(i, r) for i, r in zip(group, results, strict=True) if i.store_checks]
            if kept and self.keep is not None:  # gives each its id before it is serialised
                self.keep([r for _, r in kept], top_k, group[0].filters, [f"{i.job_id}:{i.index}" for i, _ in kept])
            for item, result in zip(group, results, strict=True):
                self._store(item, result)
        return True

    def _store(self, item: WorkItem, result: CheckResult) -> None:
        if self.queue.complete(self.owner, item, self.serialize(result)) == "finished":
            job = self.queue.require(item.job_id)
            log.info("job %s done (%d claims)", job.id, job.total)
            if job.callback_url and self.callback is not None:
                outcome, attempts = self.callback(job)
                self.queue.record_callback(job.id, outcome, attempts)
