"""The citizen's case pages: status in plain language, expected decision date, timeline,
documents, the answer they must give (upload, withdraw, appeal), in bokmål and nynorsk."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from cases import services
from cases.models import Case, CaseDocument
from cases.transitions import citizen_wording
from tests.factories import CaseFactory

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _wording(language, case):
    with translation.override(language):
        return citizen_wording(application_type=case.application_type, status=case.status)


@pytest.fixture
def awaiting(case, caseworker):
    request = services.case_request_information(
        case=case, by=caseworker, text="Send legeerklæring.", documents_requested="Legeerklæring",
        due_date=timezone.localdate() + datetime.timedelta(days=14))
    return case, request


def test_detail_in_bokmal_shows_status_deadline_and_timeline(client, case, citizen):
    client.force_login(citizen)
    body = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert _wording("nb", case) in body
    assert "Forventet vedtak" in body
    assert case.case_number in body
    assert "Hvem har sett på saken min" in body


def test_detail_in_nynorsk(client, case, citizen):
    client.force_login(citizen)
    client.cookies["django_language"] = "nn"
    client.cookies["django_language"] = "nn"
    body = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'lang="nn"' in body
    assert _wording("nn", case) in body
    assert "Kven har sett på saka mi" in body


def test_kindergarten_decision_uses_its_own_words(client, case, caseworker, citizen):
    services.case_start_review(case=case, by=caseworker)
    services.case_decide(case=case, by=caseworker, outcome="approved", reasoning="Ja.", legal_basis="§ 16")
    client.force_login(citizen)
    body = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Tilbud sendt" in body
    assert "Klag på vedtaket" in body


def test_citizen_uploads_the_requested_document(client, awaiting, citizen):
    case, request = awaiting
    client.force_login(citizen)
    body = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Send legeerklæring." in body and 'type="file"' in body
    upload = SimpleUploadedFile("erklaering.pdf", PDF_BYTES, content_type="application/pdf")
    response = client.post(reverse("cases:answer", args=[case.pk, request.pk]),
                           {f"{request.pk}-files": [upload], f"{request.pk}-comment": "Her"})
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).status == Case.Status.UNDER_REVIEW
    document = CaseDocument.objects.get(case=case)
    download = client.get(reverse("cases:document", args=[case.pk, document.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF_BYTES
    assert "attachment" in download["Content-Disposition"]


def test_a_wrong_file_is_explained_and_nothing_changes(client, awaiting, citizen):
    case, request = awaiting
    client.force_login(citizen)
    fake = SimpleUploadedFile("erklaering.pdf", b"just text, not a pdf", content_type="application/pdf")
    response = client.post(reverse("cases:answer", args=[case.pk, request.pk]), {f"{request.pk}-files": [fake]})
    assert response.status_code == 400
    body = response.content.decode()
    assert "erklaering.pdf" in body and "ds-error-summary" in body
    assert Case.objects.get(pk=case.pk).status == Case.Status.AWAITING_INFORMATION
    assert not CaseDocument.objects.exists()


def test_withdraw(client, case, citizen):
    client.force_login(citizen)
    assert client.get(reverse("cases:withdraw", args=[case.pk])).status_code == 200
    response = client.post(reverse("cases:withdraw", args=[case.pk]), {"reason": "Fikk plass privat"})
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).status == Case.Status.WITHDRAWN


def test_appeal_before_and_after_the_deadline(client, case, caseworker, citizen):
    services.case_start_review(case=case, by=caseworker)
    decision = services.case_decide(case=case, by=caseworker, outcome="rejected", reasoning="Nei.", legal_basis="§ 1")
    client.force_login(citizen)
    url = reverse("cases:appeal", args=[case.pk])
    response = client.post(url, {"text": ""})
    assert response.status_code == 400  # an empty appeal is explained, not sent
    assert Case.objects.get(pk=case.pk).status == Case.Status.DECIDED

    decision.appeal_deadline = timezone.localdate() - datetime.timedelta(days=1)
    decision.save()
    response = client.post(url, {"text": "Jeg er uenig"})
    assert response.status_code == 400
    assert Case.objects.get(pk=case.pk).status == Case.Status.DECIDED

    decision.appeal_deadline = timezone.localdate()
    decision.save()
    assert client.post(url, {"text": "Jeg er uenig"}).status_code == 302
    assert Case.objects.get(pk=case.pk).status == Case.Status.APPEALED


def test_case_list_query_count_is_flat(client, citizen, department):
    client.force_login(citizen)
    counts = []
    for n in (2, 30):
        while Case.objects.filter(applicant=citizen).count() < n:
            CaseFactory(applicant=citizen, department=department)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("cases:list")).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_anonymous_is_sent_to_login(client, case):
    response = client.get(reverse("cases:list"))
    assert response.status_code == 302 and "logg-inn" in response["Location"]


def test_case_page_query_count_is_flat_as_the_timeline_grows(client, case, caseworker, citizen):
    client.force_login(citizen)
    url = reverse("cases:detail", args=[case.pk])
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        counts.append(len(captured))
        for i in range(10):  # more events, notes and staff views
            services.case_note_add(case=case, by=caseworker, text=f"notat {i}")
            services.case_access_record(case=case, user=caseworker)
            case.events.create(kind="status_changed", to_status="under_review", public=True, text=f"hendelse {i}",
                               actor=caseworker)
    assert counts[0] == counts[1]
