"""Thin Celery wrappers around applications.services: the automated checks after submit (on
the casework queue) and periodic work (merged by core.discovery)."""

import logging

from celery import shared_task
from celery.schedules import crontab

from accounts.tenancy import for_each_municipality, in_scope_of
from cases.models import Case
from core.enqueue import task_enqueue
from registers.population import RegisterUnavailable

from . import services

logger = logging.getLogger(__name__)

task_queues = {"applications.tasks.run_automated_checks": "casework"}

beat_schedule = {
    "applications-delete-expired-drafts": {
        "task": "applications.tasks.periodic_delete_expired_drafts",
        "schedule": crontab(hour=3, minute=15),
    },
    # Submitted applications whose automated checks never ran (the task after submit was lost).
    "applications-automated-checks-sweep": {
        "task": "applications.tasks.periodic_automated_checks_sweep",
        "schedule": crontab(minute="*/5"),
    },
}


@shared_task(acks_late=True)
@for_each_municipality
def periodic_delete_expired_drafts() -> int:
    """Delete drafts untouched for APPLICATION_DRAFT_DAYS days (idempotent: a second run finds none)."""
    return services.application_delete_expired_drafts()


@shared_task(bind=True, acks_late=True, max_retries=6)
@in_scope_of(Case, bound=True)
def run_automated_checks(self, case_id: str) -> bool:
    """The automated steps for one submitted application's case (queue casework). Idempotent.
    A register that does not answer: retried with backoff (30 s, 1, 2, 4, 8, 10 min); run
    eagerly (development without Redis) it is not retried here: the sweeper runs it later."""
    try:
        return services.application_run_automated_checks(case_id=case_id) is not None
    except RegisterUnavailable as error:
        if self.request.is_eager:
            raise
        raise self.retry(exc=error, countdown=min(600, 30 * 2 ** self.request.retries))


@shared_task(acks_late=True)
@for_each_municipality
def periodic_automated_checks_sweep() -> int:
    return services.automated_checks_sweep()


def automated_checks_enqueue(*, case_id) -> bool:
    """Hand the checks of a just-submitted case to a worker. Called after commit; never raises
    (the submission is saved whatever happens here): a broker that is down is logged and the
    sweeper runs the checks later."""
    return task_enqueue(run_automated_checks, args=[str(case_id)], what=f"the automated checks of case {case_id}",
                        fallback="the sweeper will run them", logger=logger)
