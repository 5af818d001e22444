"""Letters and messages. letter_create() is what other apps call to send a formal letter;
message_create() is the one way a message enters a thread (citizen or caseworker). The letters
a case's change needs (the decision, a request for information) are written here, on cases'
signals (correspondence/apps.py). How a letter or message reaches the citizen (the outbox) is
notifications', on correspondence.signals, in the same transaction."""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Organisation, User
from accounts.tenancy import working_municipality_id
from cases.models import Case, Decision, InformationRequest
from cases.services import decision_letter_attach, information_request_letter_attach
from core.enqueue import task_enqueue
from core.storage import storage_delete, storage_save
from core.uploads import UploadRules, upload_delete, upload_store, upload_validate

from . import signals, tasks
from .models import Letter, Message, MessageAttachment, MessageThread
from .pdf import ARCHIVAL_PDF_VARIANT, render_pdf

logger = logging.getLogger(__name__)

MESSAGE_MAX_LENGTH = 5000
MESSAGE_MAX_ATTACHMENTS = 5
INFORMATION_REQUEST_TEMPLATE = "correspondence/pdf/information_request.html"
DECISION_TEMPLATE = "correspondence/pdf/decision.html"


# --- Letters ---------------------------------------------------------------------------------

def letter_create(
    *, recipient: User, kind: str, title: str, template: str, context: dict,
    case=None, organisation: Organisation | None = None, language: str | None = None,
    needs_notice: bool = False, created_by: User | None = None, municipality=None,
) -> Letter:
    """Write a letter in the caller's transaction. After commit its PDF is rendered and it is
    delivered (digital mailbox, Min Side + notice, or paper): its outbox row is written by
    notifications on correspondence.signals.letter_created, in this transaction.

    `title` must be non-sensitive: it may be shown in e-mail and SMS notices. `template` is a
    PDF template extending correspondence/pdf/base.html, owned by the sending app."""
    if kind not in Letter.Kind.values:
        raise ValueError(f"Unknown letter kind {kind!r}")
    # The sender: the case's municipality, else the one the caller works in (its scope).
    municipality_id = case.municipality_id if case is not None else working_municipality_id(municipality)
    if municipality_id is None:
        raise ValueError("A letter needs its sending municipality (a case, or an active municipality scope)")
    if case is not None and organisation is None:
        organisation = case.organisation
    with transaction.atomic():
        letter = Letter.objects.create(
            municipality_id=municipality_id, recipient=recipient, kind=kind, title=title, template=template, context=context,
            case=case, organisation=organisation, language=language or recipient.preferred_language or "nb",
            needs_notice=needs_notice, created_by=created_by, sent_at=timezone.now(),
        )
        # The outbox row in the same transaction: the letter and its delivery commit together
        # or not at all (notifications routes it: digital mailbox, notice, or paper).
        signals.letter_created.send(sender=Letter, letter=letter)
        # After commit; a broker that is down neither fails nor delays the caller: the
        # periodic sweeper (tasks.periodic_render_missing_pdfs) renders what was left behind.
        letter_pk = letter.pk
        transaction.on_commit(lambda: task_enqueue(
            tasks.letter_render_pdf_task, args=[str(letter_pk)], logger=logger,
            what=f"the PDF of letter {letter_pk}", fallback="the sweeper will render it"), robust=True)
    return letter


def letter_pdf_context(*, letter: Letter) -> dict:
    """What every letter template gets: defaults from the letter, then the sender's own
    `context` (which wins on a clash), then the letter itself."""
    recipient = letter.recipient
    return {
        "title": letter.title,
        "kind": letter.get_kind_display(),
        "recipient_name": recipient.get_full_name(),
        "organisation_name": letter.organisation.name if letter.organisation_id else "",
        "case_number": letter.case.case_number if letter.case_id else "",
        "letter_date": timezone.localdate(letter.sent_at or letter.created_at),
        **letter.context,
        "letter": letter,
        "LANGUAGE_CODE": letter.language,
    }


