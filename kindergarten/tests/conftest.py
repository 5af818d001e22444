import datetime
import itertools

import pytest
from django.utils import timezone

from cases.services import case_create
from kindergarten.application import child_token
from kindergarten.services import admission_round_create
from kindergarten.tests.factories import KindergartenFactory
from registers.population import population_register
from tests.factories import ApplicationFactory, CitizenFactory, StaffFactory

PLACES_START = datetime.date(2027, 8, 1)
_child_ids = itertools.count(1)


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
def apply(department, register_people):
    """A submitted kindergarten application with its case, for a new family: `apply(born=...,
    wishes=[kg, ...], priority=False, days_ago=10)`."""
    address = {"street": "Skogvegen 1", "postcode": "3050", "city": "Mjøndalen"}

    def make(*, born, wishes, priority=False, days_ago=10, applicant=None, name="Barn", start=PLACES_START):
        applicant = applicant or CitizenFactory()
        child_id = f"9{next(_child_ids):010d}"
        register_people({"national_id": applicant.national_id, "first_name": applicant.first_name,
                         "last_name": applicant.last_name, "birth_date": datetime.date(1990, 1, 1),
                         "address": address, "children": [child_id], "guardians": []})
        register_people({"national_id": child_id, "first_name": name, "last_name": applicant.last_name,
                         "birth_date": born, "address": address, "children": [], "guardians": [applicant.national_id]})
        submitted = timezone.now() - datetime.timedelta(days=days_ago)
        case = case_create(application_type="kindergarten", title=f"Barnehageplass for {name}",
                           department=department, applicant=applicant)
        place = {"start_date": start.isoformat(), "attendance": "full_time"}
        for i in range(1, 6):
            place[f"wish_{i}"] = str(wishes[i - 1].pk) if i <= len(wishes) else ""
        ApplicationFactory(
            applicant=applicant, status="submitted", case=case, submitted_at=submitted,
            data={"child": {"child": child_token(child_id)}, "place": place,
                  "priority": {"grounds": ["disability"] if priority else [], "explanation": ""},
                  "invoice": {"invoice_to": "applicant"}},
        )
        return case

    return make


@pytest.fixture
def admission_round(db):
    return admission_round_create(name="Hovedopptak 2027", places_start=PLACES_START)


@pytest.fixture
def kg(db):
    def make(capacity=10, ages="0-5", name=None):
        return KindergartenFactory(capacity=capacity, age_groups=ages, **({"name": name} if name else {}))
    return make


@pytest.fixture
def other_caseworker(db):
    from tests.factories import DepartmentFactory

    return StaffFactory(departments=[DepartmentFactory(code="byggesak", name="Byggesak")])
