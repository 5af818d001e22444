"""The notification outbox: writing rows, routing them, delivering them, and the sweepers.

notification_create() is what other apps call, inside their own transaction. After commit the
row is handed to Celery (notifications.tasks.deliver); if the broker is down the row simply
waits for the sweeper. Delivery:

1. claim the row with a conditional UPDATE (status created/temporary-failure and due → sending);
   a row in any other state is left alone, so a redelivered task message sends nothing twice;
2. route it (channel "auto"): look the person up in KRR at every dispatch, then the citizen's
   preferences pick the channels; a letter goes to the digital mailbox, or stays in Min Side
   with e-mail/SMS notices, or goes on paper;
3. send outside any database transaction, then record the result. Transient errors retry with
   backoff and jitter up to NOTIFICATIONS_MAX_ATTEMPTS, then technical-failure; permanent
   errors end in permanent-failure.
"""

from __future__ import annotations

import csv
import io
import logging
import random
import smtplib
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.utils import make_msgid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.services import user_set_language
from accounts.tenancy import municipality_get, working_municipality_id
from core.enqueue import task_enqueue
from core.storage import storage_delete, storage_read, storage_save
from correspondence.pdf import render_pdf
from correspondence.services import letter_render_pdf
from registers.delivery import PermanentDeliveryError, TransientDeliveryError
from registers.digital_mailbox import digital_mailbox
from registers.krr import ContactInfo, contact_register
from registers.population import RegisterUnavailable, population_register
from registers.print_service import print_service
from registers.sms import sms_gateway

from . import tasks
from .models import NoticePreference, Notification, PrintBatch, PrintItem
from .selectors import mask_email, mask_mobile, notice_preference_for

logger = logging.getLogger(__name__)

Channel = Notification.Channel
Status = Notification.Status

LETTER = "letter"
LETTER_REMINDER = "letter_reminder"
# Letters a reserved person or one without usable contact details must get on paper.
FORMAL_LETTER_KINDS = {"decision", "offer", "information_request"}
LANGUAGES = {"nb", "nn", "en"}


# --- Writing rows ----------------------------------------------------------------------------

def notification_create(
    *, recipient: User, template: str, idempotency_key: str, context: dict | None = None,
    case=None, letter=None, channel: str = Channel.AUTO, language: str = "",
    due_at: datetime | None = None, municipality=None,
) -> Notification:
    """Write an outbox row in the caller's transaction; it is delivered after commit.
    The same idempotency key twice gives the same row (a retried request sends nothing twice).
    `due_at` makes it wait (reminders): the periodic sweeper sends it when due."""
    municipality_id = (case.municipality_id if case is not None else
                       letter.municipality_id if letter is not None else working_municipality_id(municipality))
    if municipality_id is None:
        raise ValueError("A notification needs its sending municipality (a case, a letter or an active scope)")
    notification, created = Notification.objects.get_or_create(
        idempotency_key=idempotency_key,
        defaults={"municipality_id": municipality_id, "recipient": recipient, "template": template, "context": context or {},
                  "case": case, "letter": letter, "channel": channel, "language": language,
                  "next_attempt_at": due_at},
    )
    if created and due_at is None:
        notification_enqueue_on_commit(notification_id=notification.pk)
    return notification


def notification_for_letter(*, letter) -> Notification:
    """A letter's delivery (its channel is chosen at delivery: digital mailbox, Min Side with a
    notice, or paper). On correspondence.signals.letter_created, in the letter's transaction."""
    return notification_create(recipient=letter.recipient, template=LETTER, letter=letter, case=letter.case,
                               idempotency_key=f"letter-{letter.pk}")


def notification_for_message(*, message) -> Notification | None:
    """A message from the municipality: the citizen is told there is one. The notice carries the
    thread's subject only, never the message itself. Messages from the citizen notify nobody."""
    if not message.from_municipality:
        return None
    thread = message.thread
    return notification_create(recipient=thread.citizen, template="message", case=thread.case,
                               municipality=thread.municipality_id,
                               context={"subject": thread.subject, "thread_id": str(thread.pk)},
                               idempotency_key=f"message-{message.pk}")


