"""Kari applies for a kindergarten place for Emma: the child from the population register,
a step with errors (error summary, focus), a wrong upload fixed on the way, the summary,
submit, the receipt, and the case on Min Side. axe-core on every page and error state."""

import re

import pytest
from playwright.sync_api import expect

from accounts import demo as accounts_demo
from applications import demo as applications_demo
from applications.models import Application, Attachment
from cases.models import Case
from kindergarten.demo import kindergartens_load
from tests.browser import assert_accessible, login_with_test_idporten

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 512


@pytest.mark.django_db(transaction=True)
def test_kindergarten_application_from_draft_to_case(page, live_url, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    accounts_demo.load()  # people, organisations
    applications_demo.load()  # the types offered
    kindergartens_load()

    login_with_test_idporten(page, live_url, "Kari Nordmann")
    page.get_by_role("button", name=re.compile("Meg selv")).click()

    # "Søk" lists the types with who may apply, what you need and the processing time.
    page.locator(".site-nav").get_by_role("link", name="Søk").click()
    expect(page.get_by_role("heading", name="Søk", level=1)).to_be_visible()
    expect(page.get_by_text("Hvem kan søke").first).to_be_visible()
    assert_accessible(page, context="(catalogue)")
    page.get_by_role("button", name="Start: Barnehageplass").click()

    # Step 1: the children come from the population register, the other guardian too.
    expect(page.get_by_role("heading", name="Barn", level=1)).to_be_visible()
    expect(page.get_by_text(re.compile("Emma Nordmann, født"))).to_be_visible()
    expect(page.get_by_text(re.compile("Per Hansen")).first).to_be_visible()
    assert_accessible(page, context="(step child)")
    page.get_by_role("button", name="Neste").click()
    summary = page.locator(".ds-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link", name="Velg barnet du søker for.")).to_be_visible()
    assert_accessible(page, context="(step child, error state)")
    page.get_by_label(re.compile("Emma Nordmann")).check()
    page.get_by_role("button", name="Neste").click()

    # Step 2: start date, wishes, attendance; the page tells about the right to a place.
    expect(page.get_by_role("heading", name="Plass og barnehager", level=1)).to_be_visible()
    assert_accessible(page, context="(step place)")
    page.get_by_label("Ønsket oppstartsdato").fill("2027-08-02")
    page.get_by_label("Ønske 1").select_option(label="Solsikken barnehage")
    page.get_by_label("Ønske 2").select_option(label="Solsikken barnehage")
    page.get_by_label("Heltid (5 dager i uken)").check()
    page.get_by_role("button", name="Neste").click()
    expect(page.locator(".ds-error-summary")).to_contain_text("Solsikken barnehage er allerede et av ønskene dine.")
    assert_accessible(page, context="(step place, error state)")
    # Nothing typed was lost.
    expect(page.get_by_label("Ønsket oppstartsdato")).to_have_value("2027-08-02")
    expect(page.get_by_label("Heltid (5 dager i uken)")).to_be_checked()
    page.get_by_label("Ønske 2").select_option(label="Eventyrskogen barnehage")
    page.get_by_role("button", name="Neste").click()

    # Step 3: priority with documentation; a renamed .exe is refused, then a PDF is accepted.
    expect(page.get_by_role("heading", name="Prioritet", level=1)).to_be_visible()
    assert_accessible(page, context="(step priority)")
    page.get_by_label("Barnet har nedsatt funksjonsevne (§ 18)").check()
    page.get_by_label("Velg en fil").set_input_files(files=[{"name": "legeerklaering.pdf", "mimeType": "application/pdf", "buffer": EXE}])
    page.get_by_role("button", name="Last opp fil").click()
    expect(page.locator(".ds-error-summary")).to_contain_text("legeerklaering.pdf er ikke en filtype vi tar imot")
    expect(page.locator(".ds-validation-message")).to_contain_text("Tillatte typer: PDF, JPEG, PNG")
    expect(page.get_by_label("Barnet har nedsatt funksjonsevne (§ 18)")).to_be_checked()
    assert_accessible(page, context="(step priority, upload refused)")
    page.get_by_label("Velg en fil").set_input_files(files=[{"name": "legeerklaering.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    page.get_by_role("button", name="Last opp fil").click()
    files = page.get_by_role("list", name="Vedlagte filer")
    expect(files).to_contain_text("legeerklaering.pdf")
    expect(files).to_contain_text("(48 byte)")
    expect(page.locator(".ds-error-summary")).to_have_count(0)
    assert_accessible(page, context="(step priority, file attached)")
    assert Attachment.objects.count() == 1
    page.get_by_role("button", name="Neste").click()

    # Step 4: who receives the invoice.
    expect(page.get_by_role("heading", name="Faktura", level=1)).to_be_visible()
    assert_accessible(page, context="(step invoice)")
    page.get_by_label(re.compile("Meg \\(Kari Nordmann\\)")).check()
    page.get_by_role("button", name="Neste").click()

    # Summary with an Edit link per part; submit.
    expect(page.get_by_role("heading", name="Sjekk søknaden din", level=1)).to_be_visible()
    expect(page.get_by_text("Solsikken barnehage, Sollia 12, 3050 Mjøndalen")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("^(Rediger|Endre) Plass og barnehager")).first).to_be_visible()
    assert_accessible(page, context="(summary)")
    page.get_by_role("button", name="Send søknaden").click()

    # The receipt page names the case; the case is on Min Side with its receipt.
    expect(page.get_by_role("heading", name="Søknaden er mottatt")).to_be_visible()
    case = Case.objects.get()
    expect(page.locator("main")).to_contain_text(case.case_number)
    assert_accessible(page, context="(receipt)")
    assert Application.objects.get().case == case
    assert case.department.code == "barnehage" and "Emma" in case.title
    page.get_by_role("link", name="Tilbake til Min side").click()
    row = page.locator(".application-case", has_text=case.case_number)
    expect(row).to_contain_text("Barnehageplass for Emma")
    expect(row).to_contain_text("30. april 2027")
    expect(row.get_by_role("link", name=re.compile("Last ned kvittering"))).to_be_visible()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390  # no sideways scrolling on a phone
    assert_accessible(page, context="(home with the case)")


@pytest.mark.django_db(transaction=True)
def test_upload_works_without_javascript(browser, live_url, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    accounts_demo.load()
    applications_demo.load()
    kindergartens_load()
    context = browser.new_context(java_script_enabled=False, bypass_csp=True, locale="nb-NO")
    page = context.new_page()
    try:
        login_with_test_idporten(page, live_url, "Kari Nordmann")
        page.get_by_role("button", name=re.compile("Meg selv")).click()
        page.goto(f"{live_url}/soknad/")
        page.get_by_role("button", name="Start: Barnehageplass").click()
        application = Application.objects.get()
        page.goto(f"{live_url}/soknad/{application.pk}/steg/priority/")
        page.get_by_label("Barnevernet har fattet vedtak for barnet (§ 18)").check()
        page.get_by_label("Velg en fil").set_input_files(files=[{"name": "vedtak.pdf", "mimeType": "application/pdf", "buffer": PDF}])
        page.get_by_role("button", name="Last opp fil").click()
        expect(page.get_by_role("list", name="Vedlagte filer")).to_contain_text("vedtak.pdf")
        expect(page.get_by_label("Barnevernet har fattet vedtak for barnet (§ 18)")).to_be_checked()
        page.get_by_role("button", name="Fjern vedtak.pdf").click()
        expect(page.get_by_text("Ingen filer er lagt ved ennå.")).to_be_visible()
    finally:
        context.close()
