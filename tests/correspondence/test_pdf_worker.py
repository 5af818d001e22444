"""Against a real Celery worker on the "pdf" queue, PostgreSQL and a private redis-server:
letters get their PDF after commit, and a worker killed (SIGKILL) mid-batch loses no letter:
after a restart the sweeper re-queues what was missed and every letter ends with one PDF.

The worker is `celery -A minside worker -Q pdf` as a subprocess in its own process group; it
and the redis-server are ended by their pids."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection

from correspondence import tasks
from correspondence.models import Letter
from correspondence.services import letter_create
from minside.celery import app as celery_app
from tests.correspondence.conftest import pdf_text
from tests.factories import CitizenFactory

BASE_DIR = Path(django_settings.BASE_DIR)
pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


class RedisServer:
    """A redis-server of this test only (so no other test's FLUSHDB or worker touches our
    queue), which the test may stop and start again on the same port."""

    def __init__(self, tmp_path):
        self.port, self.dir, self.process = _free_port(), tmp_path, None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        import redis

        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.dir)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        _wait_for(lambda: _pings(redis, self.url), 10, "redis-server")
        return self

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path).start()
    yield server
    server.stop()


@pytest.fixture
def private_redis(redis_server):
    return redis_server.url


def _pings(redis, url) -> bool:
    try:
        return redis.Redis.from_url(url).ping()
    except redis.exceptions.ConnectionError:
        return False


@pytest.fixture
def broker(private_redis):
    """Point this process' Celery app at the private broker (not eager), as a web process would be."""
    saved = {"broker_url": celery_app.conf.broker_url, "task_always_eager": celery_app.conf.task_always_eager}
    celery_app.conf.update(broker_url=private_redis, task_always_eager=False)
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    yield private_redis
    celery_app.conf.update(**saved)
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


class PdfWorker:
    def __init__(self, *, broker_url: str, media_root: Path, log_path: Path):
        self.broker_url, self.media_root, self.log_path = broker_url, media_root, log_path
        self.process = None

    def start(self):
        db = connection.settings_dict
        env = {
            **os.environ, "DJANGO_ENV": "test",
            "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
            "REDIS_URL": self.broker_url, "CELERY_BROKER_URL": self.broker_url, "CELERY_TASK_ALWAYS_EAGER": "false",
            "MEDIA_ROOT": str(self.media_root), "LOG_LEVEL": "WARNING",
        }
        log = open(self.log_path, "ab")  # noqa: SIM115 - open for the subprocess' lifetime
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "minside", "worker", "-Q", "pdf", "-c", "2", "--pool", "prefork",
             "-n", f"pdf-test-{os.getpid()}-{time.monotonic_ns()}@%h",
             "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "WARNING"],
            cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        return self

    def kill(self):
        """SIGKILL the whole process group: no warm shutdown, no acks."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def workers(settings, tmp_path):
    started = []

    def start(broker_url):
        worker = PdfWorker(broker_url=broker_url, media_root=Path(settings.MEDIA_ROOT),
                           log_path=tmp_path / "worker.log").start()
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


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

    _wait_for(lambda: _rendered() == 1, 60, "the worker to render the letter")
    letter.refresh_from_db()
    assert "Vedtaket gjelder sak 0." in pdf_text(letter.pdf.read())


def test_worker_killed_mid_batch_then_restarted_leaves_every_letter_with_one_pdf(broker, workers, settings):
    total = 40
    citizen = CitizenFactory()
    letters = _send(citizen, total)  # all queued before any worker runs
    first = workers(broker)
    _wait_for(lambda: _rendered() >= 3, 120, "a few letters to be rendered")
    first.kill()  # SIGKILL mid-batch: tasks in flight are neither acked nor finished
    done_at_kill = _rendered()

    workers(broker)  # restarted: takes what is still on the queue
    # Redis only redelivers unacked messages after its visibility timeout (an hour); the
    # sweeper is what picks up letters whose task died with the worker.
    _wait_for(lambda: celery_app.connection().default_channel.client.llen("pdf") == 0, 120, "the queue to drain")
    time.sleep(2)
    tasks.periodic_render_missing_pdfs(grace_seconds=0)
    _wait_for(lambda: _rendered() == total, 180, "every letter to be rendered")

    pdfs = list(Letter.objects.filter(pk__in=[lt.pk for lt in letters]).values_list("pdf", flat=True))
    assert len(set(pdfs)) == total and all(pdfs)  # one stored PDF per letter, none shared, none missing
    files = list((Path(settings.MEDIA_ROOT) / "letters").rglob("*.pdf"))
    print(f"\nPDF worker SIGKILL run: {total} letters, {done_at_kill} rendered before the kill, "
          f"{total} after restart + sweep; {len(files) - total} orphan file(s) from renders cut short")


def test_redis_down_at_commit_loses_no_letter(broker, redis_server, workers):
    citizen = CitizenFactory()
    redis_server.stop()

    started = time.monotonic()
    (letter,) = _send(citizen, 1)  # the caller's work commits; the publish fails fast
    took = time.monotonic() - started

    letter.refresh_from_db()
    assert not letter.pdf
    assert letter.notifications.filter(idempotency_key=f"letter-{letter.pk}").exists()
    # kombu retries the connection a few times (about 6 s per publish with the default
    # transport options; the notification's publish is a second one): slow, but it returns.
    assert took < 30, f"letter_create waited {took:.1f}s on a broker that is down"

    redis_server.start()  # Redis is back, a worker runs, the periodic sweeper does its round
    workers(broker)
    assert tasks.periodic_render_missing_pdfs(grace_seconds=0) == 1
    _wait_for(lambda: _rendered() == 1, 60, "the swept letter to be rendered")
    print(f"\nRedis down at commit: letter_create returned in {took:.2f}s; rendered after Redis returned")
