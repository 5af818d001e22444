"""Shared fixtures for every test: the suite in tests/ and each service package's own tests
(<package>/tests/). Tests marked `postgres` or `redis` need the real services: without them
they are skipped locally (the reason says which service), and in CI (CI=true) a missing
service is an error, never a skip. Browser journeys: tests/browser.py."""

import os
import socket
from urllib.parse import urlparse

import pytest
from django.conf import settings

from tests.factories import CitizenFactory, DepartmentFactory, StaffFactory

pytest_plugins = ["tests.browser"]

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _answers(url: str, default_port: int) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or default_port), timeout=1):
            return True
    except OSError:
        return False


def pytest_collection_modifyitems(config, items):
    on_postgres = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    redis_url = os.environ.get("REDIS_URL", "")
    missing = {
        "postgres": None if on_postgres else "needs PostgreSQL: set DATABASE_URL=postgres://postgres@127.0.0.1:5432/minside",
        "redis": None if redis_url and _answers(redis_url, 6379) else "needs Redis: set REDIS_URL=redis://127.0.0.1:6379/0 with Redis running",
    }
    for item in items:
        for marker, reason in missing.items():
            if reason and item.get_closest_marker(marker):
                if IN_CI:
                    raise pytest.UsageError(f"CI must not skip {item.nodeid}: {reason}")
                item.add_marker(pytest.mark.skip(reason=reason))


DB_FIXTURES = {"db", "transactional_db", "live_server", "django_db_reset_sequences", "_django_db_helper"}


@pytest.fixture(autouse=True)
def _tenancy(request):
    """Every municipality-owned query runs inside a scope (accounts.tenancy). A test's own set-up
    and assertions read across municipalities; the code under test enters its scope as in
    production (the request middleware, the task decorators), so a view or task that forgets
    its municipality still raises ScopeError here.

    A test with the database has the installation's first municipality (made again after a
    transactional test emptied the database), and each process' host table is loaded before
    the test, so query counts measure the page, not the table's first load."""
    from django_scopes import scopes_disabled

    from accounts import tenancy

    tenancy.cache_clear()
    with scopes_disabled():
        if request.node.get_closest_marker("django_db") or DB_FIXTURES & set(request.fixturenames):
            request.getfixturevalue("_django_db_helper")
            from tests.factories import MunicipalityFactory

            MunicipalityFactory()
            tenancy.municipalities()
        yield
    tenancy.cache_clear()


@pytest.fixture
def municipality(db):
    """The installation's first municipality (3301; the data migration's, or made again after a
    transactional test emptied the database)."""
    from tests.factories import MunicipalityFactory

    return MunicipalityFactory()


@pytest.fixture
def citizen(db):
    return CitizenFactory()


@pytest.fixture
def other_citizen(db):
    return CitizenFactory()


@pytest.fixture
def department(db):
    return DepartmentFactory(code="barnehage", name="Barnehage")


@pytest.fixture
def caseworker(db, department):
    return StaffFactory(departments=[department])


# --- Real services (tests/realservices.py): a private redis-server, Celery workers -----------

@pytest.fixture
def private_redis(tmp_path):
    """A started redis-server of this test only (a tests.realservices.RedisServer: .url,
    .stop(), .start() again on the same port); stopped at the end of the test."""
    import shutil

    from tests.realservices import RedisServer

    if not shutil.which("redis-server"):
        pytest.fail("This test starts a private redis-server: install it (Debian package redis-server)")
    server = RedisServer(tmp_path).start()
    yield server
    server.stop()


@pytest.fixture
def use_broker():
    """use_broker(url): point this process' Celery app at a real broker (not eager), as the web
    process would be; called again, fresh connection pools. Restored at the end of the test."""
    from minside.celery import app
    from tests.realservices import use_broker as point_at

    saved = {"broker_url": app.conf.broker_url, "task_always_eager": app.conf.task_always_eager}
    yield lambda url: point_at(app, url)
    app.conf.update(**saved)
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def celery_worker_factory(tmp_path):
    """celery_worker_factory(broker_url=, queues=, env=None, name=) starts a `celery worker`
    subprocess (tests.realservices.CeleryWorker: .kill(), .stop()) on the test database; its
    output goes to tmp_path/worker.log. Every worker started is stopped at the end of the test."""
    from tests.realservices import CeleryWorker

    started = []

    def start(*, broker_url: str, queues: str, env: dict | None = None, name: str = "test"):
        worker = CeleryWorker(broker_url=broker_url, queues=queues, env=env, name=name,
                              log_path=tmp_path / "worker.log").start()
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory):
    """moto's S3 server (tests.realservices.S3Server), one per test process, for the whole run."""
    from tests.realservices import S3Server

    server = S3Server(log_path=tmp_path_factory.mktemp("s3") / "moto.log").start()
    yield server
    server.stop()


@pytest.fixture
def s3_storage(s3_server, settings):
    """This test's files go to a fresh bucket on the S3 server, through django-storages (as with
    STORAGE_URL in production). Returns (server, bucket)."""
    import uuid

    bucket = s3_server.create_bucket(f"minside-{uuid.uuid4().hex[:12]}")
    settings.STORAGES = {**settings.STORAGES, "default": s3_server.storage_config(bucket)}
    return s3_server, bucket
