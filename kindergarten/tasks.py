"""Thin Celery wrappers around kindergarten.services. The admission run is an automated case
step (casework queue); expiring offers is periodic work (periodic queue)."""

from celery import shared_task
from celery.schedules import crontab

from accounts.models import User
from accounts.tenancy import for_each_municipality, in_scope_of

from . import services
from .models import AdmissionRound

# An admission run is an automated case step (periodic_* go to "periodic": core.discovery).
task_queues = {"kindergarten.tasks.run_admission_round": "casework"}

beat_schedule = {
    "kindergarten-expire-offers": {
        "task": "kindergarten.tasks.periodic_expire_offers",
        "schedule": crontab(hour=2, minute=30),
    },
}


@shared_task(acks_late=True)
@in_scope_of(AdmissionRound)
def run_admission_round(round_id: str, user_id: int) -> dict:
    """Idempotent: a case that already has an offer is skipped when the message is redelivered."""
    result = services.admission_run(round=AdmissionRound.objects.get(pk=round_id), by=User.objects.get(pk=user_id))
    return {"offers": result.offers_made, "waiting_list": result.waiting_list}


@shared_task(acks_late=True)
@for_each_municipality
def periodic_expire_offers() -> int:
    """Idempotent: only offers still waiting for an answer past their deadline are touched."""
    return services.offers_expire()
