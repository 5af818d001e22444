"""A decision arrives; the header shows one unread; the citizen opens it, downloads and reads
the PDF, and replies in the case's thread (first with a mistake, then properly). axe-core on
every page visited, including the error state."""

import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from accounts.services import citizen_get_or_create
from cases.services import case_create
from correspondence.models import Letter, MessageThread
from correspondence.services import letter_create
from registers.demo_data import KARI
from tests.browser import assert_accessible, login_with_test_idporten
from tests.factories import DepartmentFactory


def _inbox_link(page):
    # The main menu's Inbox link (its label is the layout's, so match both languages).
    return page.locator(".site-nav").get_by_role("link", name=re.compile("^(Innboks|Inbox)"))


DECISION_TEXT = "Emma har fått plass i Solsiden barnehage fra 1. august."


@pytest.mark.django_db(transaction=True)
def test_decision_arrives_citizen_reads_the_pdf_and_replies(page, live_url, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Given: Kari's kindergarten case gets a decision letter (sent the way the cases app sends it).
    kari = citizen_get_or_create(national_id=KARI)
    case = case_create(application_type="kindergarten", title="Barnehageplass for Emma",
                       department=DepartmentFactory(code="barnehage", name="Barnehage"), applicant=kari)
    letter = letter_create(recipient=kari, kind=Letter.Kind.DECISION, title="Vedtak om barnehageplass",
                           template="correspondence/pdf/general.html", context={"body": DECISION_TEXT},
                           case=case, needs_notice=True)

    # When Kari logs in, the header says one unread.
    login_with_test_idporten(page, live_url, "Kari Nordmann")
    inbox_link = _inbox_link(page)
    expect(inbox_link).to_contain_text("1")
    # The home page's inbox section shows it too.
    expect(page.get_by_role("region", name="Siste brev og meldinger")).to_contain_text("Vedtak om barnehageplass")
    assert_accessible(page, context="(home with the inbox section)")

    # The inbox shows the decision, marked unread.
    inbox_link.click()
    expect(page.get_by_role("heading", name="Innboks", level=1)).to_be_visible()
    item = page.locator(".inbox-item", has_text="Vedtak om barnehageplass")
    expect(item.get_by_text("Ulest", exact=True).first).to_be_visible()
    assert_accessible(page, context="(inbox, one unread)")

    # She opens it: it is marked read, and the header no longer counts it.
    page.get_by_role("link", name=re.compile("Vedtak om barnehageplass")).click()
    expect(page.get_by_role("heading", name="Vedtak om barnehageplass", level=1)).to_be_visible()
    assert_accessible(page, context="(letter)")
    letter.refresh_from_db()
    assert letter.read_at is not None and letter.read_by == kari
    expect(_inbox_link(page)).not_to_contain_text("1")

    # She downloads the PDF and it says what the decision is.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Last ned brevet (PDF)").click()
    pdf_path = tmp_path / "vedtak.pdf"
    download_info.value.save_as(pdf_path)
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(pdf_path).pages).split())
    assert DECISION_TEXT in text
    assert case.case_number in text

    # She replies in the case's thread, first forgetting to write anything.
    page.get_by_role("button", name="Send melding").click()
    expect(page.get_by_role("alert")).to_contain_text("Meldingen ble ikke sendt")
    assert_accessible(page, context="(thread, error state)")
    page.get_by_label("Meldingen din").fill("Takk! Vi takker ja til plassen.")
    page.get_by_label("Vedlegg (valgfritt)").set_input_files(files=[{
        "name": "signert-aksept.pdf", "mimeType": "application/pdf",
        "buffer": b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n",
    }])
    page.get_by_role("button", name="Send melding").click()

    expect(page.get_by_text("Meldingen din er sendt.")).to_be_visible()
    expect(page.get_by_text("Takk! Vi takker ja til plassen.")).to_be_visible()
    expect(page.get_by_role("link", name="signert-aksept.pdf")).to_be_visible()
    assert_accessible(page, context="(thread after reply)")

    thread = MessageThread.objects.get(case=case)
    message = thread.messages.get()
    assert (message.sender, message.from_municipality, message.attachments.count()) == (kari, False, 1)

    # The conversation is in the inbox too.
    _inbox_link(page).click()
    expect(page.get_by_role("link", name=f"{case.case_number} {case.title}")).to_be_visible()
    assert_accessible(page, context="(inbox with the conversation)")
