"""Web benchmark: requests/s and queries per page, against a baseline in the same run.

Runs gunicorn (2 sync workers, production settings, PostgreSQL) on loopback and drives it with
wrk (Debian package `wrk`) for a few seconds per page. The baseline is /healthz/ (one query
and a Redis ping); each page is reported as req/s and as a fraction of the baseline, so the
figures can be compared across noisy machines. Never asserts timings.

    .venv/bin/python bench/web.py            # DATABASE_URL defaults to minside_bench on 127.0.0.1
"""

import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PORT = int(os.environ.get("BENCH_PORT", "8799"))
DURATION = os.environ.get("BENCH_SECONDS", "5")
ENV = {
    **os.environ,
    "DJANGO_ENV": "production",
    "SECRET_KEY": "bench-" + "x" * 60,
    "ALLOWED_HOSTS": "127.0.0.1",
    "SECURE_SSL_REDIRECT": "false",
    "DATABASE_URL": os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/minside_bench"),
    "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/8"),
    "LOG_LEVEL": "WARNING",
}
PAGES = [  # (name, path, needs login)
    ("baseline /healthz/", "/healthz/", False),
    ("landing /", "/", False),
    ("accessibility statement", "/tilgjengelighet/", False),
    ("Min Side home", "/minside/", True),
    ("apply: catalogue", "/soknad/", True),
    ("my cases", "/saker/", True),
    ("inbox", "/innboks/", True),
]


def prepare() -> str:
    """Create the bench database with demo data; return a session cookie for Kari Nordmann."""
    os.environ.update(ENV)
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", "CREATE DATABASE minside_bench"],
                   capture_output=True, check=False)
    py = str(ROOT / ".venv" / "bin" / "python")
    subprocess.run([py, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=ENV, check=True)
    subprocess.run([py, "manage.py", "load_demo_data"], cwd=ROOT, env=ENV, check=True, capture_output=True)
    subprocess.run([py, "manage.py", "collectstatic", "--no-input", "-v", "0"], cwd=ROOT, env=ENV, check=True)
    import django

    os.environ["DJANGO_SETTINGS_MODULE"] = "minside.settings"
    django.setup()
    from django.conf import settings
    from django.test import Client

    from accounts.models import User
    from registers.demo_data import KARI

    client = Client()
    client.force_login(User.objects.get(national_id=KARI))
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    # Act for herself, so the home page does not redirect to the party choice.
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore(session_key=session)
    store["minside_acting_for"] = "self"
    store.save()
    return session


def queries_per_page(session: str) -> dict[str, int]:
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    counts = {}
    for name, path, login in PAGES:
        if login:
            client.cookies[settings.SESSION_COOKIE_NAME] = session
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(path, secure=True)
        counts[name] = (len(ctx.captured_queries), response.status_code)
    return counts


def wrk(path: str, session: str | None) -> float:
    args = ["wrk", "-t2", "-c8", f"-d{DURATION}s", f"http://127.0.0.1:{PORT}{path}"]
    if session:
        args[1:1] = ["-H", f"Cookie: sessionid={session}"]
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non2xx:
        print(f"  warning: {non2xx.group(1)} non-2xx responses for {path}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def main() -> None:
    if not shutil.which("wrk"):
        sys.exit("bench/web.py needs wrk: apt-get install wrk")
    session = prepare()
    counts = queries_per_page(session)
    server = subprocess.Popen(
        [str(ROOT / "docker" / "entrypoint.sh"), "web"], cwd=ROOT,
        env={**ENV, "PYTHON": str(ROOT / ".venv" / "bin" / "python"), "PORT": str(PORT), "WEB_CONCURRENCY": "2"},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    try:
        for _ in range(60):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz/", timeout=1)
                break
            except OSError:
                time.sleep(0.5)
        print(f"{'page':28} {'req/s':>9} {'vs baseline':>12} {'queries':>8} {'status':>7}")
        baseline = None
        for name, path, login in PAGES:
            rps = wrk(path, session if login else None)
            baseline = baseline or rps
            queries, status = counts[name]
            print(f"{name:28} {rps:9.0f} {rps / baseline:11.0%} {queries:8d} {status:7d}")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
