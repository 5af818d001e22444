"""Several municipalities on one installation: the municipality as data, decided by the host,
shown on every page, letter and notice, and enforced in one place (accounts.tenancy)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django_scopes import ScopeError, scope

from accounts import tenancy
from accounts.kommunenummer import KOMMUNENUMMER, validate_kommunenummer
from accounts.models import Municipality, MunicipalityRole
from cases.models import Case
from cases.services import case_create, case_request_information
from correspondence.models import Letter
from correspondence.services import letter_pdf_context, letter_render_pdf
from notifications.models import Notification
from notifications.services import notification_render
from tests.factories import (
    CitizenFactory,
    DepartmentFactory,
    MunicipalityFactory,
    MunicipalityHostFactory,
    StaffFactory,
)

DRAMMEN, LIER, EIKER = "drammen.localhost", "lier.localhost", "ovre-eiker.localhost"


@pytest.fixture
def places(db):
    Municipality.objects.filter(number="3301").update(name="Drammen kommune", organisation_number="939214895")
    drammen = MunicipalityFactory(number="3301")
    lier = MunicipalityFactory(number="3312", name="Lier kommune", organisation_number="857566122")
    eiker = MunicipalityFactory(number="3314", name="Øvre Eiker kommune")
    for municipality, host in ((drammen, DRAMMEN), (lier, LIER), (eiker, EIKER)):
        MunicipalityHostFactory(municipality=municipality, host=host)
    return {"drammen": drammen, "lier": lier, "eiker": eiker}


def _case(municipality, applicant, title="Barnehageplass for Emma"):
    department = DepartmentFactory(municipality=municipality, code="barnehage", name="Barnehage")
    return case_create(application_type="kindergarten", title=title, department=department, applicant=applicant)


# --- the municipality as data ------------------------------------------------------------------

def test_the_list_has_the_357_municipalities_of_2024():
    assert len(KOMMUNENUMMER) == 357
    assert KOMMUNENUMMER["3301"] == "Drammen" and KOMMUNENUMMER["5501"] == "Tromsø"


@pytest.mark.parametrize("number", ["3005", "5401", "0602", "330", "33O1", ""])
def test_a_retired_or_malformed_number_is_refused(number):
    with pytest.raises(ValidationError):
        validate_kommunenummer(number)


def test_the_first_municipality_comes_from_the_old_environment_values(db, settings):
    """The data migration made the installation's settings its first municipality (the test
    database was migrated with the defaults), with SITE_URL's host."""
    first = Municipality.objects.order_by("pk").first()
    assert (first.number, first.name, first.email, first.phone) == (
        settings.MUNICIPALITY_NUMBER, settings.MUNICIPALITY_NAME, settings.MUNICIPALITY_CONTACT_EMAIL,
        settings.MUNICIPALITY_PHONE)
    assert first.primary_host == "127.0.0.1"
    assert first.departments.filter(code__in=["barnehage", "byggesak"]).count() == 2


# --- decided by the host -------------------------------------------------------------------------

def test_each_host_gets_its_municipality_on_every_page(client, places):
    for host, name in ((DRAMMEN, "Drammen kommune"), (LIER, "Lier kommune")):
        html = client.get(reverse("landing"), HTTP_HOST=host).content.decode()
        assert name in html
        assert places["drammen" if host == DRAMMEN else "lier"].email in html  # contact details in the footer


def test_the_bare_domain_lists_the_municipalities_and_sends_other_pages_there(client, places):
    html = client.get("/", HTTP_HOST="localhost").content.decode()
    assert "Drammen kommune" in html
    for name, host in (("Lier kommune", LIER), ("Øvre Eiker kommune", EIKER)):
        assert name in html and f"http://{host}/" in html
    assert client.get(reverse("home"), HTTP_HOST="localhost")["Location"] == reverse("landing")


def test_an_installation_with_one_municipality_serves_it_on_any_host(client, db):
    assert "Eksempel kommune" in client.get("/", HTTP_HOST="minside.kommune.example.localhost").content.decode()


def test_a_query_outside_a_municipalitys_scope_raises(places):
    with scope(municipality=places["drammen"].pk):  # a scope without the records dimension
        with pytest.raises(ScopeError):
            list(Case.objects.all())


# --- citizens: services of the host, their own records everywhere --------------------------------

def test_a_family_that_moved_follows_its_lier_case_on_drammens_min_side(client, places):
    kari = CitizenFactory()
    lier_case = _case(places["lier"], kari)
    drammen_case = _case(places["drammen"], kari, title="Barnehageplass for Noah")
    client.force_login(kari)
    listing = client.get(reverse("cases:list"), HTTP_HOST=DRAMMEN).content.decode()
    assert lier_case.title in listing and drammen_case.title in listing
    assert "Lier kommune" in listing  # the Lier case is marked with its municipality
    page = client.get(reverse("cases:detail", args=[lier_case.pk]), HTTP_HOST=DRAMMEN)
    assert page.status_code == 200 and "Lier kommune" in page.content.decode()


