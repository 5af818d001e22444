from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from .models import Organisation, User


def organisations_person_may_act_for(*, person: User) -> QuerySet[Organisation]:
    """Organisations the person holds a currently valid representation for."""
    return Organisation.objects.filter(
        representations__in=person.representations.valid_on()
    ).distinct().order_by("name")


@dataclass(frozen=True)
class Party:
    """Who the logged-in person is acting for: themselves, or an organisation."""

    person: User
    organisation: Organisation | None = None

    @property
    def is_organisation(self) -> bool:
        return self.organisation is not None

    @property
    def name(self) -> str:
        return self.organisation.name if self.organisation else self.person.get_full_name()
