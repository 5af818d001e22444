import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from accounts.selectors import Party
from building_permit.tests.factories import BuildingFeeFactory
from kindergarten.application import child_token
from kindergarten.tests.factories import KindergartenFactory
from registers import demo_data
from tests.factories import CitizenFactory, DepartmentFactory, OrganisationFactory, RepresentationFactory

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name="dokument.pdf"):
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _english_outside_requests():
    # Services' messages are asserted in English (the source strings); pages render in the
    # language each request asks for (bokmål by default), and the override keeps a request's
    # language from leaking into the next test.
    with translation.override("en"):
        yield


@pytest.fixture
def departments(db):
    return {code: DepartmentFactory(code=code, name=code.title()) for code in ("barnehage", "byggesak")}


@pytest.fixture
def kari(db):
    return CitizenFactory(national_id=demo_data.KARI, first_name="Kari", last_name="Nordmann")


@pytest.fixture
def ahmed_for_ali_bygg(db):
    ahmed = CitizenFactory(national_id=demo_data.AHMED, first_name="Ahmed", last_name="Ali")
    org = OrganisationFactory(organisation_number="988077917", name="Ali Bygg AS")
    RepresentationFactory(person=ahmed, organisation=org)
    return Party(person=ahmed, organisation=org)


@pytest.fixture
def kindergartens(db):
    return [KindergartenFactory(name=f"Barnehage {c}") for c in "ABCDEF"]


@pytest.fixture
def fees(db):
    return [BuildingFeeFactory(permit_kind="20-4", category="garage", amount=8900),
            BuildingFeeFactory(permit_kind="20-3", category="new_dwelling", amount=31500)]


def kindergarten_data(kindergartens, *, start=datetime.date(2027, 8, 2), child=demo_data.EMMA):
    return {
        "child": {"child": child_token(child)},
        "place": {"start_date": start.isoformat(), "wish_1": str(kindergartens[0].pk),
                  "wish_2": str(kindergartens[1].pk), "wish_3": "", "wish_4": "", "wish_5": "",
                  "attendance": "full_time"},
        "priority": {"grounds": [], "explanation": ""},
        "invoice": {"invoice_to": "applicant"},
    }


def building_data(*, objections="no"):
    return {
        "kind": {"permit_kind": "20-4", "responsible_applicant": ""},
        "property": {"gnr": "12", "bnr": "34", "fnr": "", "snr": ""},
        "project": {"category": "garage", "description": "Dobbel garasje, 40 m²", "built_up_area": "40,0",
                    "follows_zoning_plan": "yes", "other_authority": "no"},
        "neighbours": {"notified_on": "2026-11-01", "objections": objections},
        "attachments": {},
    }


@pytest.fixture
def kindergarten_draft(kari, kindergartens, departments):
    from applications.services import application_start

    application = application_start(type_key="kindergarten", party=Party(person=kari))
    application.data = kindergarten_data(kindergartens)
    application.save()
    return application


@pytest.fixture
def building_draft(kari, fees, departments):
    from applications.services import application_start, attachment_add

    application = application_start(type_key="building_permit", party=Party(person=kari))
    application.data = building_data()
    application.save()
    for kind in ("site_plan", "drawings", "neighbour_receipt"):
        attachment_add(application=application, kind=kind, file=pdf(f"{kind}.pdf"))
    return application
