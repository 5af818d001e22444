import datetime

import pytest
from django.utils import timezone

from tests.factories import DepartmentFactory, StaffFactory


def at(day: datetime.date | str, hour: int = 12) -> datetime.datetime:
    """Noon (local time) on a day: a known timestamp for received/decided/created."""
    if isinstance(day, str):
        day = datetime.date.fromisoformat(day)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.fixture
def barnehage(db):
    return DepartmentFactory(code="barnehage", name="Barnehage")


@pytest.fixture
def byggesak(db):
    return DepartmentFactory(code="byggesak", name="Byggesak")


@pytest.fixture
def manager(barnehage):
    return StaffFactory(departments=[barnehage])


@pytest.fixture(autouse=True)
def _insights_settings(settings):
    settings.INSIGHTS_PAPER_APPLICATIONS_PER_YEAR = {"kindergarten": 365, "building_permit": 730}
    settings.INSIGHTS_COST_PER_PAPER_LETTER_NOK = 25.0
    settings.INSIGHTS_DRAFT_ABANDONED_AFTER_DAYS = 30
