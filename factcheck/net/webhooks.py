"""Signed webhooks: job callbacks (and check events) as Standard Webhooks messages.

Each message is a JSON body POSTed through the guarded ``OutboundClient`` with the headers
``webhook-id``, ``webhook-timestamp`` and ``webhook-signature`` (``v1,`` + base64 HMAC-SHA256 of
``id.timestamp.body`` with the secret, by the ``standardwebhooks`` package), so a receiver can verify it
with any Standard Webhooks library. The secret is ``whsec_`` + base64 (FACTCHECK_WEBHOOK_SECRET);
without one, messages go unsigned (the app warns at start).
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from typing import Any

from standardwebhooks import Webhook

from factcheck.net.outbound import Delivery, OutboundClient, OutboundRefused


class WebhookSender:
    """Sends signed JSON messages, retrying with exponential backoff.

    Args:
        client: the guarded outbound client.
        secret: ``whsec_…`` (empty: unsigned).
        attempts: POST attempts per message.
        first_delay: seconds before the second attempt, doubling after each.
    """

    def __init__(self, client: OutboundClient, secret: str = "", attempts: int = 5, first_delay: float = 1.0):
        self.client = client
        self.signer = Webhook(secret) if secret else None
        self.attempts = attempts
        self.first_delay = first_delay

    def headers(self, message_id: str, body: bytes, now: datetime | None = None) -> dict[str, str]:
        """The message's headers: content type, and the Standard Webhooks ones when a secret is set."""
        headers = {"Content-Type": "application/json"}
        if self.signer is not None:
            stamp = now or datetime.now(UTC)
            headers |= {
                "webhook-id": message_id,
                "webhook-timestamp": str(int(stamp.timestamp())),
                "webhook-signature": self.signer.sign(message_id, stamp, body),
            }
        return headers

    def send(self, url: str, message_id: str, payload: dict[str, Any]) -> tuple[str, int]:
        """Deliver ``payload`` to ``url``; returns the outcome ("delivered" or "failed: reason") and the
        attempts made. A refused address fails at once: retrying cannot change it."""
        body = json.dumps(payload, separators=(",", ":")).encode()
        delay, reason = self.first_delay, ""
        for attempt in range(1, self.attempts + 1):
            try:
                delivery: Delivery = self.client.post(url, body, self.headers(message_id, body))
            except OutboundRefused as exc:
                return f"failed: refused: {exc}", attempt
            if delivery.delivered:
                return "delivered", attempt
            reason = delivery.reason
            if attempt < self.attempts:
                time.sleep(delay)
                delay *= 2
        return f"failed: {reason}", self.attempts
