"""A few cases in the demo queues, at different steps, made through the real services (so
they have timelines, letters and notifications). Idempotent: a case is made once per
(applicant, title)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from accounts.models import Department, Organisation, User
from registers import demo_data

from . import services
from .models import Case


def _staff(email: str) -> User | None:
    return User.objects.filter(email=email).first()


def load() -> int:
    departments = {d.code: d for d in Department.objects.filter(code__in=["barnehage", "byggesak"])}
    people = {u.national_id: u for u in User.objects.filter(national_id__in=demo_data.LOGIN_PEOPLE)}
    berit, bjorn = _staff("barnehage@kommune.example"), _staff("byggesak@kommune.example")
    if len(departments) < 2 or not {demo_data.KARI, demo_data.AHMED, demo_data.REIDUN} <= people.keys() \
            or not (berit and bjorn):
        return 0  # accounts.demo has not run
    ali_bygg = Organisation.objects.filter(organisation_number="988077917").first()
    kari, ahmed, reidun = people[demo_data.KARI], people[demo_data.AHMED], people[demo_data.REIDUN]
    today = timezone.localdate()

    def kindergarten_received(case):
        return case

    def kindergarten_waiting(case):
        services.case_assign(case=case, assignee=berit, by=berit)
        services.case_start_review(case=case, by=berit)
        services.case_request_information(
            case=case, by=berit, text="Vi trenger dokumentasjon på grunnlaget for prioritet (legeerklæring).",
            documents_requested="Legeerklæring", due_date=today + datetime.timedelta(days=14))
        return case

    def permit_under_review(case):
        services.case_assign(case=case, assignee=bjorn, by=bjorn)
        services.case_start_review(case=case, by=bjorn)
        services.case_note_add(case=case, by=bjorn, text="Sjekk avstand til nabogrense (4 m) mot situasjonsplanen.")
        return case

    def permit_decided(case):
        services.case_start_review(case=case, by=bjorn)
        services.case_decide(case=case, by=bjorn, outcome="approved",
                             reasoning="Tiltaket er i samsvar med reguleringsplanen, og ingen naboer har merknader.",
                             legal_basis="plan- og bygningsloven § 20-4 og § 21-7")
        return case

    plans = [
        (kari, None, "kindergarten", "Barnehageplass for Noah", "barnehage", kindergarten_received),
        (kari, None, "kindergarten", "Barnehageplass for Emma", "barnehage", kindergarten_waiting),
        (ahmed, ali_bygg, "building_permit", "Garasje, gnr. 12 bnr. 34", "byggesak", permit_under_review),
        (reidun, None, "building_permit", "Tilbygg til bolig, Kirkevegen 7", "byggesak", permit_decided),
    ]
    created = 0
    for applicant, organisation, type_key, title, department, then in plans:
        if Case.objects.filter(applicant=applicant, title=title).exists():
            continue
        case = services.case_create(application_type=type_key, title=title, department=departments[department],
                                    applicant=applicant, organisation=organisation)
        then(case)
        created += 1
    return created
