"""Thin Celery wrappers around cases.services. Periodic work is in `beat_schedule` (merged by
minside/celery.py)."""

import logging

from celery import shared_task
from celery.schedules import crontab

from core.enqueue import task_enqueue
from registers.population import RegisterUnavailable

from . import services

logger = logging.getLogger(__name__)

# The automated steps run on the casework queue (periodic_* go to "periodic": core.discovery).
task_queues = {"cases.tasks.run_automated_checks": "casework"}

beat_schedule = {
    "cases-expire-information-requests": {
        "task": "cases.tasks.periodic_expire_information_requests",
        "schedule": crontab(hour=2, minute=15),
    },
    # Cases whose automated checks never ran (the task after submit was lost).
    "cases-automated-checks-sweep": {
        "task": "cases.tasks.periodic_automated_checks_sweep",
        "schedule": crontab(minute="*/5"),
    },
}


@shared_task(acks_late=True)
def periodic_expire_information_requests() -> int:
    """Idempotent: only open requests past their due date are touched."""
    return services.information_requests_expire()


@shared_task(bind=True, acks_late=True, max_retries=6)
def run_automated_checks(self, case_id: str) -> bool:
    """The automated steps for one submitted application's case (queue casework). Idempotent.
    A register that does not answer: retried with backoff (30 s, 1, 2, 4, 8, 10 min); run
    eagerly (development without Redis) it is not retried here: the sweeper runs it later."""
    from .models import Case

    case = Case.objects.filter(pk=case_id).first()
    try:
        return case is not None and services.case_run_automated_checks(case=case) is not None
    except RegisterUnavailable as error:
        if self.request.is_eager:
            raise
        raise self.retry(exc=error, countdown=min(600, 30 * 2 ** self.request.retries))


@shared_task(acks_late=True)
def periodic_automated_checks_sweep() -> int:
    return services.automated_checks_sweep()


def automated_checks_enqueue(*, case_id) -> bool:
    """Hand the checks of a just-submitted case to a worker. Called after commit; never raises
    (the submission is saved whatever happens here): a broker that is down is logged and the
    sweeper runs the checks later."""
    return task_enqueue(run_automated_checks, args=[str(case_id)], what=f"the automated checks of case {case_id}",
                        fallback="the sweeper will run them", logger=logger)
