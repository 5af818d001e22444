import pytest
from django.urls import reverse

from applications.selectors import application_summary_for_case, attachments_for_case
from applications.services import application_submit, attachment_add
from registers.property import LocalPropertyRegister, RegisterUnavailable, property_register
from tests.factories import StaffFactory

from .conftest import pdf


def test_property_register_finds_demo_property_and_knows_no_other(settings):
    register = property_register()
    assert isinstance(register._adapter, LocalPropertyRegister)
    found = register.lookup(municipality_number=settings.MUNICIPALITY_NUMBER, gnr=12, bnr=34)
    assert found.address.startswith("Storgata 1") and found.designation == "12/34"
    assert register.lookup(municipality_number=settings.MUNICIPALITY_NUMBER, gnr=12, bnr=35) is None
    assert register.lookup(municipality_number="0301", gnr=12, bnr=34) is None
    section = register.lookup(municipality_number=settings.MUNICIPALITY_NUMBER, gnr=8, bnr=21, snr=2)
    assert section.designation == "8/21/2"


def test_property_register_can_be_down():
    with pytest.raises(RegisterUnavailable):
        property_register().lookup(municipality_number="3301", gnr=999, bnr=1)


@pytest.mark.django_db
def test_case_summary_and_attachments_for_caseworker_and_citizen(building_draft, kari):
    case = application_submit(application=building_draft, by=kari)
    sections = application_summary_for_case(case=case)
    assert [s.step for s in sections] == ["kind", "property", "project", "neighbours", "attachments"]
    rows = dict(sections[1].rows)
    assert rows["Address"] == "Storgata 1, 3050 Mjøndalen"
    assert {a["kind"] for a in sections[4].attachments} == {"site_plan", "drawings", "neighbour_receipt"}
    assert [a.kind for a in attachments_for_case(case=case)] == ["site_plan", "drawings", "neighbour_receipt"]


@pytest.mark.django_db
def test_case_without_application_has_an_empty_summary(kari, departments):
    from cases.services import case_create

    case = case_create(application_type="other", title="x", department=departments["barnehage"], applicant=kari)
    assert application_summary_for_case(case=case) == []
    assert not attachments_for_case(case=case).exists()


@pytest.mark.django_db
def test_it_admin_pages_for_types_kindergartens_fees_and_applications(client, kindergarten_draft, kindergartens, fees):
    from applications import demo

    demo.load()
    attachment_add(application=kindergarten_draft, kind="priority_documentation", file=pdf())
    admin = StaffFactory(is_superuser=True)
    client.force_login(admin)
    for name in ("applications_applicationtypeconfig", "kindergarten_kindergarten", "building_permit_buildingfee",
                 "applications_application"):
        assert client.get(reverse(f"admin:{name}_changelist")).status_code == 200
    assert client.get(reverse("admin:applications_application_change", args=[kindergarten_draft.pk])).status_code == 200
    assert client.get(reverse("admin:kindergarten_kindergarten_add")).status_code == 200
    response = client.get(reverse("admin:applications_applicationtypeconfig_add"))
    assert b"building_permit" in response.content


@pytest.mark.django_db
def test_caseworker_site_manages_kindergartens_and_fees(client, departments, kindergartens, fees):
    client.force_login(StaffFactory(departments=[departments["barnehage"]], is_superuser=True))
    assert client.get(reverse("caseworker:kindergarten_kindergarten_changelist")).status_code == 200
    assert client.get(reverse("caseworker:building_permit_buildingfee_changelist")).status_code == 200
