"""core.enqueue.task_enqueue() with the broker down: the caller's work is committed, the
publish fails fast (settings CELERY_BROKER_*: no publish retries, one immediate reconnect) and
the broker error is logged; the sweepers deliver later. No Redis needed: the Celery app points at
a port where nothing listens (connection refused, as when Redis is stopped). The same against a
real redis-server that is stopped and started again: tests/notifications/test_worker.py and
tests/correspondence/test_pdf_worker.py."""

import logging
import time

import pytest

from core.enqueue import task_enqueue
from correspondence import tasks as correspondence_tasks
from correspondence.models import Letter
from correspondence.services import letter_create
from minside.celery import app as celery_app
from notifications.models import Notification
from tests.realservices import free_port

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker_down(use_broker):
    use_broker(f"redis://127.0.0.1:{free_port()}/0")  # a free port: nothing listens there


def test_settings_make_a_publish_give_up_at_once():
    options = celery_app.conf.broker_transport_options
    assert options["max_retries"] <= 1 and options["interval_start"] == 0
    assert celery_app.conf.broker_connection_timeout <= 1
    assert options["visibility_timeout"] == 3600  # unchanged: longer than any task's retry backoff


def test_task_enqueue_with_the_broker_down_returns_false_fast_and_logs_the_broker_error(broker_down, caplog):
    logger = logging.getLogger("tests.enqueue")
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="tests.enqueue"):
        queued = task_enqueue(correspondence_tasks.letter_render_pdf_task, args=["x"], logger=logger,
                              what="the test task", fallback="the sweeper will catch up")
    took = time.monotonic() - started

    assert queued is False
    assert took < 1, f"task_enqueue waited {took:.2f}s on a broker that is down"
    [record] = [r for r in caplog.records if r.name == "tests.enqueue"]
    assert record.levelno == logging.WARNING
    assert record.getMessage().startswith("Could not enqueue the test task (OperationalError: ")
    assert "Connection refused" in record.getMessage() and record.getMessage().endswith("the sweeper will catch up")


def test_letter_create_with_the_broker_down_commits_at_once_and_leaves_the_work_to_the_sweepers(
        broker_down, citizen, caplog, django_capture_on_commit_callbacks):
    started = time.monotonic()
    with caplog.at_level(logging.WARNING), django_capture_on_commit_callbacks(execute=True) as callbacks:
        letter = letter_create(recipient=citizen, kind=Letter.Kind.DECISION, title="Vedtak",
                               template="correspondence/pdf/general.html", context={"body": "Vedtak."})
    took = time.monotonic() - started

    assert len(callbacks) == 2  # the PDF render and the letter's notification: both published after commit
    assert took < 2, f"letter_create waited {took:.2f}s on a broker that is down (12 s with kombu's defaults)"
    letter.refresh_from_db()
    assert not letter.pdf  # the sweeper renders it (correspondence.tasks.periodic_render_missing_pdfs)
    assert Notification.objects.get(letter=letter).status == Notification.Status.CREATED  # and sends this
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any(m.startswith(f"Could not enqueue the PDF of letter {letter.pk} (") for m in warnings)
    assert any("the sweeper will pick it up" in m for m in warnings)
