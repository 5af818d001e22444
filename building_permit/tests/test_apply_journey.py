"""Ahmed applies for a building permit on behalf of Ali Bygg AS: kind with the plain-language
helper, an unknown property (clear error) then a known one, the project with the fee, saved
and resumed after logging out and in, neighbour notification, the required attachments
(one wrong upload fixed on the way), summary, submit. axe-core on every page and error state."""

import re

import pytest
from playwright.sync_api import expect

from accounts import demo as accounts_demo
from applications import demo as applications_demo
from applications.models import Application
from building_permit.demo import fees_load
from cases.models import Case
from tests.browser import assert_accessible, login_with_test_idporten

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _log_in_for_ali_bygg(page, live_url):
    login_with_test_idporten(page, live_url, "Ahmed Ali")
    page.get_by_role("button", name=re.compile("Ali Bygg AS")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Min Side for Ali Bygg AS")


def _upload(page, section_name, name, content, mime="application/pdf", *, accepted=True):
    section = page.locator("section.attachments", has=page.get_by_role("heading", name=section_name, exact=True))
    section.get_by_label("Velg en fil").set_input_files(files=[{"name": name, "mimeType": mime, "buffer": content}])
    section.get_by_role("button", name="Last opp fil").click()
    if accepted:
        # The page reloads with the file listed (with its size) before the next upload.
        expect(page.get_by_role("status").first).to_contain_text(f"{name} ble lastet opp")
        expect(section.get_by_role("list", name="Vedlagte filer")).to_contain_text(name)


@pytest.mark.django_db(transaction=True)
def test_building_permit_for_an_organisation_resumed_after_logging_in_again(page, live_url, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    accounts_demo.load()
    applications_demo.load()
    fees_load()

    _log_in_for_ali_bygg(page, live_url)
    page.locator(".site-nav").get_by_role("link", name="Søk").click()
    # Acting for an organisation: the kindergarten application is not offered.
    expect(page.get_by_role("button", name="Start: Barnehageplass")).to_have_count(0)
    page.get_by_role("button", name="Start: Byggesøknad").click()

    # Kind, with the plain-language helper; the organisation is the responsible applicant.
    expect(page.get_by_role("heading", name="Type søknad", level=1)).to_be_visible()
    expect(page.get_by_text(re.compile("kan du søke selv om små tiltak"))).to_be_visible()
    expect(page.get_by_label("Organisasjonsnummeret til ansvarlig søker")).to_have_count(0)
    assert_accessible(page, context="(step kind)")
    page.get_by_label("Med ansvarlig søker (§ 20-3)").check()
    page.get_by_role("button", name="Neste").click()

    # Property: an unknown gnr/bnr is a clear error; a known one is found in the register.
    expect(page.get_by_role("heading", name="Eiendom", level=1)).to_be_visible()
    assert_accessible(page, context="(step property)")
    page.get_by_label("Gårdsnummer (gnr)").fill("77")
    page.get_by_label("Bruksnummer (bnr)").fill("1")
    page.get_by_role("button", name="Neste").click()
    expect(page.locator(".ds-error-summary")).to_contain_text("Vi fant ingen eiendom 77/1 i Eksempel kommune")
    expect(page.locator(".ds-error-summary")).to_be_focused()
    expect(page.get_by_label("Gårdsnummer (gnr)")).to_have_value("77")
    assert_accessible(page, context="(step property, unknown property)")
    page.get_by_label("Gårdsnummer (gnr)").fill("45")
    page.get_by_label("Bruksnummer (bnr)").fill("7")
    page.get_by_role("button", name="Neste").click()

    # Project: fill in, then save and continue later.
    expect(page.get_by_role("heading", name="Tiltak", level=1)).to_be_visible()
    assert_accessible(page, context="(step project)")
    page.get_by_label("Hva vil du bygge eller endre?").select_option(label="Næringsbygg eller industribygg")
    page.get_by_label("Beskriv tiltaket").fill("Nytt lagerbygg på 400 m² ved siden av verkstedet.")
    page.get_by_label("Bebygd areal (BYA) i m²").fill("400,5")
    page.locator("#field-follows_zoning_plan").get_by_label("Ja").check()
    page.locator("#field-other_authority").get_by_label("Nei").check()
    page.get_by_role("button", name="Lagre og fortsett senere").click()
    expect(page.get_by_role("status").first).to_contain_text("Søknaden din er lagret")
    draft = page.locator(".draft-card", has_text="Byggesøknad")
    expect(draft).to_contain_text("Utkastet slettes")
    assert_accessible(page, context="(home with a draft)")
    assert Application.objects.get().organisation.name == "Ali Bygg AS"

    # Log out, log in again: the draft is there for the organisation.
    page.get_by_role("button", name="Logg ut").click()
    _log_in_for_ali_bygg(page, live_url)
    page.locator(".draft-card", has_text="Byggesøknad").get_by_role("link", name=re.compile("Fortsett søknaden")).click()

    # It resumes after the last saved step; going back shows what was typed, with the fee.
    expect(page.get_by_role("heading", name="Nabovarsel", level=1)).to_be_visible()
    page.get_by_role("button", name="Tilbake").click()
    expect(page.get_by_label("Beskriv tiltaket")).to_have_value("Nytt lagerbygg på 400 m² ved siden av verkstedet.")
    expect(page.get_by_text(re.compile("Gebyret for denne søknaden er 48"))).to_be_visible()
    page.get_by_role("button", name="Neste").click()

    # Neighbour notification.
    expect(page.get_by_role("heading", name="Nabovarsel", level=1)).to_be_visible()
    assert_accessible(page, context="(step neighbours)")
    page.get_by_label("Dato nabovarselet ble sendt").fill("2026-11-01")
    page.get_by_label("Nei").check()
    page.get_by_role("button", name="Neste").click()

    # Attachments: Next without files lists what is missing; a wrong type is refused.
    expect(page.get_by_role("heading", name="Vedlegg", level=1)).to_be_visible()
    assert_accessible(page, context="(step attachments)")
    page.get_by_role("button", name="Neste").click()
    expect(page.locator(".ds-error-summary li")).to_have_count(3)
    assert_accessible(page, context="(step attachments, missing files)")
    _upload(page, "Situasjonsplan", "situasjonsplan.pdf", b"just text, not a pdf", accepted=False)
    expect(page.locator(".ds-error-summary")).to_contain_text("situasjonsplan.pdf er ikke en filtype vi tar imot")
    assert_accessible(page, context="(step attachments, upload refused)")
    _upload(page, "Situasjonsplan", "situasjonsplan.pdf", PDF)
    _upload(page, "Tegninger", "fasader.png", PNG, mime="image/png")
    _upload(page, "Kvittering for nabovarsel", "nabovarsel-kvittering.pdf", PDF)
    expect(page.get_by_role("list", name="Vedlagte filer")).to_have_count(3)
    # Remove one and add it again: removable.
    page.get_by_role("button", name="Fjern fasader.png").click()
    expect(page.get_by_role("status").first).to_contain_text("fasader.png ble fjernet")
    expect(page.get_by_role("list", name="Vedlagte filer")).to_have_count(2)
    _upload(page, "Tegninger", "fasader.png", PNG, mime="image/png")
    assert_accessible(page, context="(step attachments, all attached)")
    page.get_by_role("button", name="Neste").click()

    # Summary and submit.
    expect(page.get_by_role("heading", name="Sjekk søknaden din", level=1)).to_be_visible()
    expect(page.get_by_text("Industrivegen 12, 3050 Mjøndalen")).to_be_visible()
    expect(page.get_by_text("Ali Bygg AS (988077917)")).to_be_visible()
    assert_accessible(page, context="(summary)")
    page.get_by_role("button", name="Send søknaden").click()
    expect(page.get_by_role("heading", name="Søknaden er mottatt")).to_be_visible()
    assert_accessible(page, context="(receipt)")
    case = Case.objects.get()
    assert case.organisation.name == "Ali Bygg AS" and case.department.code == "byggesak"
    assert "45/7" in case.title
    # Follows the plan, no objections, no other authority: 3 weeks (pbl. § 21-7).
    assert (case.deadline - case.received_at.date()).days == 21
