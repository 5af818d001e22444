"""What the delivery adapters (digital mailbox, SMS gateway, print service) have in common:
the errors they raise and the spool the local implementations write to.

Adapters raise TransientDeliveryError when trying again later may work (timeout, 5xx, rate
limit) and PermanentDeliveryError when it never will (unknown number, no such mailbox).
notifications.services turns them into temporary-failure / permanent-failure.

The local implementations behave like the real services and record what they "delivered" in a
spool directory (LOCAL_PROVIDER_SPOOL_DIR), one file per accepted message, created with
O_EXCL: like the real providers they accept a client reference (our idempotency key) once, so a
message retried after a crash is not delivered twice. Every call is also appended to a log
(`calls.log`), so tests and benchmarks can count attempts against deliveries across processes.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path

from django.conf import settings


class DeliveryError(Exception):
    """A provider did not take the message."""


class TransientDeliveryError(DeliveryError):
    """Try again later: timeout, provider down, rate limited."""


class PermanentDeliveryError(DeliveryError):
    """Never going to work: unknown recipient, rejected content."""


class LocalSpool:
    """The local providers' record of what they accepted (a directory per provider)."""

    def __init__(self, provider: str):
        self.provider = provider

    @property
    def root(self) -> Path:
        path = Path(settings.LOCAL_PROVIDER_SPOOL_DIR) / self.provider
        path.mkdir(parents=True, exist_ok=True)
        return path

    def _name(self, client_reference: str) -> str:
        return hashlib.sha256(client_reference.encode()).hexdigest()[:32]

    def log_call(self, client_reference: str, outcome: str) -> None:
        line = json.dumps({"ref": client_reference, "outcome": outcome, "at": time.time()}) + "\n"
        # O_APPEND writes of one short line are atomic between processes.
        fd = os.open(self.root / "calls.log", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        try:
            os.write(fd, line.encode())
        finally:
            os.close(fd)

    def accept(self, client_reference: str, record: dict, payload: bytes = b"") -> tuple[str, bool]:
        """Store one accepted message; (provider reference, newly accepted). A second message
        with the same client reference is not delivered again: the first reference comes back."""
        name = self._name(client_reference)
        path = self.root / f"{name}.json"
        reference = f"{self.provider}-{name[:16]}"
        if payload:
            (self.root / f"{name}.bin").write_bytes(payload)
        # Write a temporary file, then link it into place: the link is atomic and fails if the
        # name exists, so a message is accepted once and is never seen half-written.
        tmp = self.root / f".{name}.{os.getpid()}.{time.monotonic_ns()}.tmp"
        tmp.write_text(json.dumps({**record, "ref": client_reference, "provider_reference": reference,
                                   "at": time.time()}))
        try:
            os.link(tmp, path)
        except FileExistsError:
            return reference, False
        finally:
            tmp.unlink()
        return reference, True

    def attempts(self, client_reference: str) -> int:
        """How many times this message was offered (for the local 'flaky' behaviour)."""
        counter = self.root / f"{self._name(client_reference)}.attempts"
        fd = os.open(counter, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        try:
            os.write(fd, b".")
        finally:
            os.close(fd)
        return counter.stat().st_size

    def accepted(self) -> list[dict]:
        return [json.loads(p.read_text()) for p in sorted(self.root.glob("*.json"))]

    def calls(self) -> list[dict]:
        log = self.root / "calls.log"
        if not log.exists():
            return []
        return [json.loads(line) for line in log.read_text().splitlines() if line.strip()]
