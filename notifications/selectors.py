"""Reads for notifications: preferences, what the caseworker may see, masking."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import User

from .models import NoticePreference, Notification, PrintBatch


def notice_preference_for(*, user: User) -> NoticePreference:
    """The citizen's notice preferences; the defaults (e-mail and SMS on) if never saved."""
    preference = NoticePreference.objects.filter(user=user).first()
    return preference or NoticePreference(user=user)


def notifications_for_caseworker(*, user: User) -> QuerySet[Notification]:
    """Notifications of cases (and letters of cases) in the caseworker's departments."""
    qs = Notification.objects.select_related("recipient", "letter", "case")
    if user.is_superuser:
        return qs
    departments = user.departments.all()
    return qs.filter(case__department__in=departments) | qs.filter(letter__case__department__in=departments)


def print_batches_for_staff(*, user: User) -> QuerySet[PrintBatch]:
    return PrintBatch.objects.all() if user.is_staff else PrintBatch.objects.none()


def mask_email(address: str) -> str:
    local, _sep, domain = address.partition("@")
    return f"{local[:1]}***@{domain}" if domain else "***"


def mask_mobile(number: str) -> str:
    digits = "".join(ch for ch in number if ch.isdigit())
    return f"*****{digits[-4:]}" if len(digits) >= 4 else "*****"


def letter_delivery_summary(*, letter) -> list[dict]:
    """How a letter was delivered, from its outbox rows (prefetch `notifications` to avoid a
    query per letter): channel, status, when sent, last error."""
    return [
        {"channel": n.get_channel_display(), "status": n.get_status_display(), "status_code": n.status,
         "sent_at": n.sent_at, "last_error": n.last_error}
        for n in sorted(letter.notifications.all(), key=lambda n: n.created_at)
    ]
