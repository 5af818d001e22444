"""Several municipalities on one installation, in the browser: Kari picks Lier on the shared
domain's list, applies there, and follows the case from Drammen's Min Side after the family
moved; a caseworker of an IKT-samarbeid works Lier's and Øvre Eiker's queues, each on its own
host. axe-core on every page; every *.localhost host resolves to 127.0.0.1 in Chromium."""

import datetime
import re
from urllib.parse import urlparse

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts import demo as accounts_demo
from accounts import tenancy
from applications import demo as applications_demo
from cases.models import Case
from kindergarten.demo import kindergartens_load
from tests.browser import assert_accessible
from tests.factories import DepartmentFactory, StaffFactory

PASSWORD = "correct-horse-battery"


def _start_date() -> str:
    """The first August after a month from now (within the form's two years), as the form wants."""
    day = timezone.localdate() + datetime.timedelta(days=31)
    august = datetime.date(day.year, 8, 1)
    return (august if august >= day else august.replace(year=day.year + 1)).isoformat()


@pytest.fixture
def municipalities(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    drammen, lier, eiker = accounts_demo.municipalities_load()
    with tenancy.municipality_scope(drammen):
        accounts_demo.load()  # people and organisations
    for municipality in (lier, eiker):
        with tenancy.municipality_scope(municipality):
            applications_demo.load()
            kindergartens_load()
    return drammen, lier, eiker


def _on(live_url: str, host: str) -> str:
    return f"http://{host}:{urlparse(live_url).port}"


def _citizen_login(page, base: str):
    page.goto(f"{base}/konto/logg-inn/")
    page.get_by_role("button", name="Logg inn med ID-porten").click()
    page.get_by_role("button", name="Kari Nordmann").click()
    page.get_by_role("button", name=re.compile("Meg selv")).click()


def test_kari_applies_in_lier_and_follows_the_case_from_drammen(page, live_url, municipalities):
    drammen, lier, _eiker = municipalities
    # The shared domain lists the municipalities; Kari picks Lier.
    page.goto(_on(live_url, "localhost") + "/")
    expect(page.get_by_role("heading", name=re.compile("velg kommunen din"), level=1)).to_be_visible()
    assert_accessible(page, context="(the list of municipalities)")
    page.get_by_role("link", name="Lier kommune").click()
    expect(page).to_have_url(re.compile(r"^http://lier\.localhost:\d+/$"))
    expect(page.locator(".site-header")).to_contain_text("Lier kommune")
    assert_accessible(page, context="(Lier's front page)")

    # She applies for Emma in Lier: Lier's kindergartens are the choices.
    lier_url = _on(live_url, "lier.localhost")
    _citizen_login(page, lier_url)
    page.locator(".site-nav").get_by_role("link", name="Søk").click()
    page.get_by_role("button", name="Start: Barnehageplass").click()
    page.get_by_label(re.compile("Emma Nordmann")).check()
    page.get_by_role("button", name="Neste").click()
    expect(page.get_by_label("Ønske 1").locator("option", has_text="Tranby barnehage")).to_have_count(1)
    expect(page.get_by_label("Ønske 1").locator("option", has_text="Eventyrskogen")).to_have_count(0)
    assert_accessible(page, context="(Lier's place step)")
    page.get_by_label("Ønsket oppstartsdato").fill(_start_date())
    page.get_by_label("Ønske 1").select_option(label="Tranby barnehage")
    page.get_by_label("Heltid (5 dager i uken)").check()
    page.get_by_role("button", name="Neste").click()
    page.get_by_role("button", name="Neste").click()  # no priority
    page.get_by_label(re.compile("Meg \\(Kari Nordmann\\)")).check()
    page.get_by_role("button", name="Neste").click()
    page.get_by_role("button", name="Send søknaden").click()
    expect(page.get_by_role("heading", name="Søknaden er mottatt")).to_be_visible()
    case = Case.objects.get()
    assert case.municipality == lier and case.department.municipality == lier
    assert_accessible(page, context="(receipt in Lier)")

    # The family lives in Drammen: on Drammen's Min Side the Lier case is there, marked Lier.
    drammen_url = _on(live_url, "drammen.localhost")
    _citizen_login(page, drammen_url)
    expect(page.locator(".site-header")).to_contain_text("Drammen kommune")
    row = page.locator(".application-case", has_text=case.case_number)
    expect(row).to_contain_text("Lier kommune")
    assert_accessible(page, context="(Drammen's Min Side with the Lier case)")
    row.get_by_role("link", name=re.compile("Barnehageplass for Emma")).click()
    expect(page.get_by_role("heading", name=re.compile("Barnehageplass for Emma"), level=1)).to_be_visible()
    expect(page.locator(".case-facts")).to_contain_text("Lier kommune")
    assert_accessible(page, context="(the Lier case on Drammen's Min Side)")
    page.locator(".site-nav").get_by_role("link", name="Mine saker").click()
    expect(page.locator("main")).to_contain_text("Lier kommune")
    assert_accessible(page, context="(my cases, marked by municipality)")


def _staff_login(page, base: str, email: str):
    page.goto(f"{base}/saksbehandling/")
    page.get_by_label(re.compile("e-post|email", re.I)).fill(email)
    page.get_by_label(re.compile("passord|password", re.I)).fill(PASSWORD)
    page.get_by_role("button", name=re.compile("Logg inn|Log in")).click()


def test_a_caseworker_works_in_two_municipalities_each_on_its_host(page, live_url, municipalities):
    from accounts.models import User
    from cases.services import case_create

    drammen, lier, eiker = municipalities
    kari = User.objects.get(first_name="Kari")
    lier_dept = DepartmentFactory(municipality=lier, code="barnehage", name="Barnehage")
    eiker_dept = DepartmentFactory(municipality=eiker, code="barnehage", name="Barnehage")
    lier_case = case_create(application_type="kindergarten", title="Barnehageplass i Lier", department=lier_dept,
                            applicant=kari)
    eiker_case = case_create(application_type="kindergarten", title="Barnehageplass i Øvre Eiker",
                             department=eiker_dept, applicant=kari)
    StaffFactory(email="barnehage@ikt-samarbeid.example", departments=[lier_dept, eiker_dept])

    _staff_login(page, _on(live_url, "lier.localhost"), "barnehage@ikt-samarbeid.example")
    page.goto(_on(live_url, "lier.localhost") + "/saksbehandling/cases/case/")
    expect(page.locator("#header")).to_contain_text("Lier kommune")
    expect(page.locator("#result_list")).to_contain_text(lier_case.title)
    expect(page.locator("#result_list")).not_to_contain_text(eiker_case.title)
    assert_accessible(page, context="(Lier's queue)")

    _staff_login(page, _on(live_url, "ovre-eiker.localhost"), "barnehage@ikt-samarbeid.example")
    page.goto(_on(live_url, "ovre-eiker.localhost") + "/saksbehandling/cases/case/")
    expect(page.locator("#header")).to_contain_text("Øvre Eiker kommune")
    expect(page.locator("#result_list")).to_contain_text(eiker_case.title)
    expect(page.locator("#result_list")).not_to_contain_text(lier_case.title)
    assert_accessible(page, context="(Øvre Eiker's queue)")
    # Drammen is not theirs: its caseworker site does not let them in.
    page.goto(_on(live_url, "drammen.localhost") + "/saksbehandling/")
    expect(page.locator("main, #content").first).not_to_contain_text(lier_case.title)
