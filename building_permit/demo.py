"""Demo building permit service: the building department's caseworker, the fee schedule, and two
cases (Ali Bygg's garage under review, Reidun Dahl's extension decided). Made through the real
services. Idempotent."""

from __future__ import annotations

import datetime

from django.db import transaction

from accounts import tenancy
from accounts.demo import staff_get_or_create
from accounts.models import Department, Organisation, User
from cases import services as cases
from cases.models import Case
from registers import demo_data

from .application import BuildingPermit
from .models import BuildingFee

# e-mail, first name, last name, department codes, superuser: printed by load_demo_data.
STAFF = [("byggesak@kommune.example", "Bjørn", "Byggesaksen", [BuildingPermit.department_code], False)]
# (permit kind, project, amount in NOK), valid from 1 January 2026.
FEES = [
    ("20-4", "extension", 7600), ("20-4", "garage", 5900), ("20-4", "change_of_use", 6800),
    ("20-4", "other", 5200),
    ("20-3", "new_dwelling", 31500), ("20-3", "extension", 14200), ("20-3", "garage", 9800),
    ("20-3", "change_of_use", 12400), ("20-3", "commercial", 48000), ("20-3", "other", 11000),
]


def fees_load() -> int:
    """The department (created by a data migration; again here for a database emptied since)
    and the fee schedule."""
    municipality_id = tenancy.working_municipality_id()
    created = Department.objects.get_or_create(code=BuildingPermit.department_code, municipality_id=municipality_id,
                                               defaults={"name": "Byggesak"})[1]
    for kind, category, amount in FEES:
        _fee, was_created = BuildingFee.objects.get_or_create(
            permit_kind=kind, category=category, valid_from=datetime.date(2026, 1, 1), municipality_id=municipality_id,
            defaults={"amount": amount})
        created += was_created
    return created


def load() -> int:
    """Runs once per demo municipality, in its scope (load_demo_data): the fee schedule and
    department in each; the building caseworker and the two cases in the first (Drammen)."""
    created = fees_load()
    current = tenancy.working_municipality_id()
    if next((m.number for m in tenancy.municipalities() if m.pk == current), "3301") != "3301":
        return created
    for email, first, last, codes, superuser in STAFF:
        _user, was_created = staff_get_or_create(email=email, first_name=first, last_name=last,
                                                 department_codes=codes, superuser=superuser)
        created += was_created
    return created + _cases()


def _cases() -> int:
    people = {u.national_id: u for u in User.objects.filter(national_id__in=[demo_data.AHMED, demo_data.REIDUN])}
    bjorn = User.objects.filter(email=STAFF[0][0]).first()
    if len(people) < 2 or bjorn is None:
        return 0  # accounts.demo has not run
    department = Department.objects.get(code=BuildingPermit.department_code)
    ali_bygg = Organisation.objects.filter(organisation_number="988077917").first()
    created = 0
    plans = [(people[demo_data.AHMED], ali_bygg, "Garasje, gnr. 12 bnr. 34", "under_review"),
             (people[demo_data.REIDUN], None, "Tilbygg til bolig, Kirkevegen 7", "decided")]
    for applicant, organisation, title, then in plans:
        if Case.objects.filter(applicant=applicant, title=title).exists():
            continue
        with transaction.atomic():
            case = cases.case_create(application_type=BuildingPermit.key, title=title, department=department,
                                     applicant=applicant, organisation=organisation)
            if then == "under_review":
                cases.case_assign(case=case, assignee=bjorn, by=bjorn)
                cases.case_start_review(case=case, by=bjorn)
                cases.case_note_add(case=case, by=bjorn, text="Sjekk avstand til nabogrense (4 m) mot situasjonsplanen.")
            else:
                cases.case_start_review(case=case, by=bjorn)
                cases.case_decide(case=case, by=bjorn, outcome="approved",
                                  reasoning="Tiltaket er i samsvar med reguleringsplanen, og ingen naboer har merknader.",
                                  legal_basis="plan- og bygningsloven § 20-4 og § 21-7")
        created += 1
    return created
