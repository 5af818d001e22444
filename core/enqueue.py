"""Handing work to Celery from a request: publish, never raise, fail fast, log the broker error.

Every task we publish from a request has a durable record behind it (an outbox row, a letter
without its PDF) and a periodic sweeper that re-queues what was never handed over. So a broker
that is down must neither fail the caller nor make it wait: the publish is tried once (no
publish retries here; the connection itself gives up quickly, see the CELERY_BROKER_* settings),
and a failure is logged and reported as False. Call it after commit
(`transaction.on_commit(lambda: task_enqueue(...), robust=True)`), never inside a transaction:
the worker must not look for a row that is not committed yet.
"""

from __future__ import annotations

import logging

_logger = logging.getLogger(__name__)


def task_enqueue(task, *, args: tuple | list = (), countdown: float | None = None, what: str,
                 fallback: str, logger: logging.Logger | None = None) -> bool:
    """Publish `task` now. True if the broker took it; False (logged as a warning naming `what`,
    the broker error and `fallback`, what happens instead) if not. Never raises."""
    try:
        task.apply_async(args=list(args), countdown=countdown, retry=False)
        return True
    except Exception as exc:  # broker down, connection refused, timeout, …
        (logger or _logger).warning("Could not enqueue %s (%s: %s); %s", what, type(exc).__name__, exc, fallback)
        return False