def test_the_catalogue_offers_the_hosts_services_with_its_settings(client, places):
    from applications.models import ApplicationTypeConfig

    ApplicationTypeConfig.objects.create(municipality=places["lier"], type_key="building_permit", enabled=False)
    client.force_login(CitizenFactory())
    lier = client.get(reverse("applications:catalogue"), HTTP_HOST=LIER).content.decode()
    drammen = client.get(reverse("applications:catalogue"), HTTP_HOST=DRAMMEN).content.decode()
    assert reverse("applications:start", args=["building_permit"]) not in lier
    assert reverse("applications:start", args=["building_permit"]) in drammen


def test_a_draft_is_started_in_the_hosts_municipality(client, places):
    from applications.models import Application

    kari = CitizenFactory()
    client.force_login(kari)
    client.post(reverse("applications:start", args=["kindergarten"]), HTTP_HOST=LIER)
    assert Application.objects.get(applicant=kari).municipality == places["lier"]


# --- letters and notices carry the municipality ---------------------------------------------------

def test_a_letter_has_its_municipalitys_letterhead(places, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    from pypdf import PdfReader

    kari = CitizenFactory()
    case = _case(places["lier"], kari)
    caseworker = StaffFactory(departments=[case.department])
    case_request_information(case=case, by=caseworker, text="Send legeerklæring", documents_requested="",
                             due_date=timezone.localdate() + datetime.timedelta(days=7))
    letter = Letter.objects.get(case=case)
    assert letter.municipality == places["lier"]
    letter_render_pdf(letter=letter)
    letter.refresh_from_db()
    text = "".join(page.extract_text() for page in PdfReader(letter.pdf.path).pages)
    assert "Lier kommune" in text and "857566122" in text and places["lier"].email in text
    assert "Drammen" not in text
    assert letter_pdf_context(letter=letter)["case_number"] == case.case_number


def test_a_notice_names_the_municipality_and_links_to_its_host(places):
    case = _case(places["lier"], CitizenFactory())
    notice = Notification.objects.filter(case=case).first() or Notification.objects.create(
        municipality=places["lier"], recipient=case.applicant, template="case_status_changed", case=case,
        context={"case_number": case.case_number}, idempotency_key="t-1")
    rendered = notification_render(notification=notice, language="nb")
    assert "Lier kommune" in rendered.body and "Lier kommune" in rendered.sms
    assert f"://{LIER}" in rendered.body and DRAMMEN not in rendered.body


def test_case_numbers_run_per_municipality(places):
    kari = CitizenFactory()
    first_lier = _case(places["lier"], kari)
    first_eiker = _case(places["eiker"], kari)
    year = timezone.localdate().year
    assert first_lier.case_number == first_eiker.case_number == f"{year}/1"


# --- staff ------------------------------------------------------------------------------------------

def test_a_caseworker_in_two_municipalities_works_each_on_its_host(client, places):
    kari = CitizenFactory()
    lier_case, eiker_case = _case(places["lier"], kari), _case(places["eiker"], kari, title="Plass for Noah")
    drammen_case = _case(places["drammen"], kari, title="Plass i Drammen")
    shared = StaffFactory(departments=[lier_case.department, eiker_case.department])
    client.force_login(shared)
    queue = reverse("caseworker:cases_case_changelist")
    in_lier = client.get(queue, HTTP_HOST=LIER).content.decode()
    in_eiker = client.get(queue, HTTP_HOST=EIKER).content.decode()
    assert lier_case.title in in_lier and eiker_case.title not in in_lier and "Lier kommune" in in_lier
    assert eiker_case.title in in_eiker and lier_case.title not in in_eiker and "Øvre Eiker kommune" in in_eiker
    # Not a caseworker in Drammen: its site lets them nowhere, and its cases are 404 from Lier.
    assert client.get(queue, HTTP_HOST=DRAMMEN).status_code == 302
    assert client.get(reverse("caseworker:cases_case_change", args=[drammen_case.pk]),
                      HTTP_HOST=LIER).status_code == 404
    assert client.get(reverse("caseworker:cases_case_change", args=[eiker_case.pk]), HTTP_HOST=LIER).status_code == 404


def test_the_header_says_where_staff_work_and_links_to_their_other_municipalities(client, places):
    lier_dept = DepartmentFactory(municipality=places["lier"], code="barnehage")
    eiker_dept = DepartmentFactory(municipality=places["eiker"], code="barnehage")
    client.force_login(StaffFactory(departments=[lier_dept, eiker_dept]))
    html = client.get(reverse("accessibility"), HTTP_HOST=LIER).content.decode()
    assert "Lier kommune" in html and f"//{EIKER}" in html and f"//{DRAMMEN}" not in html


def test_a_municipal_administrator_has_a_role_in_one_municipality_only(places):
    admin = StaffFactory()
    MunicipalityRole.objects.create(user=admin, municipality=places["lier"], role=MunicipalityRole.Role.ADMINISTRATOR)
    from accounts.selectors import municipality_role_in, staff_municipalities

    assert staff_municipalities(user=admin) == [places["lier"]]
    with tenancy.municipality_scope(places["lier"]):
        assert municipality_role_in(user=admin, role=MunicipalityRole.Role.ADMINISTRATOR)
    with tenancy.municipality_scope(places["drammen"]):
        assert not municipality_role_in(user=admin, role=MunicipalityRole.Role.ADMINISTRATOR)


def test_the_national_operator_manages_municipalities_and_sees_no_case(client, places):
    _case(places["lier"], CitizenFactory())
    operator = StaffFactory(is_national_operator=True)
    client.force_login(operator)
    assert client.get(reverse("admin:accounts_municipality_changelist"), HTTP_HOST="localhost").status_code == 200
    assert "Lier kommune" in client.get(reverse("admin:accounts_municipality_changelist"),
                                        HTTP_HOST="localhost").content.decode()
    for host in (LIER, "localhost"):
        assert client.get(reverse("caseworker:cases_case_changelist"), HTTP_HOST=host).status_code == 302
        # 403 on a municipality's host; the bare domain sends every such page to the list.
        assert client.get(reverse("api-caseworker-queue"), HTTP_HOST=host).status_code in (403, 302)


# --- tasks and beat jobs run in the row's municipality ----------------------------------------------

def test_a_beat_job_runs_once_in_each_municipality(places):
    from cases.models import InformationRequest
    from cases.tasks import periodic_expire_information_requests

    caseworkers = {}
    for key in ("lier", "eiker"):
        case = _case(places[key], CitizenFactory())
        caseworkers[key] = StaffFactory(departments=[case.department])
        case_request_information(case=case, by=caseworkers[key], text="Send", documents_requested="",
                                 due_date=timezone.localdate() + datetime.timedelta(days=1))
    InformationRequest.objects.update(due_date=timezone.localdate() - datetime.timedelta(days=1))
    assert periodic_expire_information_requests() == 2
    assert set(Case.objects.values_list("status", flat=True)) == {"under_review"}


def test_a_task_runs_in_the_scope_of_its_rows_municipality(places, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    from correspondence.tasks import letter_render_pdf_task

    case = _case(places["lier"], CitizenFactory())
    case_request_information(case=case, by=StaffFactory(departments=[case.department]), text="Send",
                             documents_requested="", due_date=timezone.localdate() + datetime.timedelta(days=3))
    letter = Letter.objects.get(case=case)
    with tenancy.staff_scope(places["drammen"].pk):  # a worker that last worked for Drammen
        letter_render_pdf_task(str(letter.pk))
    letter.refresh_from_db()
    assert letter.pdf


def test_a_municipal_administrator_edits_their_municipalitys_choices_only(client, places):
    admin = StaffFactory()
    MunicipalityRole.objects.create(user=admin, municipality=places["lier"], role=MunicipalityRole.Role.ADMINISTRATOR)
    client.force_login(admin)
    listing = client.get(reverse("admin:accounts_municipality_changelist"), HTTP_HOST=LIER).content.decode()
    assert "Lier kommune" in listing and "Øvre Eiker kommune" not in listing
    change = reverse("admin:accounts_municipality_change", args=[places["lier"].pk])
    response = client.post(change, {"name": "Lier kommune", "email": "post@lier.example", "phone": "32 22 01 00",
                                    "cost_per_paper_letter": "30"}, HTTP_HOST=LIER)
    assert response.status_code == 302, response.content.decode()[:2000]
    places["lier"].refresh_from_db()
    assert places["lier"].email == "post@lier.example" and places["lier"].number == "3312"
    # Another municipality's page is not theirs, on their host or on its own.
    other = reverse("admin:accounts_municipality_change", args=[places["eiker"].pk])
    assert client.get(other, HTTP_HOST=LIER).status_code in (302, 404)
    assert client.get(other, HTTP_HOST=EIKER).status_code in (302, 403)
    assert client.get(reverse("admin:accounts_municipality_add"), HTTP_HOST=LIER).status_code == 403
