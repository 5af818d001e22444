"""insights' one write: remembering a draft that was deleted without being submitted."""

from __future__ import annotations

from applications.models import Application

from .models import AbandonedDraft


def abandoned_draft_record(*, application: Application) -> AbandonedDraft | None:
    """Called by applications.services.application_delete, in its transaction, before the
    draft is deleted. A submitted application is never abandoned: nothing is recorded."""
    if application.status != Application.Status.DRAFT:
        return None
    return AbandonedDraft.objects.create(type_key=application.type_key, started_at=application.created_at)
