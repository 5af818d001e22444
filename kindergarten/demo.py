"""Demo kindergarten service: the kindergarten office's caseworker, the kindergartens of the demo
municipality, an admission round ready to run (places from August next year), Kari's two cases
(Noah's just received, Emma's waiting for documentation) and a message about the deadline.
Made through the real services, so they have timelines, letters and notices. Idempotent."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from accounts import tenancy
from accounts.demo import staff_get_or_create
from accounts.models import Department, User
from cases import services as cases
from cases.models import Case
from correspondence.models import MessageThread
from correspondence.services import message_create, thread_get_or_create_general
from registers import demo_data

from .application import KindergartenPlace
from .models import AdmissionRound, Kindergarten

DEPARTMENT = [KindergartenPlace.department_code]
# e-mail, first name, last name, department codes, superuser: printed by load_demo_data.
STAFF = [("barnehage@kommune.example", "Berit", "Barnehagesen", DEPARTMENT, False)]
# The kindergarten office of each demo municipality (by municipality number). The shared
# caseworker of an IKT-samarbeid works the queues of Lier and Øvre Eiker.
STAFF_BY_MUNICIPALITY = {
    "3301": STAFF,
    "3312": [("barnehage@ikt-samarbeid.example", "Siri", "Samarbeid", DEPARTMENT, False)],
    "3314": [("barnehage@ikt-samarbeid.example", "Siri", "Samarbeid", DEPARTMENT, False)],
}
KINDERGARTENS_BY_MUNICIPALITY = {
    "3301": [
        ("Eventyrskogen barnehage", "Skogvegen 4, 3050 Mjøndalen", "0-5", 84),
        ("Solsikken barnehage", "Sollia 12, 3050 Mjøndalen", "0-5", 62),
        ("Elvebredden barnehage", "Elvegata 30, 3050 Mjøndalen", "0-2", 36),
        ("Krokstad gårdsbarnehage", "Gårdsvegen 2, 3054 Krokstadelva", "3-5", 45),
        ("Marienlyst barnehage", "Marienlystvegen 8, 3054 Krokstadelva", "0-5", 96),
    ],
    "3312": [
        ("Tranby barnehage", "Tranbyveien 20, 3400 Lier", "0-5", 70),
        ("Lierbyen barnehage", "Kirkebyveien 3, 3400 Lier", "0-2", 30),
    ],
    "3314": [
        ("Hokksund barnehage", "Stasjonsgata 10, 3300 Hokksund", "0-5", 80),
        ("Vestfossen barnehage", "Bruveien 5, 3320 Vestfossen", "3-5", 40),
    ],
}
KINDERGARTENS = KINDERGARTENS_BY_MUNICIPALITY["3301"]
# Kari Nordmann's kindergarten cases: Noah's in Drammen, where the family lives now; Emma's in
# Lier, applied for before they moved (it still waits for documentation).
CASES_BY_MUNICIPALITY = {
    "3301": [("Barnehageplass for Noah", None)],
    "3312": [("Barnehageplass for Emma", "waiting")],
}


def _number() -> str:
    current = tenancy.working_municipality_id()
    return next((m.number for m in tenancy.municipalities() if m.pk == current), "")
DEMO_ROUND = "Hovedopptak"


def kindergartens_load() -> int:
    """The department (created by a data migration; again here for a database emptied since)
    and the demo municipality's kindergartens."""
    municipality_id = tenancy.working_municipality_id()
    created = Department.objects.get_or_create(code=KindergartenPlace.department_code, municipality_id=municipality_id,
                                               defaults={"name": "Barnehage"})[1]
    for name, address, ages, capacity in KINDERGARTENS_BY_MUNICIPALITY.get(_number(), KINDERGARTENS):
        _kg, was_created = Kindergarten.objects.get_or_create(
            name=name, municipality_id=municipality_id,
            defaults={"address": address, "age_groups": ages, "capacity": capacity})
        created += was_created
    return created


def load() -> int:
    """Runs once per demo municipality, in its scope (load_demo_data)."""
    created = kindergartens_load()
    for email, first, last, codes, superuser in STAFF_BY_MUNICIPALITY.get(_number(), STAFF):
        _user, was_created = staff_get_or_create(email=email, first_name=first, last_name=last,
                                                 department_codes=codes, superuser=superuser)
        created += was_created
    year = timezone.localdate().year + 1
    _round, was_created = AdmissionRound.objects.get_or_create(
        name=f"{DEMO_ROUND} {year}", municipality_id=tenancy.working_municipality_id(),
        defaults={"places_start": datetime.date(year, 8, 1), "reply_days": 10})
    created += was_created
    return created + _cases() + _message()


def _cases() -> int:
    kari = User.objects.filter(national_id=demo_data.KARI).first()
    staff = STAFF_BY_MUNICIPALITY.get(_number(), STAFF)
    berit = User.objects.filter(email=staff[0][0]).first()
    department = Department.objects.get(code=KindergartenPlace.department_code)
    if kari is None or berit is None:
        return 0  # accounts.demo has not run
    created = 0
    for title, then in CASES_BY_MUNICIPALITY.get(_number(), []):
        if Case.objects.filter(applicant=kari, title=title).exists():
            continue
        with transaction.atomic():
            case = cases.case_create(application_type=KindergartenPlace.key, title=title, department=department,
                                     applicant=kari)
            if then == "waiting":
                cases.case_assign(case=case, assignee=berit, by=berit)
                cases.case_start_review(case=case, by=berit)
                cases.case_request_information(
                    case=case, by=berit, text="Vi trenger dokumentasjon på grunnlaget for prioritet (legeerklæring).",
                    documents_requested="Legeerklæring", due_date=timezone.localdate() + datetime.timedelta(days=14))
        created += 1
    return created


def _message() -> int:
    if _number() != "3301":
        return 0
    kari = User.objects.filter(national_id=demo_data.KARI).first()
    berit = User.objects.filter(email=STAFF[0][0]).first()
    if kari is None or berit is None or MessageThread.objects.filter(
            citizen=kari, case=None, messages__isnull=False).exists():
        return 0
    with transaction.atomic():
        message_create(thread=thread_get_or_create_general(citizen=kari), sender=berit, from_municipality=True,
                       body="Hei! Husk at fristen for å søke barnehageplass i hovedopptaket er 1. mars.")
    return 1
