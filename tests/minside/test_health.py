"""/healthz/ for load balancers and docker compose: ok only when the database and Redis answer."""

import pytest

from minside import health
from tests.realservices import free_port


@pytest.fixture(autouse=True)
def _fresh_redis_client():
    health._redis_client.cache_clear()
    yield
    health._redis_client.cache_clear()


def test_ok_without_redis_configured(client, db, settings):
    settings.REDIS_URL = ""
    response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.content == b"ok"


@pytest.mark.redis
def test_ok_with_the_real_redis(client, db, settings):
    import os

    settings.REDIS_URL = os.environ["REDIS_URL"]
    assert client.get("/healthz/").content == b"ok"


def test_redis_not_answering_is_unhealthy(client, db, settings):
    settings.REDIS_URL = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    response = client.get("/healthz/")
    assert response.status_code == 503
    assert response.content.decode() == "unhealthy: redis: ConnectionError"


def test_needs_no_login_and_sets_no_session(client, db, settings):
    settings.REDIS_URL = ""
    response = client.get("/healthz/")
    assert response["Content-Type"].startswith("text/plain")
    assert "sessionid" not in response.cookies


def test_a_load_balancer_probing_a_node_by_its_address_gets_an_answer(client, db, settings):
    """HAProxy probes each node as http://<node address>/healthz/: that host is not in
    ALLOWED_HOSTS and production redirects http to https, yet the probe must be answered."""
    settings.REDIS_URL = ""
    settings.ALLOWED_HOSTS = ["minside.kommune.example"]
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/healthz/", HTTP_HOST="10.0.0.7:8000")
    assert response.status_code == 200 and response.content == b"ok"
    # Any other page still checks the host.
    assert client.get("/", HTTP_HOST="10.0.0.7:8000").status_code == 400
