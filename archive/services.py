"""Live archiving (journalføring) through the outbox.

What happens on a case (the application submitted, documents sent in, a letter, a message, an
internal note, the case closed) writes an ArchiveRecord and an ArchiveMessage in the same
transaction (receivers.py, on the lower apps' domain events); after commit the message is handed
to Celery (tasks.archive_send). Sending:

1. claim the row with a conditional UPDATE (created/retry and due → sending); a registry entry
   or an update waits (stays `created`) until its case file is archived: the case file's receipt
   hands them on;
2. build the message outside any transaction (documents rendered to PDF/A once, kept), send it;
3. the archive's replies (registers.archive) move the row forward only: mottatt → received,
   kvittering → archived with the archive's numbers on the record; ugyldigforespoersel → failed
   with the archive's reason (a caseworker resends after the cause is fixed); serverfeil,
   ikkefunnet, no answer → retry with backoff and jitter up to ARCHIVE_MAX_ATTEMPTS, then failed.

Nothing is archived twice: a retry keeps its message id (Fiks IO's klientMeldingId), and a
resend carries the same external key, which the archive answers by updating (`Eksisterende`).
The sweeper (tasks.periodic_archive_sweep) re-queues what was left behind and fetches replies.
"""

from __future__ import annotations

import logging
import random
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from lxml import etree

from accounts.models import User
from cases.models import Case
from core.enqueue import task_enqueue
from registers.archive import (
    IKKEFUNNET,
    KVITTERING,
    MOTTATT,
    NS_KVITTERING,
    SERVERFEIL,
    UGYLDIG,
    ArchiveReply,
    ArchiveUnavailable,
    archive,
    normalise_message_type,
    validate_message,
)

from . import tasks
from .conf import archive_identity
from .mapping import CLOSED_STATUSES
from .messages import build_message
from .models import ArchiveMessage, ArchiveRecord

logger = logging.getLogger(__name__)
Status = ArchiveMessage.Status
Source = ArchiveRecord.Source


# --- Writing rows (in the caller's transaction) ----------------------------------------------

def _enqueue_on_commit(message: ArchiveMessage) -> None:
    pk = message.pk
    transaction.on_commit(lambda: archive_enqueue(message_id=pk), robust=True)


def archive_enqueue(*, message_id, countdown: float | None = None) -> bool:
    """Hand a message to Celery; never raises (broker down: the sweeper picks it up)."""
    return task_enqueue(tasks.archive_send, args=[str(message_id)], countdown=countdown, logger=logger,
                        what=f"archive message {message_id}", fallback="the sweeper will send it")


def _message_create(*, record: ArchiveRecord, operation: str, key: str, changes: list | None = None) -> ArchiveMessage:
    message, created = ArchiveMessage.objects.get_or_create(
        idempotency_key=key, defaults={"record": record, "operation": operation, "changes": changes or []})
    if created:
        _enqueue_on_commit(message)
    return message


def case_file_record(*, case: Case) -> ArchiveRecord:
    """The case's case file (saksmappe), written with its create message the first time."""
    record, created = ArchiveRecord.objects.get_or_create(
        external_key=f"case:{case.pk}",
        defaults={"case": case, "kind": ArchiveRecord.Kind.CASE_FILE, "source": Source.CASE, "source_id": str(case.pk),
                  "title": case.title, "occurred_at": case.received_at})
    if created:
        _message_create(record=record, operation=ArchiveMessage.Operation.CREATE, key=f"create:{record.external_key}")
    return record


def registry_entry_record(*, case: Case, source: str, source_id, entry_type: str, title: str,
                          occurred_at: datetime) -> ArchiveRecord:
    """A registry entry (journalpost) in the case's case file, with its create message. The same
    source twice gives the same record (a retried request archives nothing twice)."""
    folder = case_file_record(case=case)
    record, created = ArchiveRecord.objects.get_or_create(
        external_key=f"{source}:{source_id}",
        defaults={"case": case, "case_file": folder, "kind": ArchiveRecord.Kind.REGISTRY_ENTRY, "source": source,
                  "source_id": str(source_id), "entry_type": entry_type, "title": title[:300],
                  "occurred_at": occurred_at})
    if created:
        _message_create(record=record, operation=ArchiveMessage.Operation.CREATE, key=f"create:{record.external_key}")
    return record


