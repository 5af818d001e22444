"""Thin Celery wrappers around correspondence.services. Routed to the "pdf" queue
(settings.CELERY_TASK_ROUTES); the periodic sweeper goes to "periodic"."""

from __future__ import annotations

import datetime
import logging

from celery import shared_task
from celery.schedules import crontab
from django.utils import timezone

from accounts.tenancy import for_each_municipality, in_scope_of

from . import services
from .models import Letter

logger = logging.getLogger(__name__)

task_queues = {"correspondence.tasks.letter_render_pdf_task": "pdf"}

# A letter normally gets its PDF seconds after commit; one without a PDF after this long was
# missed (broker down at commit, worker lost) and is re-queued by the sweeper.
RENDER_GRACE = datetime.timedelta(minutes=5)


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=10, retry_backoff_max=600,
             retry_jitter=True, max_retries=5)
@in_scope_of(Letter)
def letter_render_pdf_task(letter_id: str) -> None:
    """Render one letter's PDF. Idempotent: a letter that has its PDF is left alone, so a
    redelivered task (acks_late) does nothing twice."""
    letter = Letter.objects.filter(pk=letter_id).first()
    if letter is None:
        logger.warning("Letter %s not found; nothing to render", letter_id)
        return
    services.letter_render_pdf(letter=letter)


@shared_task(acks_late=True)
@for_each_municipality
def periodic_render_missing_pdfs(grace_seconds: float | None = None) -> int:
    """Re-queue letters still without a PDF after the grace period (RENDER_GRACE)."""
    grace = RENDER_GRACE if grace_seconds is None else datetime.timedelta(seconds=grace_seconds)
    cutoff = timezone.now() - grace
    ids = list(Letter.objects.filter(pdf="", created_at__lt=cutoff).values_list("pk", flat=True)[:500])
    for pk in ids:
        letter_render_pdf_task.delay(str(pk))
    return len(ids)


beat_schedule = {
    "correspondence-render-missing-pdfs": {
        "task": "correspondence.tasks.periodic_render_missing_pdfs",
        "schedule": crontab(minute="*/5"),
    },
}
