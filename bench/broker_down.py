"""Broker-down benchmark: how long a citizen waits when Redis is stopped.

Starts a private redis-server on a free port (never the shared one), points this process' Celery
app at it, stops it, then times
  1. correspondence.services.letter_create() (2 after-commit publishes: the PDF render and the
     letter's notification), and
  2. applications.services.application_submit() of a kindergarten application (its notices,
     the receipt letter and its PDF: several publishes),
twice: once with Celery's and kombu's default connection settings ("before": what the project
had), once with the settings in minside/settings.py ("after"). Every call must still return
and commit its rows (the outbox sweepers deliver them once Redis is back). Prints figures;
never asserts timings. Uses its own database (recreated on each run).

    .venv/bin/python bench/broker_down.py              # 5 letters per mode
    BENCH_N=20 .venv/bin/python bench/broker_down.py
"""

import logging
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
N = int(os.environ.get("BENCH_N", "5"))
DB_NAME = os.environ.get("BENCH_DB", "minside_bench_reliability")
DATABASE_URL = os.environ.get("DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/{DB_NAME}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


PORT = free_port()
REDIS_URL = f"redis://127.0.0.1:{PORT}/0"
ENV = {**os.environ, "DJANGO_ENV": "development", "DEBUG": "false", "DATABASE_URL": DATABASE_URL,
       "REDIS_URL": REDIS_URL, "CELERY_TASK_ALWAYS_EAGER": "false",
       "LOCAL_PROVIDER_SPOOL_DIR": tempfile.mkdtemp(prefix="minside-bench-spool-"),
       "MEDIA_ROOT": tempfile.mkdtemp(prefix="minside-bench-media-"), "LOG_LEVEL": "ERROR"}
os.environ.update(ENV)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minside.settings")


def setup_database():
    if "BENCH_DB" in os.environ or DATABASE_URL.endswith(f"/{DB_NAME}"):
        subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", DB_NAME], capture_output=True)
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", DB_NAME], capture_output=True)
    subprocess.run([sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"], cwd=ROOT, env=ENV, check=True)


def start_redis(tmp) -> subprocess.Popen:
    process = subprocess.Popen(
        ["redis-server", "--port", str(PORT), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", tmp], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", PORT), timeout=0.2):
                return process
        except OSError:
            time.sleep(0.05)
    process.kill()
    raise SystemExit("redis-server did not start")


def configure(app, mode: str, saved: dict):
    """'before': Celery's and kombu's defaults for the broker connection; 'after': our settings."""
    if mode == "before":
        app.conf.update(broker_transport_options={"visibility_timeout": 3600}, broker_connection_timeout=4,
                        task_publish_retry_policy={"max_retries": 3, "interval_start": 0,
                                                   "interval_step": 0.2, "interval_max": 0.2})
    else:
        app.conf.update(**saved)
    app.conf.update(broker_url=REDIS_URL, task_always_eager=False)
    app._pool = None
    app.amqp._producer_pool = None


def main():
    if not shutil.which("redis-server"):
        raise SystemExit("needs redis-server (Debian package redis-server)")
    setup_database()
    import django

    django.setup()
    logging.getLogger("minside").setLevel(logging.CRITICAL)  # the expected broker warnings
    logging.getLogger("notifications").setLevel(logging.CRITICAL)
    logging.getLogger("correspondence").setLevel(logging.CRITICAL)

    from accounts.selectors import Party
    from applications.services import application_start, application_submit
    from correspondence.models import Letter
    from correspondence.services import letter_create
    from kindergarten.tests.factories import KindergartenFactory
    from minside.celery import app
    from notifications.models import Notification
    from registers import demo_data
    from tests.applications.conftest import kindergarten_data
    from tests.factories import CitizenFactory, DepartmentFactory

    saved = {key: app.conf[key] for key in ("broker_transport_options", "broker_connection_timeout",
                                            "task_publish_retry_policy")}
    print(f"Settings under test: broker_connection_timeout={saved['broker_connection_timeout']}, "
          f"broker_transport_options={saved['broker_transport_options']}")
    kari = CitizenFactory(national_id=demo_data.KARI, first_name="Kari", last_name="Nordmann")
    citizen = CitizenFactory()
    DepartmentFactory(code="barnehage", name="Barnehage")
    kindergartens = [KindergartenFactory(), KindergartenFactory()]
    tmp = tempfile.mkdtemp(prefix="minside-bench-redis-")
    redis = start_redis(tmp)
    try:
        results = {}
        for mode, child in (("before", demo_data.EMMA), ("after", demo_data.NOAH)):
            configure(app, mode, saved)
            app.connection_for_write().ensure_connection(max_retries=1)  # answering before the stop
            redis.terminate()
            redis.wait(timeout=10)
            letter_times = []
            for i in range(N):
                started = time.perf_counter()
                letter = letter_create(recipient=citizen, kind=Letter.Kind.DECISION, title=f"Bench {mode} {i}",
                                       template="correspondence/pdf/general.html", context={"body": "Benchmark."})
                letter_times.append(time.perf_counter() - started)
                assert Notification.objects.filter(letter=letter).exists()
            draft = application_start(type_key="kindergarten", party=Party(person=kari))
            draft.data = kindergarten_data(kindergartens, child=child)
            draft.save()
            started = time.perf_counter()
            case = application_submit(application=draft, by=kari)
            submit_time = time.perf_counter() - started
            waiting = Notification.objects.filter(case=case, status=Notification.Status.CREATED).count()
            results[mode] = (letter_times, submit_time, waiting)
            redis = start_redis(tmp)
        print(f"\nRedis stopped (connection refused), {N} letters per mode; every call committed its rows:")
        for mode, (letter_times, submit_time, waiting) in results.items():
            print(f"  {mode:6}  letter_create median {statistics.median(letter_times):6.3f} s  "
                  f"max {max(letter_times):6.3f} s   application_submit {submit_time:6.3f} s "
                  f"({waiting} notices left in the outbox for the sweeper)")
    finally:
        if redis.poll() is None:
            redis.terminate()
            redis.wait(timeout=10)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
