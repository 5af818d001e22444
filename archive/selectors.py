"""Who may see what of the archive: a caseworker sees the archive records and messages of the
cases they may see (cases.selectors decides; a miss is a 404)."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from accounts.models import User
from cases.selectors import cases_for_caseworker

from .models import ArchiveMessage, ArchiveRecord


def archive_messages_for_caseworker(*, user: User) -> QuerySet[ArchiveMessage]:
    return ArchiveMessage.objects.filter(record__case__in=cases_for_caseworker(user=user))


def archive_message_get_for_caseworker(*, user: User, pk) -> ArchiveMessage:
    message = archive_messages_for_caseworker(user=user).select_related("record__case").filter(pk=pk).first()
    if message is None:
        raise Http404("No such archive message")
    return message


def archive_records_for_case(*, case) -> list[ArchiveRecord]:
    """The case's case file and registry entries with their messages, newest message first
    (two queries whatever the number of records)."""
    records = list(ArchiveRecord.objects.filter(case=case).order_by("kind", "occurred_at", "created_at").prefetch_related(
        Prefetch("messages", queryset=ArchiveMessage.objects.order_by("-created_at", "-pk"), to_attr="message_list")))
    for record in records:
        record.latest_message = record.message_list[0] if record.message_list else None
        record.failed = [m for m in record.message_list if m.status == ArchiveMessage.Status.FAILED
                         and not any(r.resend_of_id == m.pk for r in record.message_list)]
    return records