def notification_for_case_status(*, case, to_status: str, version: int) -> Notification:
    """The citizen's notice that their case changed status; one per version of the case, so a
    retried request creates nothing twice. On cases.signals.case_status_changed."""
    return notification_create(
        recipient=case.applicant, template="case_status_changed", case=case,
        idempotency_key=f"case:{case.pk}:v{version}",
        context={"case_id": str(case.pk), "case_number": case.case_number, "title": case.title,
                 "application_type": case.application_type, "status": to_status},
    )


def notification_enqueue_on_commit(*, notification_id) -> None:
    transaction.on_commit(lambda: notification_enqueue(notification_id=notification_id), robust=True)


def notification_enqueue(*, notification_id, countdown: float | None = None) -> bool:
    """Hand a row to Celery. Never raises: with the broker down the row stays in the outbox
    and the sweeper re-queues it (the caller's work, e.g. a submission, has already committed)."""
    return task_enqueue(tasks.deliver, args=[str(notification_id)], countdown=countdown, logger=logger,
                        what=f"notification {notification_id}", fallback="the sweeper will pick it up")


# --- Routing ---------------------------------------------------------------------------------

@dataclass
class Route:
    channels: list[str] = field(default_factory=list)  # concrete channels; the first is this row's
    language: str = "nb"
    # Why nothing is sent (the letter stays in Min Side, or there is no usable contact).
    reason: str = ""


def notice_addresses(*, user: User, contact: ContactInfo | None, now: datetime) -> tuple[str, str]:
    """(e-mail, mobile) usable for notices: KRR's when current (not older than 18 months,
    not reserved), else what the citizen gave Min Side in their profile."""
    email = (contact.usable_email(now) if contact else None) or user.email
    mobile = (contact.usable_mobile(now) if contact else None) or user.mobile
    return email or "", mobile or ""


def notification_language(*, user: User, contact: ContactInfo | None, fallback: str = "") -> str:
    """The citizen's language: their profile, else KRR, else the sender's choice, else bokmål."""
    for code in (user.preferred_language, contact.language if contact else "", fallback):
        if code in LANGUAGES:
            return code
    return "nb"


def notification_route(*, notification: Notification, contact: ContactInfo | None,
                       preference: NoticePreference, now: datetime, told_otherwise: bool = False) -> Route:
    """Decide the channels for one row from KRR and the citizen's preferences. Pure: no I/O.
    `told_otherwise`: another notice names this letter (e.g. "case_received" with the receipt),
    so a letter kept in Min Side needs no notice of its own."""
    user = notification.recipient
    route = Route(language=notification_language(user=user, contact=contact, fallback=notification.language))
    email, mobile = notice_addresses(user=user, contact=contact, now=now)
    notice_channels = []
    if preference.email and email:
        notice_channels.append(Channel.EMAIL)
    if preference.sms and mobile:
        notice_channels.append(Channel.SMS)

    letter = notification.letter
    if notification.template == LETTER and letter is not None:
        if contact is not None and contact.reserved:
            route.channels = [Channel.PAPER]
        elif contact is not None and contact.digital_mailbox is not None:
            route.channels = [Channel.DIGITAL_MAILBOX]
        elif notice_channels and told_otherwise:
            route.reason = "The letter is in Min Side; the citizen is told about it by another notice"
        elif notice_channels:
            route.channels = notice_channels
        elif letter.needs_notice or letter.kind in FORMAL_LETTER_KINDS:
            route.channels = [Channel.PAPER]
        else:
            route.reason = "No usable contact details: the letter is in Min Side without a notice"
        return route

    route.channels = notice_channels
    if not notice_channels:
        route.reason = "No usable contact details for a notice"
    return route


def _apply_route(notification: Notification, route: Route) -> Notification:
    """Turn an "auto" row into its first channel and add one row per further channel (each
    with its own idempotency key), enqueued after commit."""
    if not route.channels or len(route.channels) == 1:
        # One statement: no transaction needed (and one round trip less per notification).
        return _apply_route_rows(notification, route)
    with transaction.atomic():
        return _apply_route_rows(notification, route)


