"""Kari applies for an SFO place for Sofie: the child from the population register with her
grade, a step with an error first (error summary, focus, nothing lost), priority with
documentation, the invoice, the summary, submit, the receipt, and the case on Min Side.
axe-core on every page and error state, and no sideways scrolling on a phone (390 px)."""

import re

import pytest
from django.utils import translation
from django.utils.formats import date_format
from playwright.sync_api import expect

from accounts import demo as accounts_demo
from applications import demo as applications_demo
from applications.models import Application, Attachment
from cases.models import Case
from sfo.demo import schools_load
from sfo.rules import school_year_label
from tests.browser import assert_accessible, login_with_test_idporten

from .conftest import next_august, sofie_grade

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def check(page, context):
    """Every page: WCAG 2.1 A/AA by axe-core, and nothing wider than the phone's screen."""
    assert_accessible(page, context=context)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390, f"sideways scroll {context}"


@pytest.mark.django_db(transaction=True)
def test_kari_applies_for_an_sfo_place_for_sofie(page, live_url, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    accounts_demo.load()  # people
    applications_demo.load()  # the types offered
    schools_load()
    start, grade = next_august(), sofie_grade()
    grade_text = f"{grade}. trinn i {school_year_label(start.year)}"

    login_with_test_idporten(page, live_url, "Kari Nordmann")
    page.get_by_role("button", name=re.compile("Meg selv")).click()
    page.locator(".site-nav").get_by_role("link", name="Søk").click()
    expect(page.get_by_text("Søk om plass i skolefritidsordningen (SFO)")).to_be_visible()
    check(page, "(catalogue)")
    page.get_by_role("button", name="Start: SFO-plass").click()

    # Step 1: only Sofie can have SFO (Emma and Noah are toddlers), with her grade; the only one, so chosen.
    expect(page.get_by_role("heading", name="Barn", level=1)).to_be_visible()
    sofie = page.get_by_label(re.compile("Sofie Nordmann, født 1. juni 2021"))
    expect(sofie).to_be_checked()
    expect(page.get_by_text(grade_text)).to_be_visible()
    expect(page.get_by_text("Emma Nordmann")).to_have_count(0)
    check(page, "(step child)")
    page.get_by_role("button", name="Neste").click()

    # Step 2: a start date in the past first: the error summary takes the focus, nothing is lost.
    expect(page.get_by_role("heading", name="Plass og skole", level=1)).to_be_visible()
    expect(page.get_by_text("12 timer gratis SFO i uken")).to_be_visible()
    check(page, "(step place)")
    page.get_by_label("Skole", exact=True).select_option(label="Mjøndalen skole")
    page.get_by_label("Ønsket oppstartsdato").fill("2020-08-03")
    page.get_by_label("Hel plass (5 dager i uken)").check()
    page.get_by_label("Ja", exact=True).check()
    page.get_by_role("button", name="Neste").click()
    summary = page.locator(".ds-error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link", name="Oppstartsdatoen kan ikke være tilbake i tid.")).to_be_visible()
    check(page, "(step place, error state)")
    expect(page.get_by_label("Skole", exact=True)).to_have_value(re.compile(r"\d+"))
    expect(page.get_by_label("Hel plass (5 dager i uken)")).to_be_checked()
    expect(page.get_by_label("Ja", exact=True)).to_be_checked()
    page.get_by_label("Ønsket oppstartsdato").fill(start.isoformat())
    page.get_by_role("button", name="Neste").click()

    # Step 3: special needs (required from grade 5) and priority with documentation.
    expect(page.get_by_role("heading", name="Behov og prioritet", level=1)).to_be_visible()
    check(page, "(step needs)")
    if grade >= 5:  # Sofie is in grade 5 from August 2031
        page.get_by_label("Ja", exact=True).check()
        page.get_by_label("Beskriv behovene kort").fill("Trenger tett oppfølging.")
    else:
        page.get_by_label("Nei", exact=True).check()
    page.get_by_label("Barnet har nedsatt funksjonsevne").check()
    page.get_by_label("Velg en fil").set_input_files(files=[{"name": "legeerklaering.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    page.get_by_role("button", name="Last opp fil").click()
    expect(page.get_by_role("list", name="Vedlagte filer")).to_contain_text("legeerklaering.pdf")
    expect(page.get_by_label("Barnet har nedsatt funksjonsevne")).to_be_checked()
    check(page, "(step needs, file attached)")
    assert Attachment.objects.get().kind == "priority_documentation"
    page.get_by_role("button", name="Neste").click()

    # Step 4: who receives the invoice.
    expect(page.get_by_role("heading", name="Faktura", level=1)).to_be_visible()
    check(page, "(step invoice)")
    page.get_by_label(re.compile("Meg \\(Kari Nordmann\\)")).check()
    page.get_by_role("button", name="Neste").click()

    # The summary, then submit.
    expect(page.get_by_role("heading", name="Sjekk søknaden din", level=1)).to_be_visible()
    expect(page.get_by_text("Mjøndalen skole, Skolegata 10, 3050 Mjøndalen")).to_be_visible()
    expect(page.get_by_text(grade_text)).to_be_visible()
    check(page, "(summary)")
    page.get_by_role("button", name="Send søknaden").click()

    # The receipt names the case; the case is on Min Side with its expected answer.
    expect(page.get_by_role("heading", name="Søknaden er mottatt")).to_be_visible()
    case = Case.objects.get()
    expect(page.locator("main")).to_contain_text(case.case_number)
    check(page, "(receipt)")
    assert Application.objects.get().case == case
    assert case.department.code == "sfo" and case.title == "SFO-plass for Sofie"
    assert case.facts["grade"] == grade and case.facts["priority"] == ["disability"]
    page.get_by_role("link", name="Tilbake til Min side").click()
    row = page.locator(".application-case", has_text=case.case_number)
    expect(row).to_contain_text("SFO-plass for Sofie")
    with translation.override("nb"):
        expect(row).to_contain_text(date_format(case.deadline, "DATE_FORMAT"))
    expect(row.get_by_role("link", name=re.compile("Last ned kvittering"))).to_be_visible()
    check(page, "(home with the case)")

