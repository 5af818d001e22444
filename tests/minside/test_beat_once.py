"""Periodic work is sent once however many beat processes run: celery-redbeat keeps the
schedule in Redis and one beat holds a lock there; the others wait and take over when it dies.

Two real `celery beat` processes on a private redis-server, with a one-second schedule
(tests/beat_app.py); nothing consumes the queue, so the messages in it are the sends."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis

from tests.realservices import wait_for

ROOT = Path(__file__).resolve().parents[2]


class Beat:
    def __init__(self, name, redis_url, tmp_path):
        self.log = tmp_path / f"beat-{name}.log"
        env = {**os.environ, "DJANGO_ENV": "test", "REDIS_URL": redis_url, "CELERY_BROKER_URL": redis_url,
               "CELERY_TASK_ALWAYS_EAGER": "false", "CELERY_BEAT_MAX_LOOP_INTERVAL": "1",
               "CELERY_REDBEAT_LOCK_TIMEOUT": "5"}
        env.pop("DATABASE_URL", None)  # beat needs no database
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "tests.beat_app", "beat", "-l", "INFO"],
            cwd=ROOT, env=env, stdout=open(self.log, "ab"), stderr=subprocess.STDOUT,  # noqa: SIM115
            start_new_session=True)

    def text(self) -> str:
        return self.log.read_text(errors="replace")

    def holds_the_lock(self) -> bool:
        return "beat: Acquired lock" in self.text()

    def kill(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


@pytest.fixture
def beats(private_redis, tmp_path):
    started = []

    def start(name):
        beat = Beat(name, private_redis.url, tmp_path)
        started.append(beat)
        return beat

    yield start
    for beat in started:
        beat.kill()


def sent(client) -> int:
    # Beat publishes to the default queue, a Redis list; no worker consumes it here.
    return client.llen("default")


def count_over(client, seconds: float) -> int:
    before = sent(client)
    time.sleep(seconds)
    return sent(client) - before


def test_two_beats_send_each_periodic_task_once_and_the_standby_takes_over(beats, private_redis):
    client = redis.Redis.from_url(private_redis.url)
    first = beats("first")
    wait_for(first.holds_the_lock, timeout=30, what="the first beat to take the lock")
    second = beats("second")
    wait_for(lambda: "beat: Starting" in second.text(), timeout=30, what="the second beat to start")
    time.sleep(2)

    # Both running for 8 s with a 1 s schedule: one beat sends ~8, two would send ~16.
    both_running = count_over(client, 8)
    print(f"\n8 s with two beats running: {both_running} sends of a task due every second")
    assert 6 <= both_running <= 10, both_running
    assert not second.holds_the_lock()  # a standby, waiting for the lock

    # The lock holder dies without releasing the lock: the standby takes over after the timeout.
    first.kill()
    wait_for(second.holds_the_lock, timeout=20, what="the standby beat to take the lock")
    after_takeover = count_over(client, 4)
    print(f"4 s after the standby took over: {after_takeover} sends")
    assert 2 <= after_takeover <= 6, after_takeover