def case_file_update(*, case: Case, changes: list[dict], reason: str) -> ArchiveMessage | None:
    """The case file changed (closed, reopened): an update message, sent after the case file is
    archived. `reason` makes the key unique per change (e.g. the case version)."""
    folder = case_file_record(case=case)
    return _message_create(record=folder, operation=ArchiveMessage.Operation.UPDATE,
                           key=f"update:{folder.external_key}:{reason}", changes=changes)


# --- On the lower apps' events (receivers.py) --------------------------------------------------

def archive_application_submitted(*, case: Case, application) -> ArchiveRecord:
    return registry_entry_record(case=case, source=Source.APPLICATION, source_id=application.pk,
                                 entry_type=ArchiveRecord.EntryType.INCOMING, title=case.title,
                                 occurred_at=case.received_at)


def archive_documents_received(*, case: Case, information_request, documents) -> ArchiveRecord:
    with _municipality_language():
        title = _("Answer to a request for information in case %(number)s") % {"number": case.case_number}
    return registry_entry_record(case=case, source=Source.DOCUMENTS, source_id=information_request.pk,
                                 entry_type=ArchiveRecord.EntryType.INCOMING, title=title,
                                 occurred_at=information_request.answered_at or timezone.now())


def archive_letter(*, letter) -> ArchiveRecord | None:
    if letter.case_id is None:
        return None  # not part of a case: no case file to journal it in
    return registry_entry_record(case=letter.case, source=Source.LETTER, source_id=letter.pk,
                                 entry_type=ArchiveRecord.EntryType.OUTGOING, title=letter.title,
                                 occurred_at=letter.sent_at or letter.created_at)


def archive_message(*, message) -> ArchiveRecord | None:
    if message.case_id is None:
        return None  # a general enquiry outside any case
    case = message.case
    with _municipality_language():
        if message.from_municipality:
            title = _("Message to the applicant in case %(number)s") % {"number": case.case_number}
        else:
            title = _("Message from the applicant in case %(number)s") % {"number": case.case_number}
    entry_type = ArchiveRecord.EntryType.OUTGOING if message.from_municipality else ArchiveRecord.EntryType.INCOMING
    return registry_entry_record(case=case, source=Source.MESSAGE, source_id=message.pk, entry_type=entry_type,
                                 title=title, occurred_at=message.created_at)


def archive_note(*, case: Case, event) -> ArchiveRecord | None:
    """An internal note as an internal registry entry (X), when the municipality wants them."""
    if not settings.ARCHIVE_INTERNAL_NOTES:
        return None
    with _municipality_language():
        title = _("Internal note in case %(number)s") % {"number": case.case_number}
    return registry_entry_record(case=case, source=Source.NOTE, source_id=event.pk,
                                 entry_type=ArchiveRecord.EntryType.INTERNAL, title=title, occurred_at=event.created_at)


def archive_case_status_changed(*, case: Case, from_status: str, to_status: str, version: int, by) -> ArchiveMessage | None:
    """A case that closes (or opens again) changes its case file's status: an update."""
    was_closed, is_closed = from_status in CLOSED_STATUSES, to_status in CLOSED_STATUSES
    if was_closed == is_closed:
        return None
    changes = [{"field": "saksstatus", "old": "A" if was_closed else "B", "new": "A" if is_closed else "B",
                "by": (by.get_full_name() or by.email) if by else archive_identity().system,
                "at": timezone.now().isoformat()}]
    return case_file_update(case=case, changes=changes, reason=f"v{version}")


