"""Messages: the citizen writes from the inbox or the case page, with attachments checked by
the application upload rules; a bad file or empty message is refused and nothing is saved."""

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from correspondence import services
from correspondence.models import Message, MessageAttachment, MessageThread
from notifications.models import Notification
from tests.correspondence.conftest import exe_named_pdf, pdf_file, png_file
from tests.factories import MessageFactory, MessageThreadFactory

pytestmark = pytest.mark.django_db


def _stored_files() -> list[str]:
    try:
        dirs, _files = default_storage.listdir("messages")
    except FileNotFoundError:
        return []
    found = []
    for d in dirs:
        found += default_storage.listdir(f"messages/{d}")[1]
    return found


def test_citizen_writes_to_the_municipality_with_attachments(client, citizen):
    client.force_login(citizen)
    thread_url = client.get(reverse("correspondence:contact"))["Location"]

    response = client.post(thread_url, {"body": "Når åpner SFO?", "attachments": [pdf_file(), png_file()]})

    assert response.status_code == 302
    thread = MessageThread.objects.get(citizen=citizen, case=None)
    message = thread.messages.get()
    assert (message.body, message.from_municipality, message.sender) == ("Når åpner SFO?", False, citizen)
    assert sorted(a.content_type for a in message.attachments.all()) == ["application/pdf", "image/png"]
    assert thread.last_message_at is not None
    # The stored names are ours, not the citizen's.
    assert all("vedlegg" not in a.file.name for a in message.attachments.all())
    # A citizen's own message notifies nobody.
    assert not Notification.objects.filter(template="message").exists()


@pytest.mark.parametrize(("upload", "rule"), [
    (lambda: exe_named_pdf(), "not a file type we accept"),
    (lambda: SimpleUploadedFile("tom.pdf", b"", content_type="application/pdf"), "empty"),
    (lambda: [pdf_file(f"{i}.pdf") for i in range(6)], "at most 5 files"),
    (lambda: pdf_file("stor.pdf", size=10 * 1024 * 1024 + 1), "the largest file allowed is"),
])
def test_a_bad_attachment_is_refused_naming_the_rule_and_nothing_is_saved(client, citizen, upload, rule):
    thread = MessageThreadFactory(citizen=citizen)
    client.force_login(citizen)
    client.cookies["django_language"] = "en"

    response = client.post(reverse("correspondence:thread-detail", args=[thread.pk]),
                           {"body": "Her er vedlegget", "attachments": upload()})

    assert response.status_code == 400
    html = response.content.decode()
    assert rule in html.replace("&nbsp;", " ")
    assert "Her er vedlegget" in html  # what they wrote is not lost
    assert not Message.objects.exists()
    assert not MessageAttachment.objects.exists()
    assert _stored_files() == []


def test_an_empty_message_is_refused(client, citizen):
    thread = MessageThreadFactory(citizen=citizen)
    client.force_login(citizen)
    response = client.post(reverse("correspondence:thread-detail", args=[thread.pk]), {"body": "   "})
    assert response.status_code == 400
    assert "ds-error-summary" in response.content.decode()
    assert not Message.objects.exists()


def test_reply_from_the_case_page_returns_to_the_case_page(client, citizen, case):
    client.force_login(citizen)
    case_page = f"/saker/{case.pk}/"

    response = client.post(reverse("correspondence:case-message-create", args=[case.pk]),
                           {"body": "Jeg har et spørsmål", "next": case_page})

    assert response["Location"] == case_page
    thread = MessageThread.objects.get(case=case)
    assert (thread.citizen, thread.messages.get().case) == (citizen, case)


def test_reply_never_redirects_off_site(client, citizen, case):
    client.force_login(citizen)
    response = client.post(reverse("correspondence:case-message-create", args=[case.pk]),
                           {"body": "Hei", "next": "https://evil.example/phish"})
    assert response["Location"] == reverse("correspondence:thread-detail", args=[MessageThread.objects.get(case=case).pk])


def test_municipality_answer_notifies_the_citizen_without_the_message_text(citizen, case, caseworker):
    thread = services.thread_get_or_create_for_case(case=case)

    message = services.message_create(thread=thread, sender=caseworker, body="Hemmelig innhold",
                                      from_municipality=True)

    notification = Notification.objects.get(idempotency_key=f"message-{message.pk}")
    assert (notification.recipient, notification.template, notification.case) == (citizen, "message", case)
    assert "Hemmelig innhold" not in str(notification.context)


def test_one_thread_per_case_and_one_general_thread_per_citizen(citizen, case):
    assert services.thread_get_or_create_for_case(case=case) == services.thread_get_or_create_for_case(case=case)
    assert services.thread_get_or_create_general(citizen=citizen) == services.thread_get_or_create_general(citizen=citizen)
    assert MessageThread.objects.count() == 2


