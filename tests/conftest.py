"""Shared fixtures. Tests marked `postgres` or `redis` need the real services: without them
they are skipped locally (the reason says which service), and in CI (CI=true) a missing
service is an error, never a skip."""

import os
import socket
from urllib.parse import urlparse

import pytest
from django.conf import settings

from tests.factories import CitizenFactory, DepartmentFactory, StaffFactory

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