def _apply_route_rows(notification: Notification, route: Route) -> Notification:
    if not route.channels:
        Notification.objects.filter(pk=notification.pk, status=Status.SENDING).update(
            status=Status.CANCELLED, last_error=route.reason, language=route.language, updated_at=timezone.now())
        notification.status, notification.last_error = Status.CANCELLED, route.reason
        return notification
    first, *others = route.channels
    Notification.objects.filter(pk=notification.pk).update(channel=first, language=route.language)
    notification.channel, notification.language = first, route.language
    for channel in others:
        sibling, created = Notification.objects.get_or_create(
            idempotency_key=f"{notification.idempotency_key}:{channel}",
            defaults={"municipality_id": notification.municipality_id,
                      "recipient_id": notification.recipient_id, "template": notification.template,
                      "context": notification.context, "case_id": notification.case_id,
                      "letter_id": notification.letter_id, "channel": channel, "language": route.language},
        )
        if created:
            notification_enqueue_on_commit(notification_id=sibling.pk)
    return notification


# --- Rendering -------------------------------------------------------------------------------

@dataclass
class RenderedNotice:
    subject: str
    body: str
    sms: str


def _link(notification: Notification) -> str:
    """Where the notice takes the citizen: the conversation, the letter, the case, or Min Side."""
    thread_id = (notification.context or {}).get("thread_id")
    if thread_id:
        name, args = "correspondence:thread-detail", [thread_id]
    elif notification.letter_id:
        name, args = "correspondence:letter-detail", [notification.letter_id]
    elif notification.case_id:
        name, args = "cases:detail", [notification.case_id]
    else:
        name, args = "home", []
    return municipality_url(notification.municipality_id, reverse(name, args=args))


def municipality_url(municipality_id, path: str) -> str:
    """An absolute link on the municipality's own host (its primary host name), so a notice
    from Lier takes the citizen to Lier's Min Side. SITE_URL's scheme (https in production)."""
    municipality = municipality_get(municipality_id)
    host = municipality.primary_host if municipality is not None else ""
    scheme, _sep, rest = settings.SITE_URL.partition("://")
    if not host:
        return settings.SITE_URL.rstrip("/") + path
    port = rest.split("/")[0].partition(":")[2]
    return f"{scheme}://{host}{':' + port if port else ''}{path}"


def notification_render(*, notification: Notification, language: str | None = None) -> RenderedNotice:
    """The e-mail subject and body and the SMS text, in the row's language. Only the letter's
    non-sensitive title and the case number appear: never the content of a letter."""
    language = language or notification.language or "nb"
    context = {
        "letter_title": notification.letter.title if notification.letter_id else "",
        "case_number": notification.case.case_number if notification.case_id else "",
        **(notification.context or {}),
        "municipality_name": _municipality_name(notification, language),
        "link": _link(notification),
    }
    parts = {}
    with translation.override(language):
        for part in ("subject", "email", "sms"):
            names = [f"notifications/{notification.template}/{part}.txt", f"notifications/generic/{part}.txt"]
            parts[part] = _render_first(names, context)
    return RenderedNotice(subject=" ".join(parts["subject"].split()), body=parts["email"].strip() + "\n",
                          sms=" ".join(parts["sms"].split()))


def _municipality_name(notification: Notification, language: str) -> str:
    municipality = municipality_get(notification.municipality_id)
    if municipality is None:
        return ""
    with translation.override(language):
        return municipality.display_name


def _render_first(names: list[str], context: dict) -> str:
    for name in names:
        try:
            return render_to_string(name, context)
        except TemplateDoesNotExist:
            continue
    raise TemplateDoesNotExist(names[0])


# --- Delivery --------------------------------------------------------------------------------

def _claim(notification_id, now: datetime) -> bool:
    return bool(
        Notification.objects.filter(pk=notification_id, status__in=Notification.SENDABLE)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .update(status=Status.SENDING, attempts=F("attempts") + 1, updated_at=now)
    )


def _lookup_contact(user: User) -> ContactInfo | None:
    if not user.national_id:
        return None
    return contact_register().lookup(user.national_id)


