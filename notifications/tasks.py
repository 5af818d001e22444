"""Celery tasks: thin wrappers that take ids and call notifications.services.

`deliver` runs on the `sending` queue (task_queues). It is safe to run twice: the
service claims the row with a conditional UPDATE, so a redelivered message (acks_late, a worker
killed mid-task) sends nothing twice. Retries are rows with a next attempt time, re-enqueued with
a short countdown and, as a safety net, by the sweeper; long waits (the day-7 reminder) are rows
with a due time picked up by `periodic_sweep`, never Celery countdowns.
"""

from celery import shared_task
from celery.schedules import crontab

from accounts.tenancy import for_each_municipality, in_scope_of

from . import services
from .models import Notification

task_queues = {"notifications.tasks.deliver": "sending"}


@shared_task(name="notifications.tasks.deliver", acks_late=True, ignore_result=True)
@in_scope_of(Notification)
def deliver(notification_id: str) -> None:
    services.notification_deliver(notification_id=notification_id)


@shared_task(name="notifications.tasks.periodic_sweep", acks_late=True, ignore_result=True)
@for_each_municipality
def periodic_sweep() -> dict:
    return services.notification_sweep()


@shared_task(name="notifications.tasks.periodic_print_batch", acks_late=True, ignore_result=True)
@for_each_municipality
def periodic_print_batch() -> str | None:
    batch = services.print_batch_create()
    return batch.reference if batch else None


beat_schedule = {
    "notifications-sweep": {
        "task": "notifications.tasks.periodic_sweep",
        "schedule": 60.0,
    },
    "notifications-print-batch": {
        "task": "notifications.tasks.periodic_print_batch",
        "schedule": crontab(hour=14, minute=0),  # daily, before the print service's afternoon run
    },
}
