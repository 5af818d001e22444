"""Day-7 reminders (rows with a due time) and the sweeper that re-queues what was left behind."""

import datetime

import pytest
from django.utils import timezone

from notifications.models import Notification
from notifications.services import notification_create, notification_deliver, notification_sweep
from registers.delivery import LocalSpool
from tests.factories import CitizenFactory, LetterFactory, NotificationFactory

Channel, Status = Notification.Channel, Notification.Status
pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(monkeypatch):
    """Time travel: timezone.now() answers what the test sets."""
    state = {"now": timezone.now()}
    monkeypatch.setattr(timezone, "now", lambda: state["now"])
    return state


@pytest.fixture
def enqueued(monkeypatch):
    """What the sweeper hands to Celery (the real enqueue, recorded before it runs)."""
    from notifications import services

    ids = []
    original = services.notification_enqueue

    def record(*, notification_id, countdown=None):
        ids.append(str(notification_id))
        return original(notification_id=notification_id, countdown=countdown)

    monkeypatch.setattr(services, "notification_enqueue", record)
    return ids


def send_letter_notice(citizen, **letter_kwargs):
    letter = LetterFactory(recipient=citizen, **letter_kwargs)
    row = notification_create(recipient=citizen, template="letter", letter=letter, idempotency_key=f"letter-{letter.pk}")
    notification_deliver(notification_id=row.pk)
    return letter


def test_unread_letter_that_needs_notice_gets_a_reminder_on_day_7(clock, krr, mailoutbox, enqueued):
    citizen = CitizenFactory(email="ola@example.no")
    day0 = clock["now"]
    letter = send_letter_notice(citizen, kind="decision", needs_notice=True, title="Vedtak")
    reminder = Notification.objects.get(template="letter_reminder", letter=letter)
    assert reminder.status == Status.CREATED
    assert reminder.next_attempt_at.date() == (day0 + datetime.timedelta(days=7)).date()

    clock["now"] = day0 + datetime.timedelta(days=6, hours=23)
    notification_sweep()
    assert str(reminder.pk) not in enqueued

    clock["now"] = day0 + datetime.timedelta(days=7, minutes=1)
    notification_sweep()  # eager Celery in tests: the enqueue delivers at once

    assert str(reminder.pk) in enqueued
    reminder.refresh_from_db()
    assert reminder.status == Status.SENT
    assert [m.subject for m in mailoutbox] == ["Nytt brev fra Eksempel kommune",
                                               "Påminnelse: ulest brev fra Eksempel kommune"]


def test_a_letter_read_before_day_7_gets_no_reminder(clock, krr, mailoutbox):
    citizen = CitizenFactory(email="ola@example.no")
    day0 = clock["now"]
    letter = send_letter_notice(citizen, kind="decision", needs_notice=True)
    letter.read_at = day0 + datetime.timedelta(days=2)
    letter.save()

    clock["now"] = day0 + datetime.timedelta(days=7, minutes=1)
    notification_sweep()

    reminder = Notification.objects.get(template="letter_reminder", letter=letter)
    assert reminder.status == Status.CANCELLED
    assert len(mailoutbox) == 1


def test_letters_without_notice_need_and_mailbox_letters_get_no_reminder(clock, krr, per):
    citizen = CitizenFactory(email="ola@example.no")
    send_letter_notice(citizen, kind="general", needs_notice=False)
    send_letter_notice(per, kind="decision", needs_notice=True)  # Digipost reminds by itself
    assert not Notification.objects.filter(template="letter_reminder").exists()


def test_sweeper_requeues_rows_left_in_created_and_overdue_retries(clock, enqueued):
    now = clock["now"]
    fresh = NotificationFactory()
    old = NotificationFactory()
    Notification.objects.filter(pk=old.pk).update(created_at=now - datetime.timedelta(minutes=10))
    overdue = NotificationFactory(status=Status.TEMPORARY_FAILURE, next_attempt_at=now - datetime.timedelta(minutes=10))
    waiting = NotificationFactory(status=Status.TEMPORARY_FAILURE, next_attempt_at=now + datetime.timedelta(minutes=10))

    result = notification_sweep()

    assert str(old.pk) in enqueued and str(overdue.pk) in enqueued
    assert str(fresh.pk) not in enqueued and str(waiting.pk) not in enqueued
    assert result["requeued"] == 2


def test_sweeper_times_out_stuck_sms_and_resends_it_without_a_second_delivery(clock, krr):
    """The worker died after the gateway took the SMS but before recording it."""
    citizen = CitizenFactory(mobile="+4791112222")
    row = NotificationFactory(recipient=citizen, channel=Channel.SMS, status=Status.SENDING, attempts=1)
    from registers.sms import sms_gateway

    sms_gateway().send(to="+4791112222", text="…", client_reference=str(row.pk))
    Notification.objects.filter(pk=row.pk).update(updated_at=clock["now"] - datetime.timedelta(hours=1))

    result = notification_sweep()

    row.refresh_from_db()
    assert result["timed_out_retried"] == 1
    assert row.status == Status.SENT
    spool = LocalSpool("sms")
    assert len(spool.accepted()) == 1
    assert [c["outcome"] for c in spool.calls()] == ["accepted", "duplicate"]


def test_sweeper_marks_a_stuck_email_as_technical_failure_for_a_human_to_check(clock):
    row = NotificationFactory(channel=Channel.EMAIL, status=Status.SENDING)
    Notification.objects.filter(pk=row.pk).update(updated_at=clock["now"] - datetime.timedelta(hours=1))

    result = notification_sweep()

    row.refresh_from_db()
    assert result["timed_out_unknown"] == 1
    assert row.status == Status.TECHNICAL_FAILURE
    assert "check and resend" in row.last_error


def test_sweeper_leaves_letters_waiting_for_the_print_batch(clock):
    row = NotificationFactory(channel=Channel.PAPER, status=Status.SENDING)
    Notification.objects.filter(pk=row.pk).update(updated_at=clock["now"] - datetime.timedelta(hours=20))

    notification_sweep()

    row.refresh_from_db()
    assert row.status == Status.SENDING