def notification_deliver(*, notification_id, now: datetime | None = None) -> Notification | None:
    """Deliver one row if it is sendable and due; None when it was not ours to send."""
    now = now or timezone.now()
    if not _claim(notification_id, now):
        logger.info("Notification %s is not sendable now; left alone", notification_id)
        return None
    notification = Notification.objects.select_related("recipient", "letter", "case").get(pk=notification_id)
    try:
        if notification.template == LETTER_REMINDER and notification.letter and notification.letter.read_at:
            return _finish(notification, status=Status.CANCELLED, last_error="The letter was read before the reminder")
        contact = _lookup_contact(notification.recipient)
        if notification.channel == Channel.AUTO:
            preference = notice_preference_for(user=notification.recipient)
            told_otherwise = bool(notification.template == LETTER and notification.letter_id and (
                Notification.objects.filter(letter_id=notification.letter_id)
                .exclude(template__in=[LETTER, LETTER_REMINDER]).exists()))
            route = notification_route(notification=notification, contact=contact, preference=preference, now=now,
                                       told_otherwise=told_otherwise)
            notification = _apply_route(notification, route)
            if notification.status == Status.CANCELLED:
                logger.info("Notification %s cancelled: %s", notification.pk, route.reason)
                return notification
        if notification.channel == Channel.PAPER:
            return _queue_for_print(notification)
        reference, destination = _send(notification, contact=contact, now=now)
    except (TransientDeliveryError, RegisterUnavailable) as exc:
        return _record_transient(notification, str(exc) or type(exc).__name__, now)
    except PermanentDeliveryError as exc:
        logger.info("Notification %s failed permanently: %s", notification.pk, exc)
        return _finish(notification, status=Status.PERMANENT_FAILURE, last_error=str(exc))
    except Exception as exc:
        # A bug or an unexpected provider answer: retried like a transient error, so a fix
        # deployed in time still delivers; after the last attempt a caseworker can resend.
        logger.exception("Unexpected error delivering notification %s", notification.pk)
        return _record_transient(notification, f"{type(exc).__name__}: {exc}", now)
    notification = _finish(notification, status=Status.SENT, provider_reference=reference,
                           destination=destination, sent_at=timezone.now(), last_error="")
    _schedule_reminder(notification)
    return notification


def _finish(notification: Notification, **fields) -> Notification:
    # Only from `sending` (or a state the sweeper moved it to meanwhile): never backwards
    # from delivered, and never over a callback that already said more.
    fields["updated_at"] = timezone.now()
    updated = Notification.objects.filter(
        pk=notification.pk, status__in=[Status.SENDING, Status.TEMPORARY_FAILURE, Status.TECHNICAL_FAILURE],
    ).update(**fields)
    if updated:
        for name, value in fields.items():
            setattr(notification, name, value)
    else:
        notification.refresh_from_db()
    return notification


def retry_delay(attempts: int) -> float:
    """Exponential backoff with jitter: base·2^(n-1) capped, then a random half to full of it,
    so a provider coming back is not hit by every retry at the same second."""
    delay = min(settings.NOTIFICATIONS_RETRY_MAX_SECONDS, settings.NOTIFICATIONS_RETRY_BASE_SECONDS * 2 ** (attempts - 1))
    return delay * random.uniform(0.5, 1.0)


def _record_transient(notification: Notification, error: str, now: datetime) -> Notification:
    notification.refresh_from_db(fields=["attempts"])
    if notification.attempts >= settings.NOTIFICATIONS_MAX_ATTEMPTS:
        logger.warning("Notification %s: technical failure after %s attempts", notification.pk, notification.attempts)
        return _finish(notification, status=Status.TECHNICAL_FAILURE, last_error=error[:1000], next_attempt_at=None)
    delay = retry_delay(notification.attempts)
    notification = _finish(notification, status=Status.TEMPORARY_FAILURE, last_error=error[:1000],
                           next_attempt_at=now + timedelta(seconds=delay))
    notification_enqueue(notification_id=notification.pk, countdown=delay)
    return notification


def _send(notification: Notification, *, contact: ContactInfo | None, now: datetime) -> tuple[str, str]:
    """Send through the row's channel; (provider reference, masked destination)."""
    user = notification.recipient
    if notification.channel == Channel.DIGITAL_MAILBOX:
        if contact is None or contact.digital_mailbox is None or contact.reserved:
            raise PermanentDeliveryError("KRR no longer lists a digital mailbox for the recipient")
        if notification.letter is None:
            raise PermanentDeliveryError("Only letters go to the digital mailbox")
        mailbox = contact.digital_mailbox
        reference = digital_mailbox().send(
            national_id=user.national_id, provider=mailbox.provider, address=mailbox.address,
            title=notification.letter.title, pdf=letter_pdf_bytes(notification.letter),
            client_reference=str(notification.pk))
        return reference, mailbox.provider.capitalize() if mailbox.provider != "eboks" else "e-Boks"

    email, mobile = notice_addresses(user=user, contact=contact, now=now)
    rendered = notification_render(notification=notification)
    if notification.channel == Channel.EMAIL:
        if not email:
            raise PermanentDeliveryError("No usable e-mail address")
        return _send_email(notification, to=email, rendered=rendered), mask_email(email)
    if notification.channel == Channel.SMS:
        if not mobile:
            raise PermanentDeliveryError("No usable mobile number")
        reference = sms_gateway().send(to=mobile, text=rendered.sms, client_reference=str(notification.pk))
        return reference, mask_mobile(mobile)
    raise PermanentDeliveryError(f"Unknown channel {notification.channel}")


