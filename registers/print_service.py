"""Print service adapter: the municipality's printing and mailing contractor (or KS Fiks
SvarUt's print channel) receives a daily batch: a zip of letters, each an address sheet PDF
followed by the letter PDF, with a manifest.

`LocalPrintService` keeps the batches in the local spool, like an SFTP drop would.
Choose the adapter with PRINT_SERVICE_ADAPTER.
"""

from __future__ import annotations

from typing import Protocol

from .adapters import get_adapter
from .delivery import LocalSpool, PermanentDeliveryError


class PrintService(Protocol):
    def submit_batch(self, *, batch_reference: str, archive: bytes, letters: int) -> str:
        """Hand over one batch (a zip); returns the print service's job id."""


class LocalPrintService:
    provider = "print"

    def __init__(self):
        self.spool = LocalSpool(self.provider)

    def submit_batch(self, *, batch_reference: str, archive: bytes, letters: int) -> str:
        if not archive.startswith(b"PK"):
            raise PermanentDeliveryError("The batch is not a zip archive")
        reference, _new = self.spool.accept(batch_reference, {"letters": letters}, payload=archive)
        self.spool.log_call(batch_reference, "accepted")
        return reference


def print_service() -> PrintService:
    return get_adapter("PRINT_SERVICE_ADAPTER")
