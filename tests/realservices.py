"""Real services for tests that need them: a private redis-server, a `celery worker` subprocess,
and pointing this process' Celery app at a broker. The fixtures over these are in
tests/conftest.py (`private_redis`, `use_broker`, `celery_worker_factory`).

Both processes run in their own process group and are ended by their pids; the redis-server is
this test's only, on a free port, so stopping it (or a worker's FLUSHDB) touches nobody else."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings as django_settings
from django.db import connection

BASE_DIR = Path(django_settings.BASE_DIR)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate, timeout: float, *, interval: float = 0.1, what: str | None = None):
    """Call `predicate` until it returns something truthy (returned) or `timeout` seconds pass
    (AssertionError naming `what`, else the predicate's docstring)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what or predicate.__doc__ or predicate}")


class RedisServer:
    """A redis-server of one test, on a free port, without persistence; the test may stop it and
    start it again on the same port (Redis "coming back")."""

    def __init__(self, directory: Path):
        self.port, self.dir, self.process = free_port(), directory, None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> RedisServer:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.dir)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )
        wait_for(self.answers, timeout=10, what=f"redis-server on port {self.port}")
        return self

    def answers(self) -> bool:
        import redis

        try:
            return bool(redis.Redis.from_url(self.url, socket_connect_timeout=0.2).ping())
        except redis.exceptions.ConnectionError:
            return False

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


def use_broker(app, url: str):
    """Point this process' Celery app at `url`, publishing for real (not eager), as the web
    process does; with fresh connection and producer pools (as after a reconnect)."""
    app.conf.update(broker_url=url, task_always_eager=False)
    app._pool = None
    app.amqp._producer_pool = None


def subprocess_database_url() -> str:
    """The database this test runs on, for a subprocess (the test database, not the main one)."""
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class CeleryWorker:
    """One `celery -A minside worker` subprocess (prefork, 2 children) on `queues`, on the test
    database, in its own process group. `env` adds to (or overrides) its environment."""

    def __init__(self, *, broker_url: str, queues: str, log_path: Path, env: dict | None = None,
                 name: str = "test", stop_timeout: float = 20):
        self.broker_url, self.queues, self.log_path = broker_url, queues, log_path
        self.env, self.name, self.stop_timeout = env or {}, name, stop_timeout
        self.process = None

    def start(self) -> CeleryWorker:
        env = {
            **os.environ, "DJANGO_ENV": "test", "DATABASE_URL": subprocess_database_url(),
            "REDIS_URL": self.broker_url, "CELERY_BROKER_URL": self.broker_url, "CELERY_TASK_ALWAYS_EAGER": "false",
            "LOG_LEVEL": "WARNING", **self.env,
        }
        log = open(self.log_path, "ab")  # noqa: SIM115 - kept open for the subprocess' lifetime
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "minside", "worker", "-Q", self.queues, "-c", "2",
             "--pool", "prefork", "-n", f"{self.name}-{os.getpid()}-{time.monotonic_ns()}@%h",
             "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "WARNING"],
            cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        return self

    def kill(self):
        """SIGKILL the whole group (main process and pool children): no warm shutdown, no acks."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self):
        """SIGTERM (warm shutdown: tasks in flight finish); SIGKILL if that takes too long."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=self.stop_timeout)
            except subprocess.TimeoutExpired:
                self.kill()


class S3Server:
    """moto's standalone server (PyPI moto[server]): a real S3 HTTP endpoint on a free port, in
    its own process group; buckets live in its memory. `.endpoint`, `.client()`, `.stop()`."""

    ACCESS_KEY, SECRET_KEY, REGION = "minside-test", "minside-test-secret", "eu-north-1"

    def __init__(self, log_path: Path | None = None):
        self.port, self.process, self.log_path = free_port(), None, log_path
        self.endpoint = f"http://127.0.0.1:{self.port}"

    def start(self) -> S3Server:
        log = open(self.log_path, "ab") if self.log_path else subprocess.DEVNULL  # noqa: SIM115
        self.process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        wait_for(self.answers, timeout=30, what=f"moto S3 server on port {self.port}")
        return self

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                return True
        except OSError:
            return self.process.poll() is not None and _raise(f"moto_server exited ({self.process.returncode})")

    def client(self):
        import boto3

        return boto3.client("s3", endpoint_url=self.endpoint, region_name=self.REGION,
                            aws_access_key_id=self.ACCESS_KEY, aws_secret_access_key=self.SECRET_KEY)

    def create_bucket(self, name: str) -> str:
        self.client().create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": self.REGION})
        return name

    def storage_config(self, bucket: str, *, endpoint: str | None = None) -> dict:
        """STORAGES["default"] for `bucket` on this server (or on `endpoint`, e.g. one that is down)."""
        from minside.settings import s3_storage_config

        return s3_storage_config(bucket=bucket, endpoint_url=endpoint or self.endpoint, region=self.REGION,
                                 access_key=self.ACCESS_KEY, secret_key=self.SECRET_KEY, addressing_style="path",
                                 connect_timeout=1, read_timeout=5, max_attempts=1)

    def environment(self, bucket: str) -> dict:
        """The environment that gives a subprocess the same storage (STORAGE_URL and AWS_*)."""
        return {"STORAGE_URL": f"s3://{bucket}?endpoint_url={self.endpoint}&region={self.REGION}",
                "AWS_ACCESS_KEY_ID": self.ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": self.SECRET_KEY}

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)


def _raise(message: str):
    raise AssertionError(message)