def _send_email(notification: Notification, *, to: str, rendered: RenderedNotice) -> str:
    message_id = make_msgid(idstring=str(notification.pk)[:8], domain="minside.local")
    message = EmailMessage(subject=rendered.subject, body=rendered.body, to=[to],
                           headers={"Message-ID": message_id})
    try:
        connection = get_connection(timeout=settings.NOTIFICATIONS_EMAIL_TIMEOUT_SECONDS) \
            if settings.EMAIL_BACKEND.endswith("smtp.EmailBackend") else get_connection()
        message.connection = connection
        message.send()
    except (TimeoutError, ConnectionError, smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError) as exc:
        raise TransientDeliveryError(f"Mail server unavailable ({type(exc).__name__})")
    except smtplib.SMTPRecipientsRefused as exc:
        codes = [code for code, _msg in exc.recipients.values()]
        if all(400 <= code < 500 for code in codes):
            raise TransientDeliveryError(f"Recipient deferred ({codes})")
        raise PermanentDeliveryError(f"Recipient refused ({codes})")
    except smtplib.SMTPResponseException as exc:
        if 400 <= exc.smtp_code < 500:
            raise TransientDeliveryError(f"SMTP {exc.smtp_code}")
        raise PermanentDeliveryError(f"SMTP {exc.smtp_code}")
    except OSError as exc:  # any other socket or SMTP protocol trouble: try again later
        raise TransientDeliveryError(f"Mail server unavailable ({type(exc).__name__})")
    return message_id.strip("<>")


def letter_pdf_bytes(letter) -> bytes:
    """The letter's stored archival PDF, rendered first if the render task has not run yet
    (correspondence.services.letter_render_pdf is idempotent)."""
    if not letter.pdf:
        letter_render_pdf(letter=letter)
        letter.refresh_from_db(fields=["pdf"])
    return storage_read(name=letter.pdf.name)


def _schedule_reminder(notification: Notification) -> None:
    """Day 7: a letter that needs notice and sits unread in Min Side gets a reminder row with a
    due time (picked up by the sweeper; never a long Celery countdown)."""
    letter = notification.letter
    if (notification.template != LETTER or letter is None or not letter.needs_notice
            or notification.channel not in (Channel.EMAIL, Channel.SMS) or notification.status != Status.SENT):
        return
    due = (notification.sent_at or timezone.now()) + timedelta(days=settings.NOTIFICATIONS_REMINDER_DAYS)
    try:
        with transaction.atomic():
            notification_create(recipient=notification.recipient, template=LETTER_REMINDER, letter=letter,
                                case=notification.case, idempotency_key=f"letter-{letter.pk}-reminder", due_at=due)
    except IntegrityError:
        pass  # the sibling notice (e-mail or SMS) created it at the same moment


# --- Paper -----------------------------------------------------------------------------------

def _queue_for_print(notification: Notification) -> Notification:
    """Paper: the letter waits in the print queue (status sending) for the daily batch."""
    person = population_register().person(notification.recipient.national_id or "")
    if person is None:
        return _finish(notification, status=Status.PERMANENT_FAILURE,
                       last_error="The population register has no postal address for the recipient")
    PrintItem.objects.get_or_create(notification=notification, defaults={
        "name": person.full_name,
        "address": {"street": person.address.street, "postcode": person.address.postcode, "city": person.address.city},
    })
    return _finish(notification, status=Status.SENDING, destination=_("Print queue"), last_error="")


