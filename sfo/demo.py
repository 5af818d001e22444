"""Demo SFO service: the SFO office's caseworker and the schools of the demo municipality that
offer SFO. No cases: Kari can apply for Sofie herself. Idempotent."""

from __future__ import annotations

from accounts import tenancy
from accounts.demo import staff_get_or_create
from accounts.models import Department

from .application import SfoPlace
from .models import School

# e-mail, first name, last name, department codes, superuser: printed by load_demo_data.
STAFF = [("sfo@kommune.example", "Siri", "Sfo-leder", [SfoPlace.department_code], False)]
# (name, address, lowest grade, highest grade, highest grade with special needs)
SCHOOLS = [
    ("Mjøndalen skole", "Skolegata 10, 3050 Mjøndalen", 1, 4, 7),
    ("Krokstad skole", "Krokstadvegen 21, 3054 Krokstadelva", 1, 4, 7),
    ("Steinberg skole", "Steinbergvegen 5, 3050 Mjøndalen", 1, 4, 7),
]


# The schools of each demo municipality (by number): Drammen's the old demo's, Lier and Øvre
# Eiker one each.
SCHOOLS_BY_MUNICIPALITY = {
    "3301": SCHOOLS,
    "3312": [("Hallenskogen skole", "Hallenskogen 2, 3400 Lier", 1, 4, 7)],
    "3314": [("Hokksund barneskole", "Skolegata 3, 3300 Hokksund", 1, 4, 7)],
}


def _number() -> str:
    current = tenancy.working_municipality_id()
    return next((m.number for m in tenancy.municipalities() if m.pk == current), "3301")


def schools_load() -> int:
    """The department (created by a data migration; again here for a database emptied since)
    and the demo municipality's schools with SFO."""
    municipality_id = tenancy.working_municipality_id()
    created = Department.objects.get_or_create(code=SfoPlace.department_code, municipality_id=municipality_id,
                                               defaults={"name": "SFO"})[1]
    for name, address, lowest, highest, special_needs_highest in SCHOOLS_BY_MUNICIPALITY.get(_number(), []):
        _school, was_created = School.objects.get_or_create(
            name=name, municipality_id=municipality_id, defaults={"address": address, "lowest_grade": lowest, "highest_grade": highest,
                                 "special_needs_highest_grade": special_needs_highest})
        created += was_created
    return created


def load() -> int:
    """Runs once per demo municipality, in its scope (load_demo_data); the SFO caseworker works
    in Drammen."""
    created = schools_load()
    if _number() != "3301":
        return created
    for email, first, last, codes, superuser in STAFF:
        _user, was_created = staff_get_or_create(email=email, first_name=first, last_name=last,
                                                 department_codes=codes, superuser=superuser)
        created += was_created
    return created
