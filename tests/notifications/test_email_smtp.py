"""E-mail through Django's SMTP backend to a real local SMTP server (aiosmtpd)."""

import datetime
import email
import socket

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP

from notifications.models import Notification
from notifications.services import notification_create, notification_deliver
from tests.factories import CitizenFactory, LetterFactory

Status = Notification.Status
pytestmark = pytest.mark.django_db


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Recorder:
    def __init__(self):
        self.messages = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("bounce"):
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session, envelope):
        self.messages.append((envelope.rcpt_tos, email.message_from_bytes(envelope.content)))
        return "250 Message accepted"


@pytest.fixture
def smtp_port(settings):
    port = free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.NOTIFICATIONS_EMAIL_TIMEOUT_SECONDS = 5
    return port


@pytest.fixture
def smtp_server(smtp_port):
    recorder = Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    yield recorder
    controller.stop()


def email_row(address):
    citizen = CitizenFactory(email=address, mobile="", preferred_language="nb")
    letter = LetterFactory(recipient=citizen, title="Vedtak om barnehageplass")
    return notification_create(recipient=citizen, template="letter", letter=letter,
                               idempotency_key=f"letter-{letter.pk}")


def test_email_is_really_received_by_the_smtp_server(smtp_server, krr):
    row = email_row("ola.nordmann@example.no")

    sent = notification_deliver(notification_id=row.pk)

    assert sent.status == Status.SENT
    [(recipients, message)] = smtp_server.messages
    assert recipients == ["ola.nordmann@example.no"]
    assert message["Subject"] == "Nytt brev fra Eksempel kommune"
    assert message["Message-ID"].strip("<>") == sent.provider_reference
    body = message.get_payload(decode=True).decode()
    assert "«Vedtak om barnehageplass»" in body


def test_mail_server_down_is_retried_and_delivered_when_it_is_back(smtp_port, krr):
    row = email_row("kari@example.no")

    # Nothing listens on the port yet.
    first = notification_deliver(notification_id=row.pk)
    assert first.status == Status.TEMPORARY_FAILURE
    assert "Mail server unavailable" in first.last_error

    recorder = Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    try:
        second = notification_deliver(notification_id=row.pk, now=first.next_attempt_at + datetime.timedelta(seconds=1))
    finally:
        controller.stop()
    assert second.status == Status.SENT and second.attempts == 2
    assert len(recorder.messages) == 1


def test_refused_recipient_is_a_permanent_failure(smtp_server, krr):
    row = email_row("bounce@example.no")

    result = notification_deliver(notification_id=row.pk)

    assert result.status == Status.PERMANENT_FAILURE
    assert "550" in result.last_error
    assert smtp_server.messages == []
