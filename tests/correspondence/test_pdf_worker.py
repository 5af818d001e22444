"""Against a real Celery worker on the "pdf" queue, PostgreSQL and a private redis-server:
letters get their PDF after commit, and a worker killed (SIGKILL) mid-batch loses no letter:
after a restart the sweeper re-queues what was missed and every letter ends with one PDF.

The worker is `celery -A minside worker -Q pdf` as a subprocess in its own process group; it
and the redis-server are ended by their pids."""

import time
from pathlib import Path

import pytest

from correspondence import tasks
from correspondence.models import Letter
from correspondence.services import letter_create
from minside.celery import app as celery_app
from tests.correspondence.conftest import pdf_text
from tests.factories import CitizenFactory
from tests.realservices import wait_for

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def broker(private_redis, use_broker):
    """This process' Celery app on the private broker (not eager), as a web process would be."""
    use_broker(private_redis.url)
    return private_redis.url


@pytest.fixture
def workers(settings, celery_worker_factory):
    """workers(broker_url) starts a worker on the `pdf` queue writing to this test's MEDIA_ROOT."""
    def start(broker_url):
        return celery_worker_factory(broker_url=broker_url, queues="pdf", name="pdf-test",
                                     env={"MEDIA_ROOT": str(Path(settings.MEDIA_ROOT))})
    return start


def _send(citizen, n: int) -> list[Letter]:
    return [letter_create(recipient=citizen, kind=Letter.Kind.DECISION, title=f"Vedtak {i}",
                          template="correspondence/pdf/general.html", context={"body": f"Vedtaket gjelder sak {i}."})
            for i in range(n)]


def _rendered() -> int:
    return Letter.objects.exclude(pdf="").count()


def test_worker_renders_the_pdf_after_commit(broker, workers):
    citizen = CitizenFactory()
    workers(broker)

    (letter,) = _send(citizen, 1)  # autocommit: committed, then published

    wait_for(lambda: _rendered() == 1, 60, what="the worker to render the letter")
    letter.refresh_from_db()
    assert "Vedtaket gjelder sak 0." in pdf_text(letter.pdf.read())


def test_worker_killed_mid_batch_then_restarted_leaves_every_letter_with_one_pdf(broker, workers, settings):
    total = 40
    citizen = CitizenFactory()
    letters = _send(citizen, total)  # all queued before any worker runs
    first = workers(broker)
    wait_for(lambda: _rendered() >= 3, 120, what="a few letters to be rendered")
    first.kill()  # SIGKILL mid-batch: tasks in flight are neither acked nor finished
    done_at_kill = _rendered()

    workers(broker)  # restarted: takes what is still on the queue
    # Redis only redelivers unacked messages after its visibility timeout (an hour); the
    # sweeper is what picks up letters whose task died with the worker.
    wait_for(lambda: celery_app.connection().default_channel.client.llen("pdf") == 0, 120, what="the queue to drain")
    time.sleep(2)
    tasks.periodic_render_missing_pdfs(grace_seconds=0)
    wait_for(lambda: _rendered() == total, 180, what="every letter to be rendered")

    pdfs = list(Letter.objects.filter(pk__in=[lt.pk for lt in letters]).values_list("pdf", flat=True))
    assert len(set(pdfs)) == total and all(pdfs)  # one stored PDF per letter, none shared, none missing
    files = list((Path(settings.MEDIA_ROOT) / "letters").rglob("*.pdf"))
    print(f"\nPDF worker SIGKILL run: {total} letters, {done_at_kill} rendered before the kill, "
          f"{total} after restart + sweep; {len(files) - total} orphan file(s) from renders cut short")


def test_redis_down_at_commit_loses_no_letter(broker, private_redis, workers):
    citizen = CitizenFactory()
    private_redis.stop()

    started = time.monotonic()
    (letter,) = _send(citizen, 1)  # the caller's work commits; the publish fails fast
    took = time.monotonic() - started

    letter.refresh_from_db()
    assert not letter.pdf
    assert letter.notifications.filter(idempotency_key=f"letter-{letter.pk}").exists()
    # Both publishes (the PDF render, the letter's notification) fail fast: no publish retries,
    # one immediate reconnect (settings CELERY_BROKER_*). With kombu's defaults this took 12 s.
    assert took < 2, f"letter_create waited {took:.1f}s on a broker that is down"

    private_redis.start()  # Redis is back, a worker runs, the periodic sweeper does its round
    workers(broker)
    assert tasks.periodic_render_missing_pdfs(grace_seconds=0) == 1
    wait_for(lambda: _rendered() == 1, 60, what="the swept letter to be rendered")
    print(f"\nRedis down at commit: letter_create returned in {took:.2f}s; rendered after Redis returned")