def _render_case_thread(user, case):
    """The case page's thread panel (correspondence.panels.case_thread), rendered as the page does."""
    from accounts.selectors import Party
    from correspondence.panels import case_thread

    request = RequestFactory().get(f"/saker/{case.pk}/")
    request.user = user
    request.party = Party(person=user)
    panel = case_thread(request, case)
    if panel is None:
        return ""
    template, context = panel
    return render_to_string(template, {"panel": context}, request=request)


def test_case_thread_panel_shows_messages_and_a_reply_form_and_marks_read(citizen, case, caseworker):
    thread = services.thread_get_or_create_for_case(case=case)
    answer = services.message_create(thread=thread, sender=caseworker, body="Vi trenger legeerklæring",
                                     from_municipality=True)

    html = _render_case_thread(citizen, case)

    assert "Vi trenger legeerklæring" in html
    assert reverse("correspondence:case-message-create", args=[case.pk]) in html
    assert f'name="next" value="/saker/{case.pk}/"' in html
    answer.refresh_from_db()
    assert answer.read_at is not None


def test_case_thread_panel_shows_nothing_to_another_citizen(other_citizen, case):
    MessageFactory(thread=services.thread_get_or_create_for_case(case=case), body="Privat")
    html = _render_case_thread(other_citizen, case)
    assert "Privat" not in html
    assert "<form" not in html


def test_thread_page_in_nynorsk(client, citizen):
    thread = MessageThreadFactory(citizen=citizen)
    client.force_login(citizen)
    client.cookies["django_language"] = "nn"
    html = client.get(reverse("correspondence:thread-detail", args=[thread.pk])).content.decode()
    assert "Skriv ei melding" in html
    assert "Ingen meldingar enno." in html


def test_representative_writes_about_the_organisations_case_when_acting_for_it(client, make_case, organisation_with_rep):
    from accounts.services import ACTING_FOR_SESSION_KEY

    organisation, rep = organisation_with_rep
    case = make_case(applicant=rep, organisation=organisation)
    client.force_login(rep)
    url = reverse("correspondence:case-message-create", args=[case.pk])

    # Acting for themselves, the organisation's case is not theirs to write about here.
    assert client.post(url, {"body": "Hei"}).status_code == 404
    session = client.session
    session[ACTING_FOR_SESSION_KEY] = str(organisation.pk)
    session.save()
    assert client.post(url, {"body": "Hei"}).status_code == 302
    thread = MessageThread.objects.get(case=case)
    assert thread.organisation == organisation


def test_general_thread_title_follows_the_readers_language(client, citizen):
    client.force_login(citizen)
    client.cookies["django_language"] = "en"
    thread_url = client.get(reverse("correspondence:contact"))["Location"]
    client.post(thread_url, {"body": "Hello"})

    client.cookies["django_language"] = "nn"
    html = client.get(reverse("correspondence:inbox")).content.decode()

    assert "Kontakt kommunen" in html
    assert "Contact the municipality" not in html


def test_thread_page_query_count_stays_flat_as_messages_grow(client, citizen, django_assert_max_num_queries):
    thread = MessageThreadFactory(citizen=citizen)
    client.force_login(citizen)
    url = reverse("correspondence:thread-detail", args=[thread.pk])

    def page_queries(expected):
        with django_assert_max_num_queries(expected):
            assert client.get(url).status_code == 200

    services.message_create(thread=thread, sender=citizen, body="Første", from_municipality=False,
                            attachments=[pdf_file()])
    # session, user, thread, mark read (UPDATE), messages with senders, their attachments,
    # header's two unread counts, base layout's representations check, session save (3)
    page_queries(12)
    for i in range(30):
        services.message_create(thread=thread, sender=citizen, body=f"Melding {i}", from_municipality=False,
                                attachments=[png_file()])
    page_queries(12)


def test_rendering_the_thread_writes_nothing(citizen, case, caseworker):
    # Regression: a template tag marked the messages read while the page rendered. Now the
    # panel marks them while the view builds the page; the template only reads.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    thread = services.thread_get_or_create_for_case(case=case)
    services.message_create(thread=thread, sender=caseworker, body="Vi trenger legeerklæring", from_municipality=True)
    with CaptureQueriesContext(connection) as queries:
        render_to_string("correspondence/case_thread.html", {"panel": {
            "case": case, "thread": thread, "messages": list(thread.messages.all()), "form": None,
            "action": "/", "next": "/", "prefix": "x"}})
    assert not [q for q in queries.captured_queries if not q["sql"].lstrip().upper().startswith("SELECT")]
