"""SMS gateway adapter.

The real gateway (e.g. a Norwegian bulk-SMS provider) takes a number, a text, a sender id and a
client reference, answers with its own message id, and later calls back with a delivery report
(delivered / failed) to notifications' callback endpoint.

`LocalSmsGateway` behaves the same way and records accepted messages in the local spool
(registers/delivery.py). Numbers with magic endings behave like the real gateway's failures:
  …0000  rejected: not a valid mobile number (permanent)
  …9999  the gateway times out (transient, every time)
  …9998  times out on the first try of each message, accepts the next (transient once)
  …0404  accepted, then reported undeliverable (the handset is unreachable)
With LOCAL_PROVIDER_CALLBACK_URL set, the gateway calls back with a delivery report for each
accepted message, like the real one: shortly after, retried while our side answers 404.
LOCAL_SMS_LATENCY_SECONDS adds a network-like delay around each accepted message.
Choose the adapter with SMS_GATEWAY_ADAPTER.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import urllib.error
import urllib.request
from typing import Protocol

from django.conf import settings

from .adapters import get_adapter
from .delivery import LocalSpool, PermanentDeliveryError, TransientDeliveryError

logger = logging.getLogger(__name__)


class SmsGateway(Protocol):
    def send(self, *, to: str, text: str, client_reference: str) -> str:
        """Hand one SMS to the gateway; returns the gateway's message id."""


class LocalSmsGateway:
    provider = "sms"

    def __init__(self):
        self.spool = LocalSpool(self.provider)

    def send(self, *, to: str, text: str, client_reference: str) -> str:
        digits = "".join(ch for ch in to if ch.isdigit())
        if len(digits) < 8 or digits.endswith("0000"):
            self.spool.log_call(client_reference, "rejected")
            raise PermanentDeliveryError("Gateway rejected the number (not a valid mobile number)")
        if digits.endswith("9999"):
            self.spool.log_call(client_reference, "timeout")
            raise TransientDeliveryError("Gateway timed out")
        if digits.endswith("9998") and self.spool.attempts(client_reference) == 1:
            self.spool.log_call(client_reference, "timeout")
            raise TransientDeliveryError("Gateway timed out")
        # Like a network call: part of the latency before the gateway takes the message, part
        # after (a worker can die in between: taken, but the answer never arrives).
        latency = getattr(settings, "LOCAL_SMS_LATENCY_SECONDS", 0.0)
        if latency:
            time.sleep(latency / 2)
        reference, new = self.spool.accept(client_reference, {"to": to, "text": text})
        self.spool.log_call(client_reference, "accepted" if new else "duplicate")
        if latency:
            time.sleep(latency / 2)
        if new and getattr(settings, "LOCAL_PROVIDER_CALLBACK_URL", ""):
            report = {"reference": reference, "status": "delivered"}
            if digits.endswith("0404"):
                report = {"reference": reference, "status": "permanent-failure", "error": "Handset unreachable"}
            threading.Thread(target=_call_back, args=(report,), daemon=True).start()
        return reference


def _call_back(report: dict) -> None:
    delay = getattr(settings, "LOCAL_PROVIDER_CALLBACK_DELAY_SECONDS", 0.5)
    if not settings.LOCAL_PROVIDER_CALLBACK_URL.startswith(("http://", "https://")):
        return
    request = urllib.request.Request(  # noqa: S310 - http(s) only, checked above
        settings.LOCAL_PROVIDER_CALLBACK_URL, data=json.dumps(report).encode(), method="POST",
        headers={"Content-Type": "application/json",
                 "Authorization": f"Bearer {settings.NOTIFICATIONS_CALLBACK_TOKEN}"})
    for _attempt in range(6):
        time.sleep(delay)
        try:
            with urllib.request.urlopen(request, timeout=5):  # noqa: S310 - http(s) only, checked above
                return
        except (urllib.error.URLError, OSError):
            delay *= 2
    logger.warning("Local SMS gateway gave up reporting %s", report["reference"])


def sms_gateway() -> SmsGateway:
    return get_adapter("SMS_GATEWAY_ADAPTER")
