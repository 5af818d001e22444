"""insights' one write: remembering a draft that was deleted without being submitted."""

from __future__ import annotations

import datetime

from .models import AbandonedDraft


def abandoned_draft_record(*, type_key: str, started_at: datetime.datetime, municipality_id: int) -> AbandonedDraft:
    """On applications.signals.draft_deleted, in the deleting transaction: the type and when the
    draft was started, nothing about the person."""
    return AbandonedDraft.objects.create(municipality_id=municipality_id, type_key=type_key, started_at=started_at)
