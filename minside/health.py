"""Health check for load balancers and docker compose: the database and (when configured)
Redis must answer. Plain text, no session, no template."""

from django.conf import settings
from django.db import connection
from django.http import HttpResponse


def healthz(request):
    problems = []
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:  # noqa: BLE001 - any failure means unhealthy
        problems.append(f"database: {exc.__class__.__name__}")
    if settings.REDIS_URL:
        try:
            import redis

            redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2).ping()
        except Exception as exc:  # noqa: BLE001
            problems.append(f"redis: {exc.__class__.__name__}")
    if problems:
        return HttpResponse("unhealthy: " + "; ".join(problems), status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")
