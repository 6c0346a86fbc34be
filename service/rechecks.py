"""Re-checks: when an article is updated, deleted or purged, every stored check citing it is marked
stale (``mark``); the job runners re-check them when no job waits (``recheck_once``). Each re-check
adds the previous result to the check's history, with why (which article changed, how, when); when the
verdict changes, a ``check.updated`` event goes to every FACTCHECK_EVENTS_URL as a signed webhook."""

from __future__ import annotations

import logging
from typing import Any

from factcheck.compose import Services
from factcheck.net.webhooks import WebhookSender
from factcheck.records import Filters, StoredCheck, timestamp
from service.checks import superseding

log = logging.getLogger(__name__)
BATCH = 8


def mark(of: Services, article_id: str, change: str) -> int:
    """Mark the checks citing ``article_id`` for a re-check (``change``: updated, deleted or purged)."""
    reason = {"article_id": article_id, "change": change, "at": timestamp()}
    return of.store.mark_stale(article_id, reason)


def recheck_once(of: Services, owner: str, events: WebhookSender, urls: list[str], lease_seconds: float) -> bool:
    """Re-check up to BATCH stale checks; False when none waited."""
    leased = of.store.lease_stale(owner, BATCH, lease_seconds)
    for check in leased:
        renewed = _rechecked(of, check)
        if of.store.finish_recheck(renewed, owner) and renewed.verdict != check.verdict:
            _announce(events, urls, check, renewed)
    return bool(leased)


def _rechecked(of: Services, check: StoredCheck) -> StoredCheck:
    checker = of.require_checker()
    filters = Filters.from_dict(check.request.get("filters", {}))
    result = checker.check_many([check.claim], int(check.request.get("top_k", 8)), filters)[0]
    return superseding(check, result, checker.provenance, check.stale)


def _announce(events: WebhookSender, urls: list[str], before: StoredCheck, after: StoredCheck) -> None:
    payload: dict[str, Any] = {
        "type": "check.updated",
        "id": after.id,
        "previous": {"verdict": before.verdict, "confidence": before.confidence},
        "verdict": after.verdict,
        "confidence": after.confidence,
        "why": after.stale,
    }
    for url in urls:
        outcome, attempts = events.send(url, f"msg_check_{after.id}_{len(after.history)}", payload)
        log.info("check.updated %s to %s: %s after %d attempt(s)", after.id, url, outcome, attempts)
