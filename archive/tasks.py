"""Thin Celery wrappers around archive.services. `archive_send` runs on the `archive` queue
(the archive is slow and may be down: its own queue keeps it from holding up letters and
notices); the sweeper and the deposit package on `periodic`."""

from celery import shared_task

from accounts.tenancy import for_each_municipality, in_scope_of

from .models import ArchiveDeposit, ArchiveMessage

task_queues = {"archive.tasks.archive_send": "archive", "archive.tasks.deposit_build": "periodic"}


@shared_task(name="archive.tasks.archive_send", acks_late=True, ignore_result=True)
@in_scope_of(ArchiveMessage, field="record__case__municipality_id")
def archive_send(message_id: str) -> None:
    from . import services

    services.archive_send(message_id=message_id)


@shared_task(name="archive.tasks.periodic_archive_sweep", acks_late=True, ignore_result=True)
@for_each_municipality
def periodic_archive_sweep() -> dict:
    from . import services

    return services.archive_sweep()


@shared_task(name="archive.tasks.deposit_build", acks_late=True, ignore_result=True)
@in_scope_of(ArchiveDeposit)
def deposit_build(deposit_id: str) -> None:
    from . import deposit

    deposit.deposit_build_by_id(deposit_id=deposit_id)


beat_schedule = {
    "archive-sweep": {"task": "archive.tasks.periodic_archive_sweep", "schedule": 60.0},
}
