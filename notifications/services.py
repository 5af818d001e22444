"""The notification outbox. notification_create() is what other apps call."""

from __future__ import annotations

from accounts.models import User

from .models import Notification


def notification_create(
    *, recipient: User, template: str, idempotency_key: str, context: dict | None = None,
    case=None, letter=None, channel: str = Notification.Channel.AUTO,
) -> Notification:
    """Write an outbox row in the caller's transaction; it is delivered after commit.
    The same idempotency key twice gives the same row (a retried request sends nothing twice)."""
    notification, _created = Notification.objects.get_or_create(
        idempotency_key=idempotency_key,
        defaults={"recipient": recipient, "template": template, "context": context or {},
                  "case": case, "letter": letter, "channel": channel},
    )
    return notification
