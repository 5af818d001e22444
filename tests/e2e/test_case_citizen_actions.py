"""The citizen's answers on a case page: appeal a decision (first with nothing written), and
withdraw an application; the pages in nynorsk. axe-core on every page and error state."""

import pytest
from playwright.sync_api import expect

from accounts.services import citizen_get_or_create
from cases import services
from cases.models import Case
from registers.demo_data import KARI
from tests.browser import assert_accessible, login_with_test_idporten
from tests.factories import DepartmentFactory, StaffFactory


@pytest.mark.django_db(transaction=True)
def test_appeal_and_withdraw(page, live_url, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    barnehage = DepartmentFactory(code="barnehage", name="Barnehage")
    berit = StaffFactory(departments=[barnehage])
    kari = citizen_get_or_create(national_id=KARI)
    decided = services.case_create(application_type="kindergarten", title="Barnehageplass for Noah",
                                   department=barnehage, applicant=kari)
    services.case_start_review(case=decided, by=berit)
    services.case_decide(case=decided, by=berit, outcome="rejected", reasoning="Ingen ledige plasser.",
                         legal_basis="barnehageloven § 16")
    pending = services.case_create(application_type="kindergarten", title="Barnehageplass for Emma",
                                   department=barnehage, applicant=kari)

    login_with_test_idporten(page, live_url, "Kari Nordmann")

    # Appeal: the decision says "on the waiting list" (the kindergarten's own words).
    page.goto(f"{live_url}/saker/{decided.pk}/")
    expect(page.locator(".case-facts")).to_contain_text("På venteliste")
    page.get_by_role("link", name="Klag på vedtaket").click()
    expect(page.get_by_role("heading", name="Klag på vedtaket", level=1)).to_be_visible()
    assert_accessible(page, context="(appeal form)")
    page.get_by_role("button", name="Send klage").click()
    summary = page.locator(".ds-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    assert_accessible(page, context="(appeal, error state)")
    summary.get_by_role("link").first.click()
    expect(page.get_by_label("Hvorfor klager du på vedtaket?")).to_be_focused()
    page.get_by_label("Hvorfor klager du på vedtaket?").fill("Vi bor nær Solsikken og har søsken der.")
    page.get_by_role("button", name="Send klage").click()
    expect(page.get_by_text("Vi har mottatt klagen din.")).to_be_visible()
    expect(page.locator(".case-facts")).to_contain_text("Klage mottatt")
    assert_accessible(page, context="(appealed)")

    # Withdraw the other application.
    page.goto(f"{live_url}/saker/{pending.pk}/")
    page.get_by_role("link", name="Trekk søknaden").click()
    expect(page.get_by_role("heading", name="Trekk søknaden", level=1)).to_be_visible()
    assert_accessible(page, context="(withdraw)")
    page.get_by_role("button", name="Trekk søknaden").click()
    expect(page.get_by_text("Søknaden din er trukket.")).to_be_visible()
    expect(page.get_by_role("link", name="Trekk søknaden")).to_have_count(0)
    assert_accessible(page, context="(withdrawn)")

    # The same pages in nynorsk.
    page.get_by_role("button", name="Norsk nynorsk").click()
    page.goto(f"{live_url}/saker/")
    expect(page.get_by_role("heading", name="Mine saker", level=1)).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "nn")
    assert_accessible(page, context="(my cases, nynorsk)")
    page.goto(f"{live_url}/saker/{decided.pk}/")
    expect(page.get_by_role("heading", name="Kven har sett på saka mi")).to_be_visible()
    assert_accessible(page, context="(case, nynorsk)")

    assert Case.objects.get(pk=decided.pk).status == Case.Status.APPEALED
    assert Case.objects.get(pk=pending.pk).status == Case.Status.WITHDRAWN