def print_batch_create(*, now: datetime | None = None) -> PrintBatch | None:
    """Collect the letters waiting for print into one batch (zip of address sheet + letter PDF
    per letter, and a manifest), hand it to the print service and mark the letters sent."""

    now = now or timezone.now()
    with transaction.atomic():
        item_ids = list(PrintItem.objects.select_for_update(skip_locked=True).filter(batch__isnull=True)
                        .order_by("created_at", "pk").values_list("pk", flat=True)[:1000])
        if not item_ids:
            return None
        # One batch per municipality (this task runs in each one's scope: accounts.tenancy).
        municipality = municipality_get(working_municipality_id())
        prefix = f"print-{municipality.number}-{timezone.localdate(now).isoformat()}-"
        sequence = PrintBatch.objects.filter(reference__startswith=prefix).count() + 1
        batch = PrintBatch.objects.create(municipality=municipality, reference=f"{prefix}{sequence}",
                                          letters=len(item_ids))
        PrintItem.objects.filter(pk__in=item_ids).update(batch=batch)

    items = list(PrintItem.objects.filter(batch=batch).select_related("notification__letter", "notification__recipient"))
    try:
        buffer, manifest = io.BytesIO(), io.StringIO()
        writer = csv.writer(manifest)
        writer.writerow(["sequence", "notification", "name", "street", "postcode", "city", "files"])
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for n, item in enumerate(items, start=1):
                letter = item.notification.letter
                sheet = render_pdf(template="notifications/pdf/address_sheet.html", municipality=municipality,
                                   language=item.notification.language or "nb",
                                   context={"item": item, "title": letter.title if letter else "", "batch": batch})
                archive.writestr(f"{n:04d}-1-address.pdf", sheet)
                archive.writestr(f"{n:04d}-2-letter.pdf", letter_pdf_bytes(letter))
                writer.writerow([n, item.notification_id, item.name, item.address.get("street", ""),
                                 item.address.get("postcode", ""), item.address.get("city", ""),
                                 f"{n:04d}-1-address.pdf {n:04d}-2-letter.pdf"])
            archive.writestr("manifest.csv", manifest.getvalue())
        data = buffer.getvalue()
        # Kept before it is handed over: a file store that is down fails the batch here, and its
        # letters go back to the queue, instead of a batch printed with no copy of what was sent.
        batch.archive.name = storage_save(name=batch.archive.field.generate_filename(batch, f"{batch.reference}.zip"),
                                          content=ContentFile(data))
        reference = print_service().submit_batch(batch_reference=batch.reference, archive=data, letters=len(items))
    except Exception as exc:
        logger.exception("Print batch %s failed; its letters go back to the queue", batch.reference)
        PrintItem.objects.filter(batch=batch).update(batch=None)
        PrintBatch.objects.filter(pk=batch.pk).update(status=PrintBatch.Status.FAILED, letters=0,
                                                      last_error=f"{type(exc).__name__}: {exc}"[:1000])
        if batch.archive.name:
            storage_delete(name=batch.archive.name)  # not handed over: no archive of a batch never sent
        batch.refresh_from_db()
        return batch
    batch.provider_reference = reference
    batch.save(update_fields=["archive", "provider_reference", "updated_at"])
    Notification.objects.filter(print_item__batch=batch, status=Status.SENDING).update(
        status=Status.SENT, sent_at=timezone.now(), provider_reference=batch.reference, updated_at=timezone.now())
    return batch


# --- Sweepers, callbacks, resend ---------------------------------------------------------------

# Channels whose provider takes our client reference and never delivers it twice: a row whose
# worker died mid-send can be sent again safely. SMTP has no such thing.
IDEMPOTENT_CHANNELS = (Channel.SMS, Channel.DIGITAL_MAILBOX, Channel.AUTO)


