"""A case from submission to decision, seen from both sides. Kari submits her kindergarten
application (its summary page, "Send søknaden"); a caseworker logs in with e-mail, password
and a TOTP code, opens the case and asks for a document; Kari uploads it (a wrong file first);
the caseworker approves; Kari reads the decision and opens its PDF. axe-core on every citizen
page, including the error state."""

import io
import re

import pytest
from allauth.mfa.totp.internal.auth import (
    TOTP,
    generate_totp_secret,
)
from django.core.cache import cache
from playwright.sync_api import expect
from pypdf import PdfReader

from accounts.selectors import Party
from accounts.services import citizen_get_or_create
from applications import demo as applications_demo
from applications.services import application_start
from cases.models import Case, CaseAccessLog, CaseDocument
from kindergarten.application import child_token
from kindergarten.demo import kindergartens_load
from kindergarten.models import Kindergarten
from registers.demo_data import EMMA, KARI
from tests.browser import assert_accessible, login_with_test_idporten, totp_code
from tests.factories import DepartmentFactory, StaffFactory

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
NOT_A_PDF = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 512
PASSWORD = "correct-horse-battery"
REASONING = "Emma har rett til plass fra august etter barnehageloven § 16."


def kari_draft():
    kari = citizen_get_or_create(national_id=KARI)
    kindergartens = list(Kindergarten.objects.order_by("name")[:2])
    application = application_start(type_key="kindergarten", party=Party(person=kari))
    application.data = {
        "child": {"child": child_token(EMMA)},
        "place": {"start_date": "2027-08-02", "wish_1": str(kindergartens[0].pk), "wish_2": str(kindergartens[1].pk),
                  "wish_3": "", "wish_4": "", "wish_5": "", "attendance": "full_time"},
        "priority": {"grounds": [], "explanation": ""},
        "invoice": {"invoice_to": "applicant"},
    }
    application.save()
    return application


def caseworker_logs_in(page, live_url, email, secret):
    page.goto(f"{live_url}/saksbehandling/")
    page.get_by_label(re.compile("e-post|email", re.I)).fill(email)
    page.get_by_label(re.compile("passord|password", re.I)).fill(PASSWORD)
    page.get_by_role("button", name=re.compile("Logg inn|Log in")).click()
    # Password alone is not enough: the one-time code from the authenticator app.
    page.get_by_label(re.compile("kode|code", re.I)).fill(totp_code(secret))
    page.get_by_role("button", name=re.compile("Logg inn|Log in|Bekreft|Confirm|Sign in", re.I)).click()
    expect(page).to_have_url(re.compile("/saksbehandling/$"))


