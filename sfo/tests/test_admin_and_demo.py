"""The schools with SFO are kept in both admin sites (municipal IT and the caseworkers), with the
grades checked; the demo data loads once; the service reads in nynorsk too."""

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.models import User
from sfo import demo
from sfo.models import School
from tests.factories import StaffFactory

from .factories import SchoolFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("site", ["admin", "caseworker"])
def test_the_schools_are_listed_on_both_admin_sites(client, site):
    SchoolFactory(name="Krokstad skole")
    client.force_login(StaffFactory(is_superuser=True))
    page = client.get(reverse(f"{site}:sfo_school_changelist")).content.decode()
    assert "Krokstad skole" in page and "Skoler" in page  # verbose names in bokmål


def test_a_school_with_grades_out_of_order_is_refused_in_the_admin(client):
    client.force_login(StaffFactory(is_superuser=True))
    response = client.post(reverse("caseworker:sfo_school_add"), {
        "name": "Ny skole", "address": "Skolevegen 1, 3050 Mjøndalen", "lowest_grade": 3, "highest_grade": 2,
        "special_needs_highest_grade": 7, "active": "on"})
    assert response.status_code == 200
    assert "Trinnene må være i rekkefølge" in response.content.decode()
    assert not School.objects.exists()


def test_the_demo_data_loads_once():
    first = demo.load()
    assert first >= 4  # three schools and Siri (the department may exist from the migration)
    assert demo.load() == 0
    assert School.objects.filter(name__in=["Mjøndalen skole", "Krokstad skole", "Steinberg skole"]).count() == 3
    siri = User.objects.get(email="sfo@kommune.example")
    assert siri.is_staff and list(siri.departments.values_list("code", flat=True)) == ["sfo"]


def test_the_catalogue_and_a_step_in_nynorsk(client, kari, sfo_department, school):
    from accounts.services import ACT_FOR_SELF, ACTING_FOR_SESSION_KEY
    from applications.models import Application

    client.force_login(kari)
    session = client.session
    session[ACTING_FOR_SESSION_KEY] = ACT_FOR_SELF
    session.save()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nn"
    page = client.get(reverse("applications:catalogue")).content.decode()
    assert "Søk om plass i skulefritidsordninga (SFO)" in page
    client.post(reverse("applications:start", args=["sfo"]))
    application = Application.objects.get(applicant=kari, type_key="sfo")
    page = client.get(reverse("applications:step", args=[application.pk, "place"])).content.decode()
    assert "Plass og skule" in page and "Vel ein skule" in page and "Heil plass (5 dagar i veka)" in page