def _municipality_language():
    from django.utils import translation

    return translation.override(settings.LANGUAGE_CODE)


# --- Sending -----------------------------------------------------------------------------------

def _waits_for_case_file(message: ArchiveMessage) -> bool:
    record = message.record
    if message.operation == ArchiveMessage.Operation.UPDATE:
        return record.archived_at is None
    if record.kind == ArchiveRecord.Kind.REGISTRY_ENTRY:
        return not ArchiveRecord.objects.filter(pk=record.case_file_id, archived_at__isnull=False).exists()
    return False


def _claim(message_id, now: datetime) -> bool:
    return bool(
        ArchiveMessage.objects.filter(pk=message_id, status__in=ArchiveMessage.SENDABLE)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .update(status=Status.SENDING, attempts=F("attempts") + 1, updated_at=now)
    )


def _move(message: ArchiveMessage, *, allowed_from, **fields) -> bool:
    """Move the row forward only from the given states; False when it was elsewhere."""
    fields["updated_at"] = timezone.now()
    updated = ArchiveMessage.objects.filter(pk=message.pk, status__in=allowed_from).update(**fields)
    if updated:
        for name, value in fields.items():
            setattr(message, name, value)
    return bool(updated)


def retry_delay(attempts: int) -> float:
    """Exponential backoff with jitter, capped below the broker's visibility timeout."""
    delay = min(settings.ARCHIVE_RETRY_MAX_SECONDS, settings.ARCHIVE_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0))
    return delay * random.uniform(0.5, 1.0)


def _transient(message: ArchiveMessage, error: str, *, allowed_from, now: datetime | None = None) -> None:
    now = now or timezone.now()
    message.refresh_from_db(fields=["attempts"])
    if message.attempts >= settings.ARCHIVE_MAX_ATTEMPTS:
        logger.warning("Archive message %s failed after %s attempts: %s", message.pk, message.attempts, error)
        _move(message, allowed_from=allowed_from, status=Status.FAILED, next_attempt_at=None,
              last_error=(_("No answer from the archive after %(n)d attempts: %(error)s") % {
                  "n": message.attempts, "error": error})[:1000])
        return
    delay = retry_delay(message.attempts)
    if _move(message, allowed_from=allowed_from, status=Status.RETRY, last_error=error[:1000],
             next_attempt_at=now + timedelta(seconds=delay)):
        pk = message.pk
        transaction.on_commit(lambda: archive_enqueue(message_id=pk, countdown=delay), robust=True)


def archive_send(*, message_id, now: datetime | None = None) -> ArchiveMessage | None:
    """Send one message if it is sendable, due and not waiting for its case file; then fetch the
    archive's replies. None when it was not ours to send."""
    now = now or timezone.now()
    message = ArchiveMessage.objects.select_related("record").filter(pk=message_id).first()
    if message is None or message.status not in ArchiveMessage.SENDABLE:
        return None
    if _waits_for_case_file(message):
        logger.info("Archive message %s waits for its case file", message_id)
        return None
    if not _claim(message_id, now):
        return None
    message.refresh_from_db()
    try:
        outgoing = build_message(message)
        archive().send(outgoing)
    except ArchiveUnavailable as error:
        _transient(message, str(error), allowed_from=[Status.SENDING], now=now)
    except Exception as error:
        # A bug, a missing file, a renderer that failed: retried like an outage, so a fix in
        # time still archives it; after the last attempt a caseworker sees it and can resend.
        logger.exception("Archive message %s could not be built or sent", message_id)
        _transient(message, f"{type(error).__name__}: {error}", allowed_from=[Status.SENDING], now=now)
    else:
        _move(message, allowed_from=[Status.SENDING], status=Status.SENT, sent_at=timezone.now(), last_error="")
    archive_replies_process()
    message.refresh_from_db()
    return message


# --- Replies -----------------------------------------------------------------------------------