def notification_sweep(*, now: datetime | None = None, limit: int = 5000) -> dict:
    """Re-queue rows left behind (broker down at commit, lost task message), due reminders and
    overdue retries; time out rows stuck in `sending` (the worker died)."""
    now = now or timezone.now()
    requeue_after = timedelta(seconds=settings.NOTIFICATIONS_REQUEUE_AFTER_SECONDS)
    stuck_before = now - timedelta(seconds=settings.NOTIFICATIONS_SENDING_TIMEOUT_SECONDS)

    stuck = Notification.objects.filter(status=Status.SENDING, updated_at__lte=stuck_before).exclude(channel=Channel.PAPER)
    retry_ids = list(stuck.filter(channel__in=IDEMPOTENT_CHANNELS).values_list("pk", flat=True)[:limit])
    retried = Notification.objects.filter(pk__in=retry_ids, status=Status.SENDING).update(
        status=Status.TEMPORARY_FAILURE, next_attempt_at=now, updated_at=now,
        last_error="Timed out in sending (worker stopped); sent again, the provider ignores a duplicate")
    unknown = stuck.exclude(channel__in=IDEMPOTENT_CHANNELS).update(
        status=Status.TECHNICAL_FAILURE, updated_at=now,
        last_error="Timed out in sending (worker stopped); the e-mail may or may not have gone: check and resend")

    due = Notification.objects.filter(
        Q(status=Status.CREATED, next_attempt_at__isnull=True, created_at__lte=now - requeue_after)
        | Q(status=Status.CREATED, next_attempt_at__lte=now)
        | Q(status=Status.TEMPORARY_FAILURE, next_attempt_at__lte=now - requeue_after)
    )
    due_ids = list(due.order_by("created_at").values_list("pk", flat=True)[:limit])
    queued = 0
    for pk in dict.fromkeys([*due_ids, *retry_ids]):
        queued += notification_enqueue(notification_id=pk)
    if retried or unknown or queued:
        logger.info("Sweep: %s re-queued, %s timed out and retried, %s timed out as unknown", queued, retried, unknown)
    return {"requeued": queued, "timed_out_retried": retried, "timed_out_unknown": unknown}


CALLBACK_TRANSITIONS = {
    # A provider's delivery report only moves a row forward.
    Status.DELIVERED: [Status.SENT],
    Status.PERMANENT_FAILURE: [Status.SENT],
    Status.TEMPORARY_FAILURE: [],
}


class UnknownReference(Exception):
    """No row carries this provider reference (yet: the report may be faster than our record)."""


def notification_callback(*, provider_reference: str, status: str, error: str = "") -> Notification | None:
    """A delivery report from a provider. Only moves a row forward: None when the report would
    move it back or sideways; UnknownReference when no row has the reference, so the provider
    retries the report later, as real gateways do."""
    rows = Notification.objects.filter(provider_reference=provider_reference,
                                       channel__in=[Channel.SMS, Channel.DIGITAL_MAILBOX]) if provider_reference else None
    if rows is None or not rows.exists():
        raise UnknownReference(provider_reference)
    allowed_from = CALLBACK_TRANSITIONS.get(status)
    if not allowed_from:
        return None
    updated = rows.filter(status__in=allowed_from).update(status=status, last_error=error[:1000], updated_at=timezone.now())
    return rows.first() if updated else None


class NotResendable(Exception):
    pass


def notification_resend(*, notification: Notification, by: User) -> Notification:
    """The caseworker's "resend" of a technical failure: a new row (the failed one stays as the
    record), through the same channel, or routed again if it failed before routing."""
    with transaction.atomic():
        original = Notification.objects.select_for_update().get(pk=notification.pk)
        if original.status != Status.TECHNICAL_FAILURE:
            raise NotResendable(_("Only notifications with a technical failure can be resent."))
        number = original.resends.count() + 1
        resend = Notification.objects.create(
            municipality_id=original.municipality_id, recipient_id=original.recipient_id, template=original.template, context=original.context,
            case_id=original.case_id, letter_id=original.letter_id, channel=original.channel,
            language=original.language, resend_of=original,
            idempotency_key=f"{original.idempotency_key}:resend-{number}")
        notification_enqueue_on_commit(notification_id=resend.pk)
    logger.info("Notification %s resent as %s by user %s", original.pk, resend.pk, by.pk)
    return resend


# --- Citizen settings ------------------------------------------------------------------------

def notice_preference_update(*, user: User, email: bool, sms: bool, language: str) -> NoticePreference:
    """Save the citizen's notice channels and language. Letters are always delivered; notices
    of them are required by law, so at least one channel stays on."""
    if not (email or sms):
        raise ValidationError(_("Choose at least one way to be notified: we must tell you when a letter arrives."),
                              code="no_channel")
    if language not in LANGUAGES:
        raise ValidationError(_("Choose a language from the list."), code="language")
    with transaction.atomic():
        preference, _created = NoticePreference.objects.update_or_create(user=user, defaults={"email": email, "sms": sms})
        user_set_language(user=user, language=language)
    return preference