@pytest.mark.django_db(transaction=True)
def test_case_from_submission_to_decision(page, browser, browser_context_args, live_url, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()  # login rate limits live in the cache
    barnehage = DepartmentFactory(code="barnehage", name="Barnehage")
    applications_demo.load()
    kindergartens_load()
    application = kari_draft()
    secret = generate_totp_secret()
    berit = StaffFactory(email="berit@kommune.example", first_name="Berit", last_name="Barnehagesen",
                         departments=[barnehage])
    TOTP.activate(berit, secret)

    # Kari submits the application from its summary page.
    login_with_test_idporten(page, live_url, "Kari Nordmann")
    page.goto(f"{live_url}/soknad/{application.pk}/oppsummering/")
    page.get_by_role("button", name="Send søknaden").click()
    expect(page.get_by_role("heading", name="Søknaden er mottatt")).to_be_visible()
    case = Case.objects.get()
    case_url = f"{live_url}/saker/{case.pk}/"

    # Her case page: received, expected decision date, nobody has looked at it yet.
    page.goto(f"{live_url}/saker/")
    expect(page.get_by_role("heading", name="Mine saker", level=1)).to_be_visible()
    assert_accessible(page, context="(my cases)")
    page.get_by_role("link", name=case.title).click()
    expect(page.get_by_role("heading", name=case.title, level=1)).to_be_visible()
    expect(page.locator(".case-facts")).to_contain_text(case.case_number)
    expect(page.locator(".case-facts")).to_contain_text("Forventet vedtak")
    expect(page.get_by_text("Ingen i kommunen har åpnet saken din ennå.")).to_be_visible()
    assert_accessible(page, context="(case received)")

    # The caseworker logs in with TOTP, finds the case in the queue and asks for a document.
    staff_context = browser.new_context(**browser_context_args)
    desk = staff_context.new_page()
    desk.set_viewport_size({"width": 1280, "height": 900})
    caseworker_logs_in(desk, live_url, berit.email, secret)
    desk.goto(f"{live_url}/saksbehandling/cases/case/")
    desk.get_by_role("link", name=case.case_number).click()
    expect(desk.locator(".case-desk")).to_contain_text(case.case_number)
    desk.get_by_role("button", name="Tildel meg").click()
    expect(desk.locator(".case-desk__facts")).to_contain_text("Berit Barnehagesen")
    desk.locator("summary", has_text="Be søkeren om opplysninger").click()
    desk.get_by_label("Hva trenger du fra søkeren?").fill("Vi trenger fødselsattest for Emma.")
    desk.locator("textarea[name=documents_requested]").fill("Fødselsattest")
    desk.get_by_role("button", name="Send forespørsel").click()
    expect(desk.locator(".case-desk__facts")).to_contain_text("Venter på opplysninger")

    # Kari sees the request and who opened her case; a wrong file is explained, nothing lost.
    page.goto(case_url)
    expect(page.get_by_text("Vi trenger fødselsattest for Emma.").first).to_be_visible()
    expect(page.locator(".case-facts")).to_contain_text("Stanset mens vi venter på svar fra deg")
    expect(page.locator("section", has_text="Hvem har sett på saken min")).to_contain_text("Berit Barnehagesen")
    assert_accessible(page, context="(information requested)")
    page.get_by_label("Last opp dokumenter").set_input_files(
        files=[{"name": "fodselsattest.pdf", "mimeType": "application/pdf", "buffer": NOT_A_PDF}])
    page.get_by_role("button", name="Send svar").click()
    expect(page.locator(".ds-error-summary")).to_contain_text("fodselsattest.pdf")
    assert_accessible(page, context="(upload refused)")
    assert not CaseDocument.objects.exists()
    page.get_by_label("Last opp dokumenter").set_input_files(
        files=[{"name": "fodselsattest.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    page.get_by_label(re.compile("^Kommentar")).fill("Her er attesten.")
    page.get_by_role("button", name="Send svar").click()
    expect(page.get_by_text("Takk. Vi har mottatt svaret ditt")).to_be_visible()
    expect(page.get_by_role("link", name="fodselsattest.pdf")).to_be_visible()
    assert_accessible(page, context="(answer sent)")

    # The caseworker sees the document and approves.
    desk.reload()
    expect(desk.locator(".case-desk__documents")).to_contain_text("fodselsattest.pdf")
    desk.locator("summary", has_text="Fatt vedtak").click()
    desk.locator("input[name=outcome][value=approved]").check()
    desk.get_by_label("Begrunnelse").fill(REASONING)
    desk.get_by_label("Hjemmel").fill("barnehageloven § 16")
    desk.get_by_role("button", name="Fatt vedtak og send vedtaksbrevet").click()
    expect(desk.locator(".case-desk__facts")).to_contain_text("Vedtak fattet")
    staff_context.close()

    # Kari reads the decision in the kindergarten's own words and opens the PDF.
    page.goto(case_url)
    expect(page.locator(".case-facts")).to_contain_text("Tilbud sendt")
    expect(page.get_by_role("link", name="Klag på vedtaket")).to_be_visible()
    assert_accessible(page, context="(decided)")
    page.get_by_role("link", name="Les vedtaksbrevet").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Vedtak")
    assert_accessible(page, context="(decision letter)")
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("PDF")).first.click()
    pdf_path = tmp_path / "vedtak.pdf"
    download_info.value.save_as(pdf_path)
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf_path.read_bytes())).pages).split())
    assert REASONING in text
    assert case.case_number in text and "Klagefrist" in text

    case.refresh_from_db()
    assert case.status == Case.Status.DECIDED and case.assigned_to == berit
    assert CaseAccessLog.objects.filter(case=case, user=berit).exists()