def _error_text(reply: ArchiveReply) -> str:
    try:
        root = etree.fromstring(reply.payload, parser=etree.XMLParser(resolve_entities=False, no_network=True))
        found = root.find("{*}feilmelding")
        return (found.text or "").strip() if found is not None and found.text else reply.message_type
    except (etree.XMLSyntaxError, ValueError):
        return reply.message_type


def _apply_receipt(message: ArchiveMessage, payload: bytes) -> None:
    record = message.record
    fields: dict = {"archived_at": timezone.now()}
    if payload:
        root = validate_message(payload)
        ns = {"k": NS_KVITTERING}

        def value(path):
            found = root.find(path, ns)
            return found.text.strip() if found is not None and found.text else ""

        if record.kind == ArchiveRecord.Kind.CASE_FILE:
            fields.update(archive_system_id=value("k:mappeKvittering/k:systemID"),
                          case_year=int(value("k:mappeKvittering/k:saksaar") or 0) or None,
                          case_sequence=int(value("k:mappeKvittering/k:sakssekvensnummer") or 0) or None)
        else:
            fields.update(archive_system_id=value("k:registreringKvittering/k:systemID"),
                          journal_year=int(value("k:registreringKvittering/k:journalaar") or 0) or None,
                          journal_sequence=int(value("k:registreringKvittering/k:journalsekvensnummer") or 0) or None,
                          journal_number=int(value("k:registreringKvittering/k:journalpostnummer") or 0) or None)
    ArchiveRecord.objects.filter(pk=record.pk).update(**fields, updated_at=timezone.now())
    if record.kind == ArchiveRecord.Kind.CASE_FILE:
        # The case file is there: what waited for it goes now.
        waiting = ArchiveMessage.objects.filter(
            Q(record__case_file=record) | Q(record=record, operation=ArchiveMessage.Operation.UPDATE),
            status=Status.CREATED).order_by("record__occurred_at", "created_at").values_list("pk", flat=True)
        for pk in list(waiting):
            transaction.on_commit(lambda pk=pk: archive_enqueue(message_id=pk), robust=True)


def archive_reply_apply(reply: ArchiveReply) -> ArchiveMessage | None:
    """Apply one reply to the message it answers (forward only). None when it answers no
    message of ours, or says nothing new."""
    message = ArchiveMessage.objects.select_related("record").filter(pk=reply.in_reply_to).first()
    if message is None:
        logger.warning("Archive reply %s answers unknown message %s", reply.reply_id, reply.in_reply_to)
        return None
    kind = normalise_message_type(reply.message_type)
    now = timezone.now()
    before_receipt = [Status.SENDING, Status.SENT, Status.RECEIVED, Status.RETRY]
    with transaction.atomic():
        if kind in MOTTATT.values():
            moved = _move(message, allowed_from=[Status.SENDING, Status.SENT, Status.RETRY], status=Status.RECEIVED,
                          received_at=now, next_attempt_at=None)
        elif kind in KVITTERING.values():
            moved = _move(message, allowed_from=before_receipt, status=Status.ARCHIVED, archived_at=now,
                          next_attempt_at=None, last_error="")
            if moved:
                _apply_receipt(message, reply.payload)
        elif kind == UGYLDIG:
            moved = _move(message, allowed_from=before_receipt, status=Status.FAILED, next_attempt_at=None,
                          last_error=(_("The archive rejected the message: %(reason)s") % {
                              "reason": _error_text(reply)})[:1000])
        elif kind in (SERVERFEIL, IKKEFUNNET):
            moved = message.status in before_receipt
            if moved:
                what = _("The archive failed") if kind == SERVERFEIL else _("The archive does not have the case file yet")
                _transient(message, f"{what}: {_error_text(reply)}", allowed_from=before_receipt, now=now)
        else:
            logger.warning("Archive reply of unknown type %s", reply.message_type)
            return None
    return message if moved else None


