"""Periodic work for applications. Thin: the service does the work."""

from celery import shared_task
from celery.schedules import crontab

from . import services


@shared_task(acks_late=True)
def periodic_delete_expired_drafts() -> int:
    """Delete drafts untouched for APPLICATION_DRAFT_DAYS days (idempotent: a second run finds none)."""
    return services.application_delete_expired_drafts()


beat_schedule = {
    "applications-delete-expired-drafts": {
        "task": "applications.tasks.periodic_delete_expired_drafts",
        "schedule": crontab(hour=3, minute=15),
    },
}
