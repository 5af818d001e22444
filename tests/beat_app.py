"""The portal's Celery app with a one-second schedule, for tests/minside/test_beat_once.py: the
same configuration (redbeat scheduler, its lock in Redis) as `celery -A minside beat`, only
faster, so the test can count sends in seconds instead of minutes."""

from minside.celery import app


@app.task(name="tests.beat_app.tick", ignore_result=True)
def tick():
    return "tick"


@app.on_after_finalize.connect
def _fast_schedule(sender, **kwargs):
    # Connected after minside.celery's own handler, so this schedule replaces the portal's.
    sender.conf.beat_schedule = {"test-tick": {"task": "tests.beat_app.tick", "schedule": 1.0}}


__all__ = ["app"]