def archive_replies_process(*, limit: int = 200) -> int:
    """Fetch and apply the archive's replies, acknowledging each once applied. Returns how
    many were handled; an archive that does not answer leaves them for the next run."""
    adapter = archive()
    handled = 0
    while True:
        try:
            replies = adapter.replies(limit=limit)
        except ArchiveUnavailable as error:
            logger.info("Archive replies not fetched: %s", error)
            return handled
        if not replies:
            return handled
        for reply in replies:
            archive_reply_apply(reply)
            adapter.acknowledge(reply.reply_id)
            handled += 1
        if len(replies) < limit:
            return handled


# --- Sweeper, resend ---------------------------------------------------------------------------

def archive_sweep(*, now: datetime | None = None, limit: int = 2000) -> dict:
    """Fetch replies; time out rows stuck in sending or waiting for an answer (the worker died,
    the archive lost it: sending again is safe, see the module docstring); re-queue rows left in
    created and retries that are due."""
    now = now or timezone.now()
    replies = archive_replies_process()
    stuck_before = now - timedelta(seconds=settings.ARCHIVE_SENDING_TIMEOUT_SECONDS)
    unanswered_before = now - timedelta(seconds=settings.ARCHIVE_REPLY_TIMEOUT_SECONDS)
    timed_out = ArchiveMessage.objects.filter(
        Q(status=Status.SENDING, updated_at__lte=stuck_before)
        | Q(status__in=[Status.SENT, Status.RECEIVED], updated_at__lte=unanswered_before)
    ).update(status=Status.RETRY, next_attempt_at=now, updated_at=now,
             last_error="No receipt from the archive in time; sent again (the archive ignores a duplicate)")
    requeue_after = now - timedelta(seconds=settings.ARCHIVE_REQUEUE_AFTER_SECONDS)
    # Only what can go now: a registry entry or an update waits for its case file, and the case
    # file's receipt hands it on (re-queueing the entries of a rejected case file every minute
    # would only fill the queue).
    can_go = (Q(record__kind=ArchiveRecord.Kind.CASE_FILE, operation=ArchiveMessage.Operation.CREATE)
              | Q(record__kind=ArchiveRecord.Kind.REGISTRY_ENTRY, record__case_file__archived_at__isnull=False)
              | Q(operation=ArchiveMessage.Operation.UPDATE, record__archived_at__isnull=False))
    due = ArchiveMessage.objects.filter(
        Q(status=Status.CREATED, created_at__lte=requeue_after) | Q(status=Status.RETRY, next_attempt_at__lte=now)
    ).filter(can_go).order_by("created_at").values_list("pk", flat=True)[:limit]
    queued = sum(archive_enqueue(message_id=pk) for pk in list(due))
    if replies or timed_out or queued:
        logger.info("Archive sweep: %s replies, %s timed out, %s re-queued", replies, timed_out, queued)
    return {"replies": replies, "timed_out": timed_out, "requeued": queued}


class NotResendable(Exception):
    pass


def archive_message_resend(*, message: ArchiveMessage, by: User) -> ArchiveMessage:
    """A caseworker resends a failed message (after the cause was fixed): a new message for the
    same record (the failed one stays as the record of what happened). The external key makes
    the archive update, never duplicate."""
    with transaction.atomic():
        original = ArchiveMessage.objects.select_for_update().get(pk=message.pk)
        if original.status != Status.FAILED:
            raise NotResendable(_("Only a failed archive message can be sent again."))
        if original.resends.exclude(status=Status.FAILED).exists():
            raise NotResendable(_("This message is already on its way to the archive again."))
        number = original.resends.count() + 1
        resend = ArchiveMessage.objects.create(
            record_id=original.record_id, operation=original.operation, changes=original.changes, resend_of=original,
            idempotency_key=f"{original.idempotency_key}:resend-{number}")
        _enqueue_on_commit(resend)
    logger.info("Archive message %s resent as %s by user %s", original.pk, resend.pk, by.pk)
    return resend
