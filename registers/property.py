"""Property register (matrikkelen) adapter.

The real service is Kartverket's Matrikkel API (SOAP, behind an agreement); the portal needs
to look a property up by municipality number + gårdsnummer/bruksnummer (gnr/bnr), optionally
festenummer/seksjonsnummer, and show its address, area and owners. `LocalPropertyRegister`
answers from the demo properties below with the same shapes: an unknown property is None,
and a register that does not answer raises RegisterUnavailable (gnr 999 simulates that, so
the "try again later" path can be tried in development and tests).
Choose the adapter with PROPERTY_REGISTER_ADAPTER.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from . import demo_data
from .adapters import get_adapter
from .population import RegisterUnavailable
from .snapshot import SnapshotAdapter

__all__ = ["Property", "PropertyRegister", "LocalPropertyRegister", "RegisterUnavailable", "property_register"]


@dataclass(frozen=True)
class Property:
    municipality_number: str
    gnr: int
    bnr: int
    fnr: int
    snr: int
    address: str
    area_m2: int
    owner_ids: tuple[str, ...]  # national identity or organisation numbers; never shown in full

    @property
    def designation(self) -> str:
        parts = [f"{self.gnr}/{self.bnr}"]
        if self.fnr:
            parts.append(str(self.fnr))
        if self.snr:
            parts.append(str(self.snr))
        return "/".join(parts)

    def __str__(self) -> str:
        return f"{self.designation} {self.address}"


class PropertyRegister(Protocol):
    def lookup(self, *, municipality_number: str, gnr: int, bnr: int, fnr: int = 0, snr: int = 0) -> Property | None:
        """The property, or None when the register has no such property. Raises
        RegisterUnavailable when the register does not answer."""


# The demo municipality (3301) as the local register knows it.
DEMO_PROPERTIES = [
    {"gnr": 12, "bnr": 34, "fnr": 0, "snr": 0, "address": "Storgata 1, 3050 Mjøndalen", "area_m2": 812,
     "owner_ids": (demo_data.KARI, demo_data.PER)},
    {"gnr": 45, "bnr": 7, "fnr": 0, "snr": 0, "address": "Industrivegen 12, 3050 Mjøndalen", "area_m2": 4120,
     "owner_ids": ("988077917",)},
    {"gnr": 45, "bnr": 9, "fnr": 0, "snr": 0, "address": "Industrivegen 14, 3050 Mjøndalen", "area_m2": 2300,
     "owner_ids": ("974760673",)},
    {"gnr": 3, "bnr": 112, "fnr": 0, "snr": 0, "address": "Kirkevegen 7, 3054 Krokstadelva", "area_m2": 650,
     "owner_ids": (demo_data.REIDUN,)},
    {"gnr": 8, "bnr": 21, "fnr": 0, "snr": 2, "address": "Elvegata 3B, 3050 Mjøndalen", "area_m2": 95,
     "owner_ids": (demo_data.LARS,)},
]
UNAVAILABLE_GNR = 999


class LocalPropertyRegister:
    def __init__(self, properties: list[dict] | None = None, municipality_number: str | None = None):
        from django.conf import settings

        self.municipality_number = municipality_number or settings.MUNICIPALITY_NUMBER
        self._rows = {(p["gnr"], p["bnr"], p["fnr"], p["snr"]): p for p in (properties or DEMO_PROPERTIES)}

    def lookup(self, *, municipality_number: str, gnr: int, bnr: int, fnr: int = 0, snr: int = 0) -> Property | None:
        if gnr == UNAVAILABLE_GNR:
            raise RegisterUnavailable("The property register did not answer (simulated timeout).")
        if municipality_number != self.municipality_number:
            return None
        row = self._rows.get((gnr, bnr, fnr or 0, snr or 0))
        if row is None:
            return None
        return Property(municipality_number=municipality_number, gnr=gnr, bnr=bnr, fnr=fnr or 0, snr=snr or 0,
                        address=row["address"], area_m2=row["area_m2"], owner_ids=tuple(row["owner_ids"]))


def property_register() -> PropertyRegister:
    """The configured adapter; inside a register snapshot each answer is fetched once."""
    return SnapshotAdapter(get_adapter("PROPERTY_REGISTER_ADAPTER"), name="property", methods=("lookup",))
