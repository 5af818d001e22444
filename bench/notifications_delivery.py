"""Notification delivery benchmark: notifications/s, in-process and through a real Celery worker.

Creates N outbox rows (SMS notices routed at delivery: KRR lookup, preferences, the local SMS
gateway), then
  1. delivers them in this process with notifications.services.notification_deliver(), counting
     the SQL queries per notification;
  2. enqueues them for a real `celery -A minside worker -Q sending -c 2` (prefork, Redis) and
     times the run from the first to the last delivery.
Prints figures; never asserts timings. Uses its own database and Redis database number.

    .venv/bin/python bench/notifications_delivery.py            # N=1000
    BENCH_N=3000 .venv/bin/python bench/notifications_delivery.py
"""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
N = int(os.environ.get("BENCH_N", "1000"))
DB_NAME = os.environ.get("BENCH_DB", "minside_bench_notifications")
DATABASE_URL = os.environ.get("DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/{DB_NAME}")
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/5")
SPOOL = tempfile.mkdtemp(prefix="minside-bench-spool-")
ENV = {**os.environ, "DJANGO_ENV": "development", "DEBUG": "false", "DATABASE_URL": DATABASE_URL,
       "REDIS_URL": REDIS_URL, "CELERY_TASK_ALWAYS_EAGER": "false", "LOCAL_PROVIDER_SPOOL_DIR": SPOOL,
       "LOG_LEVEL": "WARNING"}
os.environ.update(ENV)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minside.settings")


def setup_database():
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", DB_NAME], capture_output=True)
    subprocess.run([sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"], cwd=ROOT, env=ENV, check=True)


def make_rows(prefix):
    from accounts.models import User
    from notifications.models import Notification

    users = [User(national_id=None, username=f"{prefix}-{i}", first_name="Bench", last_name=str(i),
                  mobile=f"+4793{i:03d}111") for i in range(100)]
    users = User.objects.bulk_create(users)
    from accounts.models import Municipality

    first = Municipality.objects.order_by("pk").first()  # the installation's first municipality
    return Notification.objects.bulk_create(
        Notification(municipality=first, recipient=users[i % 100], template="case_status_changed", context={"case_number": f"2026/{i}"},
                     idempotency_key=f"{prefix}-{i}") for i in range(N))


def cleanup(prefix):
    from accounts.models import User
    from accounts.tenancy import unscoped
    from notifications.models import Notification

    with unscoped():  # the bench's own rows, whatever municipality
        Notification.objects.filter(idempotency_key__startswith=prefix).delete()
    User.objects.filter(username__startswith=prefix).delete()


def in_process():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from notifications.services import notification_deliver

    prefix = f"bench-inproc-{int(time.time())}"
    rows = make_rows(prefix)
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        for row in rows:
            notification_deliver(notification_id=row.pk)
    elapsed = time.perf_counter() - started
    cleanup(prefix)
    return N / elapsed, len(queries.captured_queries) / N


def with_worker():
    import redis

    from notifications.models import Notification
    from notifications.services import notification_enqueue

    redis.Redis.from_url(REDIS_URL).flushdb()  # the benchmark's own Redis database
    prefix = f"bench-worker-{int(time.time())}"
    rows = make_rows(prefix)
    for row in rows:
        notification_enqueue(notification_id=row.pk)
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "minside", "worker", "-Q", "sending", "-c", "2", "--pool", "prefork",
         "-n", f"bench-{os.getpid()}@%h", "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "WARNING"],
        cwd=ROOT, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        sent = Notification.objects.with_scopes_disabled().filter(idempotency_key__startswith=prefix, status="sent")
        deadline = time.monotonic() + 600
        while not sent.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        first = time.monotonic()
        while sent.count() < N and time.monotonic() < deadline:
            time.sleep(0.2)
        elapsed = time.monotonic() - first
        done = sent.count()
    finally:
        os.killpg(worker.pid, 15)
        worker.wait(timeout=30)
    cleanup(prefix)
    return done, done / elapsed


def main():
    setup_database()
    import django

    django.setup()
    rate, queries = in_process()
    print(f"in-process: {N} notifications, {rate:.0f} notifications/s, {queries:.1f} SQL queries per notification")
    done, worker_rate = with_worker()
    print(f"celery worker (-c 2, prefork, Redis): {done}/{N} sent, {worker_rate:.0f} notifications/s")
    print(f"load average now: {os.getloadavg()[0]:.1f} (2 cores shared with other work: compare within one run)")


if __name__ == "__main__":
    main()
