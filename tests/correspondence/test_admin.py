"""The caseworker's side: the case page's message and letter inlines (delivery and read
status), the thread page where they answer, and PDFs only for their departments."""

import pytest
from django.urls import reverse

from correspondence import services
from correspondence.models import Letter, Message
from notifications.models import Notification
from tests.correspondence.conftest import exe_named_pdf, pdf_file
from tests.factories import DepartmentFactory, MessageFactory, MessageThreadFactory, StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_department_caseworker(db):
    return StaffFactory(departments=[DepartmentFactory(code="byggesak", name="Byggesak")])


def _letter(citizen, case):
    return services.letter_create(recipient=citizen, kind=Letter.Kind.DECISION, title="Vedtak om plass",
                                  template="correspondence/pdf/general.html", context={"body": "Innvilget."}, case=case)


@pytest.mark.urls("tests.correspondence.admin_urls")
def test_case_page_shows_messages_letters_delivery_and_read_status(client, caseworker, citizen, case):
    thread = services.thread_get_or_create_for_case(case=case)
    services.message_create(thread=thread, sender=citizen, body="Når får vi svar?", from_municipality=False,
                            attachments=[pdf_file("legeerklaering.pdf")])
    letter = _letter(citizen, case)
    Notification.objects.filter(letter=letter).update(channel=Notification.Channel.DIGITAL_MAILBOX,
                                                      status=Notification.Status.DELIVERED)
    services.letter_mark_read(letter=letter, by=citizen)
    client.force_login(caseworker)
    client.cookies["django_language"] = "en"

    response = client.get(reverse("casetest:cases_case_change", args=[case.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Når får vi svar?" in html
    assert "legeerklaering.pdf" in html
    assert "Vedtak om plass" in html
    assert "Digital mailbox: Delivered" in html
    assert citizen.get_full_name() in html  # read by
    assert reverse("caseworker:correspondence_messagethread_for_case", args=[case.pk]) in html
    assert reverse("caseworker:correspondence_letter_pdf", args=[letter.pk]) in html


@pytest.mark.urls("tests.correspondence.admin_urls")
def test_case_page_for_a_letter_not_read_says_so(client, caseworker, citizen, case):
    _letter(citizen, case)
    client.force_login(caseworker)
    client.cookies["django_language"] = "nb"
    assert "Ikke lest" in client.get(reverse("casetest:cases_case_change", args=[case.pk])).content.decode()


def test_caseworker_opens_the_thread_from_the_case_and_answers(client, caseworker, citizen, case):
    client.force_login(caseworker)
    citizen_message = MessageFactory(thread=services.thread_get_or_create_for_case(case=case), body="Spørsmål")

    response = client.get(reverse("caseworker:correspondence_messagethread_for_case", args=[case.pk]), follow=True)
    assert response.status_code == 200
    assert "Spørsmål" in response.content.decode()
    citizen_message.refresh_from_db()
    assert citizen_message.read_at is not None  # the citizen can see it was read
    assert case.access_log.filter(user=caseworker).exists()  # staff access to personal data is logged

    thread = case.message_thread
    change_url = reverse("caseworker:correspondence_messagethread_change", args=[thread.pk])
    response = client.post(change_url, {"reply": "Svar fra kommunen", "reply_attachments": [pdf_file()],
                                        **_inline_management(thread)})

    assert response.status_code == 302, response.content.decode()[:3000]
    answer = thread.messages.get(from_municipality=True)
    assert (answer.body, answer.sender, answer.case) == ("Svar fra kommunen", caseworker, case)
    assert answer.attachments.count() == 1
    assert Notification.objects.filter(idempotency_key=f"message-{answer.pk}", recipient=citizen).exists()


def _inline_management(thread):
    prefix = "messages"
    count = thread.messages.count()
    return {f"{prefix}-TOTAL_FORMS": str(count), f"{prefix}-INITIAL_FORMS": str(count),
            f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000",
            **{f"{prefix}-{i}-id": str(m.pk) for i, m in enumerate(thread.messages.all())},
            **{f"{prefix}-{i}-thread": str(thread.pk) for i, _m in enumerate(thread.messages.all())}}


def test_caseworker_answer_with_a_bad_file_is_refused_and_nothing_sent(client, caseworker, case):
    client.force_login(caseworker)
    client.cookies["django_language"] = "en"
    thread = services.thread_get_or_create_for_case(case=case)

    response = client.post(reverse("caseworker:correspondence_messagethread_change", args=[thread.pk]),
                           {"reply": "Se vedlegg", "reply_attachments": [exe_named_pdf()], **_inline_management(thread)})

    assert response.status_code == 200
    assert "not a file type we accept" in response.content.decode()
    assert not Message.objects.exists()
    assert not Notification.objects.filter(template="message").exists()


def test_general_threads_are_listed_for_caseworkers(client, caseworker, citizen):
    MessageFactory(thread=MessageThreadFactory(citizen=citizen, subject="Kontakt kommunen"))
    client.force_login(caseworker)
    html = client.get(reverse("caseworker:correspondence_messagethread_changelist")).content.decode()
    assert "Kontakt kommunen" in html


def test_caseworker_of_another_department_sees_neither_thread_nor_letter(client, other_department_caseworker, citizen, case):
    thread = services.thread_get_or_create_for_case(case=case)
    MessageFactory(thread=thread, body="Bare for barnehage")
    letter = _letter(citizen, case)
    client.force_login(other_department_caseworker)

    assert client.get(reverse("caseworker:correspondence_messagethread_for_case", args=[case.pk])).status_code == 404
    assert client.get(reverse("caseworker:correspondence_letter_pdf", args=[letter.pk])).status_code == 404
    change = client.get(reverse("caseworker:correspondence_messagethread_change", args=[thread.pk]), follow=True)
    assert "Bare for barnehage" not in change.content.decode()
    assert thread.messages.get().read_at is None


def test_caseworker_downloads_the_letter_pdf(client, caseworker, citizen, case):
    letter = _letter(citizen, case)
    client.force_login(caseworker)
    response = client.get(reverse("caseworker:correspondence_letter_pdf", args=[letter.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    letter.refresh_from_db()
    assert letter.read_at is None  # staff opening it is not the citizen reading it


def test_citizen_cannot_use_the_caseworker_site(client, citizen, case):
    letter = _letter(citizen, case)
    client.force_login(citizen)
    response = client.get(reverse("caseworker:correspondence_letter_pdf", args=[letter.pk]))
    assert response.status_code == 302  # to the admin login


def test_general_letters_without_a_case_are_not_shown_to_department_caseworkers(client, caseworker, citizen):
    from tests.factories import LetterFactory

    letter = LetterFactory(recipient=citizen, title="Generell info til én innbygger")
    client.force_login(caseworker)
    assert client.get(reverse("caseworker:correspondence_letter_pdf", args=[letter.pk])).status_code == 404
    changelist = client.get(reverse("caseworker:correspondence_letter_changelist")).content.decode()
    assert "Generell info til én innbygger" not in changelist
