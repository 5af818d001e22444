"""Thin Celery wrappers around cases.services. Periodic work is in `beat_schedule` (merged by
core.discovery)."""

from celery import shared_task
from celery.schedules import crontab

from accounts.tenancy import for_each_municipality

from . import services

beat_schedule = {
    "cases-expire-information-requests": {
        "task": "cases.tasks.periodic_expire_information_requests",
        "schedule": crontab(hour=2, minute=15),
    },
}


@shared_task(acks_late=True)
@for_each_municipality
def periodic_expire_information_requests() -> int:
    """Idempotent: only open requests past their due date are touched."""
    return services.information_requests_expire()