def letter_render_pdf(*, letter: Letter) -> None:
    """Render and store the letter's archival PDF (PDF/A-3b) if it has none yet. Idempotent and
    safe to run twice at once: rendering happens outside any transaction, then the row is
    locked and only the first result is kept."""
    if letter.pdf:
        return
    letter = Letter.objects.select_related("recipient", "organisation", "case", "municipality").get(pk=letter.pk)
    if letter.pdf:
        return
    with translation.override(letter.language):  # the kind's label in the letter's language
        context = letter_pdf_context(letter=letter)
    content = render_pdf(template=letter.template, context=context, language=letter.language,
                         pdf_variant=ARCHIVAL_PDF_VARIANT, municipality=letter.municipality)
    # The object first, outside any transaction (no row lock is held while the file store
    # works), under a server-generated name: nothing the sender typed ends up in a path. A
    # store that is down raises StorageUnavailable (an OSError: the task retries) and the row
    # stays without a PDF for the sweeper.
    name = storage_save(name=Letter._meta.get_field("pdf").generate_filename(letter, f"{letter.pk}.pdf"),
                        content=ContentFile(content))
    with transaction.atomic():
        locked = Letter.objects.select_for_update().get(pk=letter.pk)
        won = not locked.pdf
        if won:
            locked.pdf.name = name
            locked.save(update_fields=["pdf", "updated_at"])
    if not won:
        storage_delete(name=name)  # another worker won the race; its file is the letter
        return
    logger.info("Rendered letter %s (%d bytes)", letter.pk, len(content))


def letter_mark_read(*, letter: Letter, by: User) -> bool:
    """Record the first time the recipient (or a representative) opened the letter; visible to
    the caseworker. Staff looking at it never count. Returns True if this was the first read."""
    if by.is_staff and not by.is_citizen:
        return False
    now = timezone.now()
    # A conditional UPDATE: two tabs opening the letter at once record one read.
    updated = Letter.objects.filter(pk=letter.pk, read_at__isnull=True).update(read_at=now, read_by=by, updated_at=now)
    if updated:
        letter.read_at, letter.read_by = now, by
    return bool(updated)


# --- Messages --------------------------------------------------------------------------------

def thread_get_or_create_for_case(*, case) -> MessageThread:
    """The case's thread (one per case), created when first needed."""
    thread, _created = MessageThread.objects.get_or_create(
        case=case,
        defaults={"municipality_id": case.municipality_id, "citizen": case.applicant, "organisation": case.organisation,
                  "subject": f"{case.case_number} {case.title}"},
    )
    return thread


def thread_get_or_create_general(*, citizen: User, municipality=None) -> MessageThread:
    """The citizen's "contact the municipality" thread with this municipality (one per citizen
    and municipality)."""
    thread, _created = MessageThread.objects.get_or_create(
        citizen=citizen, case=None, municipality_id=working_municipality_id(municipality), defaults={"subject": ""},
    )
    return thread


def message_attachment_rules():
    """The upload rules (core.uploads: PDF/PNG/JPEG by content, size), at most
    MESSAGE_MAX_ATTACHMENTS files per message."""
    return UploadRules(max_count=MESSAGE_MAX_ATTACHMENTS)


def message_validate(*, body: str, attachments: list | None = None) -> tuple[str, list]:
    """Check a message before it is written: a body within the length limit, and every
    attachment by the application upload rules. Raises ValidationError keyed by field
    ("body", "attachments") naming the rule broken. Returns the cleaned body and uploads."""
    body = (body or "").strip()
    attachments = [f for f in (attachments or []) if f]
    if not body:
        raise ValidationError({"body": _("Write a message.")}, code="required")
    if len(body) > MESSAGE_MAX_LENGTH:
        raise ValidationError(
            {"body": _("The message can be at most %(max)d characters.") % {"max": MESSAGE_MAX_LENGTH}}, code="max_length"
        )
    return body, _attachments_validate(attachments)


