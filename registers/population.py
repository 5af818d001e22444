"""Population register (Folkeregisteret) adapter.

The real service is Skatteetaten's Folkeregister API behind Maskinporten; the portal needs a
person's name, birth date, address, children and guardians. `LocalPopulationRegister` answers
from the demo population in registers/demo_data.py, with the same shapes and the same
"not found" behaviour. Choose the adapter with POPULATION_REGISTER_ADAPTER.
"""

from __future__ import annotations

import datetime
import time
from dataclasses import dataclass, field
from typing import Protocol

from django.conf import settings

from . import demo_data
from .adapters import get_adapter
from .snapshot import SnapshotAdapter


class RegisterUnavailable(Exception):
    """The register did not answer (timeout, 5xx). Callers show a 'try again later' message."""


@dataclass(frozen=True)
class Address:
    street: str
    postcode: str
    city: str
    # The municipality the address lies in (Folkeregisteret's bostedsadresse.kommunenummer).
    municipality_number: str = ""

    def __str__(self) -> str:
        return f"{self.street}, {self.postcode} {self.city}"


@dataclass(frozen=True)
class Person:
    national_id: str
    first_name: str
    last_name: str
    birth_date: datetime.date
    address: Address
    children: tuple[str, ...] = field(default_factory=tuple)
    guardians: tuple[str, ...] = field(default_factory=tuple)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class PopulationRegister(Protocol):
    def person(self, national_id: str) -> Person | None:
        """The person, or None when the register knows no one by that number. Raises
        RegisterUnavailable when the register does not answer (error or timeout)."""

    def children_of(self, national_id: str) -> list[Person]:
        """The children the person is guardian of, oldest first."""


class LocalPopulationRegister:
    """The demo population. Like the real register it can be down: set
    POPULATION_REGISTER_SIMULATE to "unavailable" (an immediate 5xx) or "timeout" (no answer
    within POPULATION_REGISTER_TIMEOUT seconds) to see how the portal copes."""

    def __init__(self, people: list[dict] | None = None):
        self._people = {p["national_id"]: p for p in (people or demo_data.PEOPLE)}

    def _call(self) -> None:
        simulate = getattr(settings, "POPULATION_REGISTER_SIMULATE", "")
        if simulate == "unavailable":
            raise RegisterUnavailable("population register: 503 Service Unavailable")
        if simulate == "timeout":
            time.sleep(settings.POPULATION_REGISTER_TIMEOUT)
            raise RegisterUnavailable("population register: timed out")

    def person(self, national_id: str) -> Person | None:
        self._call()
        row = self._people.get(national_id)
        if row is None:
            return None
        return Person(
            national_id=row["national_id"], first_name=row["first_name"], last_name=row["last_name"],
            birth_date=row["birth_date"], address=Address(**row["address"]),
            children=tuple(row["children"]), guardians=tuple(row["guardians"]),
        )

    def children_of(self, national_id: str) -> list[Person]:
        """Raises RegisterUnavailable when the register does not answer."""
        parent = self.person(national_id)
        if parent is None:
            return []
        children = [self.person(nid) for nid in parent.children]
        return sorted((c for c in children if c), key=lambda c: c.birth_date)


def population_register() -> PopulationRegister:
    """The configured adapter; inside a register snapshot each answer is fetched once."""
    return SnapshotAdapter(get_adapter("POPULATION_REGISTER_ADAPTER"), name="population",
                           methods=("person", "children_of"))
