"""Who may open a letter, its PDF, a thread and an attachment: the recipient, their
organisation's representatives; everyone else gets 404 (never a hint that it exists)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from correspondence import services
from tests.correspondence.conftest import pdf_file, pdf_text
from tests.factories import LetterFactory, MessageThreadFactory, RepresentationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def letter(citizen):
    return LetterFactory(recipient=citizen, title="Vedtak om plass")


def test_owner_opens_letter_and_downloads_pdf_as_attachment(client, citizen, letter):
    client.force_login(citizen)

    assert client.get(reverse("correspondence:letter-detail", args=[letter.pk])).status_code == 200
    response = client.get(reverse("correspondence:letter-pdf", args=[letter.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert "Vedtak om plass" in pdf_text(b"".join(response.streaming_content))


@pytest.mark.parametrize("url_name", ["correspondence:letter-detail", "correspondence:letter-pdf"])
def test_other_citizen_gets_404(client, other_citizen, letter, url_name):
    client.force_login(other_citizen)
    assert client.get(reverse(url_name, args=[letter.pk])).status_code == 404
    letter.refresh_from_db()
    assert letter.read_at is None


@pytest.mark.parametrize("url_name", ["correspondence:letter-detail", "correspondence:letter-pdf"])
def test_caseworker_gets_404_in_the_citizen_portal(client, caseworker, letter, url_name):
    client.force_login(caseworker)
    assert client.get(reverse(url_name, args=[letter.pk])).status_code == 404


@pytest.mark.parametrize("url_name", ["correspondence:letter-detail", "correspondence:letter-pdf",
                                      "correspondence:inbox"])
def test_anonymous_is_sent_to_login(client, letter, url_name):
    args = [] if url_name == "correspondence:inbox" else [letter.pk]
    response = client.get(reverse(url_name, args=args))
    assert response.status_code == 302
    assert "/logg-inn/" in response["Location"]


def test_organisation_representative_may_open_the_organisations_letter(client, organisation_with_rep, citizen):
    organisation, rep = organisation_with_rep
    letter = LetterFactory(recipient=citizen, organisation=organisation)
    client.force_login(rep)

    assert client.get(reverse("correspondence:letter-pdf", args=[letter.pk])).status_code == 200
    letter.refresh_from_db()
    assert letter.read_by == rep


def test_representation_that_has_ended_gives_404(client, citizen):
    rep = RepresentationFactory(valid_from=datetime.date(2020, 1, 1), valid_to=timezone.localdate() - datetime.timedelta(days=1))
    letter = LetterFactory(recipient=citizen, organisation=rep.organisation)
    client.force_login(rep.person)
    assert client.get(reverse("correspondence:letter-pdf", args=[letter.pk])).status_code == 404


def test_thread_is_visible_to_its_citizen_only(client, citizen, other_citizen):
    thread = MessageThreadFactory(citizen=citizen)
    client.force_login(other_citizen)
    assert client.get(reverse("correspondence:thread-detail", args=[thread.pk])).status_code == 404
    response = client.post(reverse("correspondence:thread-detail", args=[thread.pk]), {"body": "Hei"})
    assert response.status_code == 404
    assert not thread.messages.exists()
    client.force_login(citizen)
    assert client.get(reverse("correspondence:thread-detail", args=[thread.pk])).status_code == 200


def test_attachment_download_only_for_thread_participants(client, citizen, other_citizen):
    thread = MessageThreadFactory(citizen=citizen)
    message = services.message_create(thread=thread, sender=citizen, body="Se vedlegg", from_municipality=False,
                                      attachments=[pdf_file("kvittering.pdf")])
    attachment = message.attachments.get()
    url = reverse("correspondence:attachment", args=[attachment.pk])

    client.force_login(other_citizen)
    assert client.get(url).status_code == 404
    client.force_login(citizen)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="kvittering.pdf"' in response["Content-Disposition"]


def test_posting_to_someone_elses_case_gives_404(client, other_citizen, case):
    client.force_login(other_citizen)
    response = client.post(reverse("correspondence:case-message-create", args=[case.pk]), {"body": "Hei"})
    assert response.status_code == 404
    assert not case.messages.exists()
