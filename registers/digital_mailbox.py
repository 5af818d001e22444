"""Digital mailbox adapter (Digipost / e-Boks, e.g. through KS Fiks SvarUt).

The real service receives the letter itself (the PDF) with a non-sensitive title, addressed by
the person's national identity number and mailbox address from KRR, with our message id as
the idempotency key: the same id twice is not delivered twice. The provider notifies the
citizen itself (and reminds on day 7) and calls back when the letter is opened.

`LocalDigitalMailbox` behaves the same and keeps the PDFs in the local spool. Mailbox
addresses containing "#GONE" are closed mailboxes (permanent), "#SLOW" time out (transient).
Choose the adapter with DIGITAL_MAILBOX_ADAPTER.
"""

from __future__ import annotations

from typing import Protocol

from .adapters import get_adapter
from .delivery import LocalSpool, PermanentDeliveryError, TransientDeliveryError


class DigitalMailbox(Protocol):
    def send(self, *, national_id: str, provider: str, address: str, title: str, pdf: bytes,
             client_reference: str) -> str:
        """Deliver one letter PDF; returns the provider's message id."""


class LocalDigitalMailbox:
    provider = "digital_mailbox"

    def __init__(self):
        self.spool = LocalSpool(self.provider)

    def send(self, *, national_id: str, provider: str, address: str, title: str, pdf: bytes,
             client_reference: str) -> str:
        if "#GONE" in address:
            self.spool.log_call(client_reference, "rejected")
            raise PermanentDeliveryError("The mailbox is closed")
        if "#SLOW" in address:
            self.spool.log_call(client_reference, "timeout")
            raise TransientDeliveryError("Mailbox provider timed out")
        if not pdf.startswith(b"%PDF"):
            self.spool.log_call(client_reference, "rejected")
            raise PermanentDeliveryError("The document is not a PDF")
        reference, new = self.spool.accept(
            client_reference, {"provider": provider, "address": address, "title": title}, payload=pdf)
        self.spool.log_call(client_reference, "accepted" if new else "duplicate")
        return reference


def digital_mailbox() -> DigitalMailbox:
    return get_adapter("DIGITAL_MAILBOX_ADAPTER")
