"""Claiming, retries, permanent errors, and enqueue after commit."""

import datetime
import logging

import pytest
from django.db import transaction
from django.utils import timezone

from minside.celery import app as celery_app
from notifications.models import Notification
from notifications.services import notification_create, notification_deliver, notification_enqueue, retry_delay
from tests.factories import CitizenFactory, NotificationFactory

Channel, Status = Notification.Channel, Notification.Status
pytestmark = pytest.mark.django_db


def sms_row(mobile, **kwargs):
    citizen = CitizenFactory(mobile=mobile)
    return NotificationFactory(recipient=citizen, channel=Channel.SMS, **kwargs)


@pytest.mark.parametrize("status", [Status.SENDING, Status.SENT, Status.DELIVERED, Status.PERMANENT_FAILURE,
                                    Status.TECHNICAL_FAILURE, Status.CANCELLED])
def test_row_not_in_a_sendable_state_is_never_sent(status, sms_spool):
    row = sms_row("+4791112222", status=status)

    assert notification_deliver(notification_id=row.pk) is None

    row.refresh_from_db()
    assert row.status == status and row.attempts == 0
    assert sms_spool.calls() == []


def test_a_redelivered_task_message_sends_nothing_twice(sms_spool):
    row = sms_row("+4791112222")

    notification_deliver(notification_id=row.pk)
    notification_deliver(notification_id=row.pk)  # the broker handed the same message out again

    assert [c["outcome"] for c in sms_spool.calls()] == ["accepted"]
    row.refresh_from_db()
    assert row.status == Status.SENT and row.attempts == 1


def test_a_retry_that_is_not_yet_due_is_left_alone(sms_spool):
    row = sms_row("+4791112222", status=Status.TEMPORARY_FAILURE,
                  next_attempt_at=timezone.now() + datetime.timedelta(minutes=5))

    assert notification_deliver(notification_id=row.pk) is None
    assert sms_spool.calls() == []


def test_transient_error_is_retried_then_delivered(sms_spool):
    row = sms_row("+4791239998")  # the local gateway times out on the first try of each message
    now = timezone.now()

    first = notification_deliver(notification_id=row.pk, now=now)
    assert first.status == Status.TEMPORARY_FAILURE
    assert first.last_error == "Gateway timed out"
    # Not before its time …
    assert notification_deliver(notification_id=row.pk, now=now) is None
    # … then again, and through.
    second = notification_deliver(notification_id=row.pk, now=first.next_attempt_at)

    assert second.status == Status.SENT and second.attempts == 2 and second.last_error == ""
    assert [c["outcome"] for c in sms_spool.calls()] == ["timeout", "accepted"]


def test_transient_errors_up_to_the_limit_end_in_technical_failure(settings, sms_spool):
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 3
    row = sms_row("+4791239999")  # always times out
    now = timezone.now()

    for _ in range(3):
        result = notification_deliver(notification_id=row.pk, now=now)
        now = result.next_attempt_at or now

    assert result.status == Status.TECHNICAL_FAILURE
    assert result.attempts == 3
    assert result.next_attempt_at is None
    assert notification_deliver(notification_id=row.pk, now=now + datetime.timedelta(days=1)) is None
    assert len(sms_spool.calls()) == 3


def test_permanent_error_ends_in_permanent_failure_without_retry(sms_spool):
    row = sms_row("+4791230000")  # the gateway rejects the number

    result = notification_deliver(notification_id=row.pk)

    assert result.status == Status.PERMANENT_FAILURE
    assert "rejected" in result.last_error
    assert notification_deliver(notification_id=row.pk, now=timezone.now() + datetime.timedelta(days=1)) is None


def test_backoff_grows_and_is_jittered(settings):
    settings.NOTIFICATIONS_RETRY_BASE_SECONDS = 30
    settings.NOTIFICATIONS_RETRY_MAX_SECONDS = 3600
    delays = [retry_delay(n) for n in range(1, 9)]
    assert 15 <= delays[0] <= 30
    assert 60 <= delays[2] <= 120
    assert all(1800 <= d <= 3600 for d in delays[7:])
    assert len({retry_delay(3) for _ in range(20)}) > 1  # jitter


def test_enqueue_happens_only_after_commit(django_capture_on_commit_callbacks, citizen):
    with django_capture_on_commit_callbacks() as callbacks:
        with transaction.atomic():
            notification_create(recipient=citizen, template="case_received", idempotency_key="case-received-1")
            assert callbacks == []  # nothing handed to Celery inside the transaction
    assert len(callbacks) == 1


def test_nothing_is_enqueued_when_the_transaction_rolls_back(django_capture_on_commit_callbacks, citizen):
    with django_capture_on_commit_callbacks() as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            notification_create(recipient=citizen, template="case_received", idempotency_key="case-received-2")
            raise RuntimeError("the submission failed")
    assert callbacks == []
    assert not Notification.objects.filter(idempotency_key="case-received-2").exists()


def test_the_same_idempotency_key_gives_the_same_row_and_one_enqueue(django_capture_on_commit_callbacks, citizen):
    with django_capture_on_commit_callbacks() as callbacks:
        first = notification_create(recipient=citizen, template="case_received", idempotency_key="k-1")
        second = notification_create(recipient=citizen, template="case_received", idempotency_key="k-1")
    assert first.pk == second.pk
    assert len(callbacks) == 1


def test_due_rows_are_not_enqueued_at_commit(django_capture_on_commit_callbacks, citizen):
    with django_capture_on_commit_callbacks() as callbacks:
        notification_create(recipient=citizen, template="letter_reminder", idempotency_key="r-1",
                            due_at=timezone.now() + datetime.timedelta(days=7))
    assert callbacks == []


@pytest.fixture
def broker_down():
    """The Celery app pointed at a port where nothing listens, as when Redis is stopped."""
    old = {"broker_url": celery_app.conf.broker_url, "task_always_eager": celery_app.conf.task_always_eager}
    celery_app.conf.update(broker_url="redis://127.0.0.1:1/0", task_always_eager=False)
    celery_app._pool = celery_app.amqp._producer_pool = None
    yield
    celery_app.conf.update(**old)
    celery_app._pool = celery_app.amqp._producer_pool = None


def test_a_broker_that_is_down_does_not_fail_the_caller(broker_down, citizen, caplog, django_capture_on_commit_callbacks):
    with caplog.at_level(logging.WARNING, logger="notifications.services"):
        with django_capture_on_commit_callbacks(execute=True):
            row = notification_create(recipient=citizen, template="case_received", idempotency_key="k-down")
        assert notification_enqueue(notification_id=row.pk) is False

    row.refresh_from_db()
    assert row.status == Status.CREATED  # waiting in the outbox for the sweeper
    assert "the sweeper will pick it up" in caplog.text
