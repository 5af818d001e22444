"""The SFO service's fixtures: its department, Kari (mother of Sofie in the demo population),
schools, test families with a child of a chosen grade, and complete drafts. Dates are counted
from today (the next August), so the tests do not expire."""

import datetime
import itertools

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from accounts.selectors import Party
from applications.services import application_start
from registers import demo_data
from registers.population import population_register
from sfo.application import child_token
from sfo.rules import grade_in
from tests.factories import CitizenFactory, DepartmentFactory

from .factories import SchoolFactory

_child_ids = itertools.count(1)
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ADDRESS = {"street": "Skogvegen 1", "postcode": "3050", "city": "Mjøndalen", "municipality_number": "3301"}


def next_august(today: datetime.date | None = None) -> datetime.date:
    """The start of the next school year: within a year, never in the past."""
    today = today or timezone.localdate()
    start = datetime.date(today.year, 8, 1)
    return start if start > today else start.replace(year=today.year + 1)


def sofie_grade() -> int:
    """Sofie (born 1 June 2021) at the next August: grade 1 in 2027/28, and one more each year."""
    return grade_in(birth_date=datetime.date(2021, 6, 1), school_year=next_august().year)


def pdf(name="dokument.pdf"):
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def sfo_data(school, *, child=demo_data.SOFIE, start=None, place_kind="full", morning="no", special_needs="no",
             explanation="", grounds=(), invoice_to="applicant") -> dict:
    return {
        "child": {"child": child_token(child)},
        "place": {"school": str(school.pk), "start_date": (start or next_august()).isoformat(),
                  "place_kind": place_kind, "morning": morning},
        "needs": {"special_needs": special_needs, "needs_explanation": explanation, "grounds": list(grounds)},
        "invoice": {"invoice_to": invoice_to},
    }


@pytest.fixture(autouse=True)
def _english_and_media(settings, tmp_path):
    # Messages are asserted in English (the source strings); pages ask for their own language.
    settings.MEDIA_ROOT = tmp_path / "media"
    with translation.override("en"):
        yield


@pytest.fixture
def sfo_department(db):
    return DepartmentFactory(code="sfo", name="SFO")


@pytest.fixture
def kari(db):
    return CitizenFactory(national_id=demo_data.KARI, first_name="Kari", last_name="Nordmann")


@pytest.fixture
def school(db):
    return SchoolFactory(name="Mjøndalen skole", address="Skolegata 10, 3050 Mjøndalen")


@pytest.fixture
def register_people():
    """Adds test families to the local population register (the demo people stay) and takes
    them out again afterwards."""
    register = population_register()
    added = []

    def add(entry):
        register._people[entry["national_id"]] = entry
        added.append(entry["national_id"])

    yield add
    for national_id in added:
        register._people.pop(national_id, None)


@pytest.fixture
def family(db, register_people):
    """family(grade=4, municipality_number="3301") -> (parent, child's national id, child's
    register entry): a parent with one child who is in `grade` at the next August, living in the
    municipality with that number (the register's municipality of the address)."""

    def make(*, grade, municipality_number="3301", name="Ola"):
        parent = CitizenFactory()
        child_id = f"8{next(_child_ids):010d}"
        address = {**ADDRESS, "municipality_number": municipality_number}
        born = datetime.date(next_august().year - 5 - grade, 3, 15)
        register_people({"national_id": parent.national_id, "first_name": parent.first_name,
                         "last_name": parent.last_name, "birth_date": datetime.date(1985, 1, 1),
                         "address": address, "children": [child_id], "guardians": []})
        child = {"national_id": child_id, "first_name": name, "last_name": parent.last_name, "birth_date": born,
                 "address": address, "children": [], "guardians": [parent.national_id]}
        register_people(child)
        return parent, child_id, child

    return make


@pytest.fixture
def draft(db, sfo_department):
    """draft(applicant, school, **sfo_data kwargs): a complete SFO draft."""

    def make(applicant, school, **kwargs):
        application = application_start(type_key="sfo", party=Party(person=applicant))
        application.data = sfo_data(school, **kwargs)
        application.save()
        return application

    return make
