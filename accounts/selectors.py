from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from . import tenancy
from .models import Department, MunicipalityRole, Organisation, User


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


def staff_municipalities(*, user: User) -> list:
    """The municipalities a member of staff works in: those of their departments and roles
    (superusers: every one). Read across municipalities on purpose: it is the header's list of
    where else they may work, and names municipalities only (one query)."""
    everyone = tenancy.municipalities()
    if user.is_superuser:
        return everyone
    with tenancy.unscoped():
        ids = set(Department.objects.filter(members=user).values_list("municipality_id", flat=True))
        ids |= set(MunicipalityRole.objects.filter(user=user).values_list("municipality_id", flat=True))
    return [m for m in everyone if m.pk in ids]


def municipality_role_in(*, user: User, role: str) -> bool:
    """Does the user hold `role` in the municipality the request works in (its scope)?"""
    return MunicipalityRole.objects.filter(user=user, role=role).exists()