def message_create(
    *, thread: MessageThread, sender: User, body: str, from_municipality: bool,
    attachments: list | None = None,
) -> Message:
    """Add a message to a thread. Attachments are checked with the same rules as application
    uploads (type by content, size, count) before anything is written: a bad file is a
    ValidationError naming the rule, and nothing is saved. A message from the municipality
    notifies the citizen through the outbox (notifications, on correspondence.signals.message_sent)."""
    body, validated = message_validate(body=body, attachments=attachments)
    stored: list[MessageAttachment] = []
    try:
        with transaction.atomic():
            now = timezone.now()
            message = Message.objects.create(thread=thread, case=thread.case, sender=sender, body=body,
                                             from_municipality=from_municipality)
            for upload in validated:
                stored.append(_attachment_store(message=message, upload=upload))
            MessageThread.objects.filter(pk=thread.pk).update(last_message_at=now, updated_at=now)
            signals.message_sent.send(sender=Message, message=message)
    except Exception:
        # The rows rolled back; don't leave their files behind.
        for attachment in stored:
            upload_delete(stored_name=attachment.file.name)
        raise
    thread.last_message_at = now
    return message


def _attachments_validate(files: list) -> list:
    """Every file checked before anything is written: one bad file refuses the message."""
    if not files:
        return []
    rules = message_attachment_rules()
    validated = []
    for index, f in enumerate(files):
        try:
            validated.append(upload_validate(f, rules=rules, existing_count=index))
        except ValidationError as error:
            raise ValidationError({"attachments": error.messages}, code=error.code)
    return validated


def _attachment_store(*, message: Message, upload) -> MessageAttachment:
    """Store a validated upload under a server-generated name (core.uploads)."""
    stored_name = upload_store(upload=upload, prefix=f"messages/{message.thread_id}")
    return MessageAttachment.objects.create(
        message=message, file=stored_name, original_name=upload.original_name,
        content_type=upload.content_type, size=upload.size,
    )


def messages_mark_read(*, thread: MessageThread, by_municipality: bool) -> int:
    """Mark the other side's unread messages in the thread as read; returns how many."""
    now = timezone.now()
    return Message.objects.filter(
        Q(thread=thread), from_municipality=not by_municipality, read_at__isnull=True
    ).update(read_at=now, updated_at=now)


# --- The letters a case's change needs (cases.signals) ----------------------------------------

def _case_letter_language(case: Case) -> str:
    return case.applicant.preferred_language or "nb"


def decision_letter_write(*, case: Case, decision: Decision, by: User) -> Letter:
    """The decision letter: outcome, reasons, legal basis, the appeal deadline and how to
    appeal, in the citizen's language; attached to the decision (the case page links to it)."""
    language = _case_letter_language(case)
    with translation.override(language):
        title = _("Decision in case %(number)s") % {"number": case.case_number}
    letter = letter_create(
        recipient=case.applicant, kind=Letter.Kind.DECISION, title=title, template=DECISION_TEMPLATE,
        case=case, organisation=case.organisation, language=language, needs_notice=True, created_by=by,
        context={"case_number": case.case_number, "case_title": case.title,
                 "application_type": case.application_type,
                 "applicant_name": case.applicant.get_full_name(), "outcome": decision.outcome,
                 "reasoning": decision.reasoning, "legal_basis": decision.legal_basis,
                 "decided_on": timezone.localdate(decision.created_at).isoformat(),
                 "appeal_deadline": decision.appeal_deadline.isoformat(),
                 "caseworker_name": by.get_full_name() if by else "", "department": case.department.name},
    )
    decision_letter_attach(decision=decision, letter_id=letter.pk)
    return letter


def information_request_letter_write(*, case: Case, information_request: InformationRequest, by: User) -> Letter:
    """The letter that asks the citizen for information, with the answer date."""
    language = _case_letter_language(case)
    with translation.override(language):
        title = _("Request for information in case %(number)s") % {"number": case.case_number}
    letter = letter_create(
        recipient=case.applicant, kind=Letter.Kind.INFORMATION_REQUEST, title=title,
        template=INFORMATION_REQUEST_TEMPLATE, case=case, organisation=case.organisation, language=language,
        needs_notice=True, created_by=by,
        context={"case_number": case.case_number, "case_title": case.title,
                 "applicant_name": case.applicant.get_full_name(), "text": information_request.text,
                 "documents_requested": information_request.documents_requested,
                 "due_date": information_request.due_date.isoformat(),
                 "caseworker_name": by.get_full_name() if by else "", "department": case.department.name},
    )
    information_request_letter_attach(information_request=information_request, letter_id=letter.pk)
    return letter
