"""Kindergarten admission from both sides: Kari has applied for Emma; the caseworker runs the
admission round from the caseworker site ("Kjør opptak"); Kari finds the offer on her case
page, forgets to choose an answer (error), then accepts. axe-core on every citizen page,
including the error state."""

import datetime
import re

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.cache import cache
from playwright.sync_api import expect

from accounts.services import citizen_get_or_create
from applications import demo as applications_demo
from applications.services import application_submit
from cases.models import Case
from kindergarten.demo import kindergartens_load
from kindergarten.models import Offer
from kindergarten.services import admission_round_create
from registers.demo_data import KARI
from tests.browser import assert_accessible, login_with_test_idporten
from tests.e2e.test_case_journey import caseworker_logs_in, kari_draft
from tests.factories import DepartmentFactory, StaffFactory


@pytest.mark.django_db(transaction=True)
def test_caseworker_runs_admission_and_kari_accepts_on_her_case_page(page, browser, browser_context_args, live_url,
                                                                     tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()  # login rate limits live in the cache
    barnehage = DepartmentFactory(code="barnehage", name="Barnehage")
    applications_demo.load()
    kindergartens_load()
    kari = citizen_get_or_create(national_id=KARI)
    case = application_submit(application=kari_draft(), by=kari)
    round = admission_round_create(name="Hovedopptak 2027", places_start=datetime.date(2027, 8, 1))
    secret = generate_totp_secret()
    berit = StaffFactory(email="berit@kommune.example", first_name="Berit", last_name="Barnehagesen",
                         departments=[barnehage])
    TOTP.activate(berit, secret)

    # The caseworker runs the round from the list of admission rounds.
    staff_context = browser.new_context(**browser_context_args)
    desk = staff_context.new_page()
    desk.set_viewport_size({"width": 1280, "height": 900})
    caseworker_logs_in(desk, live_url, berit.email, secret)
    desk.goto(f"{live_url}/saksbehandling/kindergarten/admissionround/")
    desk.get_by_role("checkbox", name=re.compile(round.name)).check()
    desk.get_by_role("combobox", name=re.compile("Handling|Action", re.I)).select_option(label="Kjør opptak")
    desk.get_by_role("button", name=re.compile("^(Gå|Go)$")).click()
    expect(desk.get_by_text("1 tilbud gitt, 0 nye på ventelisten")).to_be_visible()
    offer = Offer.objects.get(case=case)
    assert (offer.wish_rank, offer.kindergarten.name) == (1, "Elvebredden barnehage")
    desk.get_by_role("link", name=round.name).click()
    expect(desk.get_by_role("table").filter(has_text="Tilbud per barnehage")).to_contain_text(offer.kindergarten.name)
    staff_context.close()

    # Kari's home page asks her to answer; the link opens the offer, which leads to her case.
    login_with_test_idporten(page, live_url, "Kari Nordmann")
    page.goto(f"{live_url}/minside/")
    home = page.get_by_role("region", name="Barnehagetilbud du må svare på")
    expect(home).to_contain_text("svar innen")
    assert_accessible(page, context="(home page with an offer to answer)")
    home.get_by_role("link", name=f"Tilbud om plass i {offer.kindergarten.name}").click()
    expect(page.get_by_role("heading", name=f"Tilbud om plass i {offer.kindergarten.name}", level=1)).to_be_visible()
    assert_accessible(page, context="(offer page)")
    page.get_by_role("link", name=f"Tilbake til sak {case.case_number}").click()

    # On her case page: the offer, with the reply deadline.
    expect(page).to_have_url(re.compile(rf"/saker/{case.pk}/$"))
    expect(page.get_by_role("heading", name=f"Tilbud om plass i {offer.kindergarten.name}")).to_be_visible()
    expect(page.locator(".case-facts").first).to_contain_text("Tilbud sendt")
    assert_accessible(page, context="(case page with an offer)")

    # She sends the answer without choosing: a clear error, nothing lost.
    page.get_by_role("button", name="Send svar").click()
    expect(page.get_by_role("alert")).to_contain_text("Velg om du takker ja eller nei til plassen.")
    assert_accessible(page, context="(offer answer, error state)")

    # She accepts.
    page.get_by_label("Jeg takker ja til plassen").check()
    page.get_by_role("button", name="Send svar").click()
    expect(page).to_have_url(re.compile(rf"/saker/{case.pk}/$"))
    expect(page.get_by_text("Takk. Du har takket ja til plassen.")).to_be_visible()
    expect(page.locator(".case-facts").first).to_contain_text("Takket ja")
    assert_accessible(page, context="(case page after accepting)")
    case.refresh_from_db()
    assert (case.status, case.outcome) == (Case.Status.CLOSED, "approved")
    assert Offer.objects.get(pk=offer.pk).status == Offer.Status.ACCEPTED
