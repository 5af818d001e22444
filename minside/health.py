"""Health check for load balancers and docker compose: the database and (when configured)
Redis must answer. Plain text, no session, no template."""

from functools import cache

from django.conf import settings
from django.db import connection
from django.http import HttpResponse


@cache
def _redis_client():
    # One client (and its connection pool) per process: a new connection per check made the
    # health check slower than the pages it guards.
    import redis

    return redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2)


def healthz(request):
    problems = []
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:  # noqa: BLE001 - any failure means unhealthy
        problems.append(f"database: {exc.__class__.__name__}")
    if settings.REDIS_URL:
        try:
            _redis_client().ping()
        except Exception as exc:  # noqa: BLE001
            problems.append(f"redis: {exc.__class__.__name__}")
    if problems:
        return HttpResponse("unhealthy: " + "; ".join(problems), status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")
