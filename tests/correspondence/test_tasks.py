"""PDF rendering runs on the "pdf" queue, the sweeper on "periodic"; with a real broker the
render task is published only after commit."""

import json

import pytest
from celery.signals import before_task_publish

from correspondence import tasks
from correspondence.models import Letter
from correspondence.services import letter_create
from minside.celery import app


def test_render_task_goes_to_the_pdf_queue():
    route = app.amqp.router.route({}, tasks.letter_render_pdf_task.name, (), {})
    assert route["queue"].name == "pdf"


def test_sweeper_is_scheduled_on_the_periodic_queue_and_rendering_on_pdf():
    entry = tasks.beat_schedule["correspondence-render-missing-pdfs"]
    assert entry["task"] == tasks.periodic_render_missing_pdfs.name
    route = app.amqp.router.route({}, tasks.periodic_render_missing_pdfs.name)
    assert route["queue"].name == "periodic"
    assert app.amqp.router.route({}, tasks.letter_render_pdf_task.name)["queue"].name == "pdf"


@pytest.mark.redis
@pytest.mark.django_db
def test_with_a_real_broker_the_render_task_is_published_after_commit_only(citizen, django_capture_on_commit_callbacks, settings):
    import redis

    assert not app.conf.task_always_eager, "needs REDIS_URL: tasks go to the broker"
    published = []

    def capture(sender=None, headers=None, body=None, routing_key=None, **kwargs):
        if sender == tasks.letter_render_pdf_task.name:
            published.append((routing_key, list(body[0])))
    before_task_publish.connect(capture)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            letter = letter_create(recipient=citizen, kind=Letter.Kind.GENERAL, title="Informasjon",
                                   template="correspondence/pdf/general.html", context={"body": "Hei"})
            assert published == []  # still inside the transaction
    finally:
        before_task_publish.disconnect(capture)

    assert published == [("pdf", [str(letter.pk)])]
    # Take our message off the queue again (no worker runs in this test).
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    ours = [raw for raw in client.lrange("pdf", 0, -1) if str(letter.pk) in json.dumps(json.loads(raw))]
    assert len(ours) == 1  # it really is on the broker, once
    client.lrem("pdf", 1, ours[0])
