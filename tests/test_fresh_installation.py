"""A new installation takes a submission before anyone has configured anything: each service's
department comes with its data migration (it once came only from the demo loader, so the first
real submission was a server error)."""

import pytest

from accounts.models import Department
from applications.types import all_types

pytestmark = pytest.mark.django_db


def test_every_service_has_its_department_after_migrate():
    # The test database is made by running the migrations, as a new installation is.
    codes = set(Department.objects.values_list("code", flat=True))
    assert {t.department_code for t in all_types()} <= codes


def test_a_submission_on_a_fresh_database_finds_its_department(settings, tmp_path):
    from accounts.selectors import Party
    from accounts.services import citizen_get_or_create
    from applications.services import application_start, application_submit
    from kindergarten.tests.factories import KindergartenFactory
    from registers.demo_data import KARI
    from tests.applications.conftest import kindergarten_data

    settings.MEDIA_ROOT = tmp_path
    kari = citizen_get_or_create(national_id=KARI)
    draft = application_start(type_key="kindergarten", party=Party(person=kari))
    draft.data = kindergarten_data([KindergartenFactory(), KindergartenFactory()])
    draft.save()
    case = application_submit(application=draft, by=kari)
    assert case.department.code == "barnehage"
