"""The letters a case sends, rendered to PDF and read back (pypdf)."""

import datetime
import io

import pytest
from django.utils import timezone
from pypdf import PdfReader

from cases import services
from correspondence.models import Letter
from correspondence.pdf import render_pdf


def pdf_text(letter) -> str:
    pdf = render_pdf(template=letter.template, context=letter.context, language=letter.language)
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.mark.parametrize(("language", "expected"), [
    ("nb", ["Vedtak", "Klagefrist", "Slik klager du"]),
    ("nn", ["Vedtak", "Klagefrist", "Slik klagar du"]),
    ("en", ["Decision", "appeal", "How to appeal"]),
])
def test_decision_letter_pdf_says_what_was_decided_and_how_to_appeal(case, caseworker, citizen, language, expected):
    citizen.preferred_language = language
    citizen.save()
    services.case_start_review(case=case, by=caseworker)
    decision = services.case_decide(case=case, by=caseworker, outcome="approved",
                                    reasoning="Barnet har rett til plass fra august.",
                                    legal_basis="barnehageloven § 16")
    text = pdf_text(Letter.objects.get(pk=decision.letter_id))
    assert case.case_number in text
    assert "Barnet har rett til plass fra august." in text
    assert "barnehageloven § 16" in text
    assert decision.appeal_deadline.isoformat() in text
    for words in expected:
        assert words.lower() in text.lower(), words


def test_information_request_pdf(case, caseworker):
    due = timezone.localdate() + datetime.timedelta(days=14)
    request = services.case_request_information(case=case, by=caseworker, text="Vi trenger legeerklæring.",
                                                documents_requested="Legeerklæring for barnet", due_date=due)
    text = pdf_text(Letter.objects.get(pk=request.letter_id))
    assert "Vi trenger legeerklæring." in text
    assert "Legeerklæring for barnet" in text
    assert due.isoformat() in text
