import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_scopes import ScopedManager


class Notification(models.Model):
    """The outbox: one row per message to deliver, created in the same transaction as the
    event that causes it, delivered after commit by notifications.tasks. Statuses follow
    GOV.UK Notify's."""

    class Status(models.TextChoices):
        CREATED = "created", _("Created")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        DELIVERED = "delivered", _("Delivered")
        TEMPORARY_FAILURE = "temporary-failure", _("Temporary failure")
        PERMANENT_FAILURE = "permanent-failure", _("Permanent failure")
        TECHNICAL_FAILURE = "technical-failure", _("Technical failure")
        CANCELLED = "cancelled", _("Cancelled")

    class Channel(models.TextChoices):
        DIGITAL_MAILBOX = "digital_mailbox", _("Digital mailbox")
        EMAIL = "email", _("E-mail")
        SMS = "sms", _("SMS")
        PAPER = "paper", _("Paper")
        # Decided at delivery from KRR and the citizen's settings (routing), then replaced.
        AUTO = "auto", _("Chosen at delivery")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Who sends it: the notice names this municipality and links to its host.
    municipality = models.ForeignKey("accounts.Municipality", on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("municipality"))
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="notifications")
    channel = models.CharField(max_length=20, choices=Channel.choices, default=Channel.AUTO)
    template = models.CharField(max_length=100)  # e.g. "case_received"
    context = models.JSONField(default=dict, blank=True)
    language = models.CharField(max_length=2, blank=True)
    letter = models.ForeignKey("correspondence.Letter", on_delete=models.PROTECT, null=True, blank=True, related_name="notifications")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="notifications")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.CREATED, db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True, db_index=True)
    idempotency_key = models.CharField(max_length=200, unique=True)
    provider_reference = models.CharField(max_length=200, blank=True)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # Where it went, masked ("k***@example.no", "*****4567", "Digipost", "print batch"): enough
    # for the caseworker, never the full contact details.
    destination = models.CharField(_("destination"), max_length=100, blank=True)
    # The caseworker's "resend" creates a new row pointing at the failed one.
    resend_of = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="resends", verbose_name=_("resend of"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(records="municipality")

    SENDABLE = (Status.CREATED, Status.TEMPORARY_FAILURE)
    FINAL = (Status.DELIVERED, Status.PERMANENT_FAILURE, Status.TECHNICAL_FAILURE, Status.CANCELLED)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.template} → {self.recipient_id} ({self.status})"


class NoticePreference(models.Model):
    """Which channels a citizen wants notices on. The law decides the rest: formal letters are
    always delivered (digital mailbox, Min Side or paper) and a reservation is made in KRR."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notice_preference")
    email = models.BooleanField(_("notices by e-mail"), default=True)
    sms = models.BooleanField(_("notices by SMS"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("notice preference")
        verbose_name_plural = _("notice preferences")
        ordering = ["user_id"]

    def __str__(self) -> str:
        return f"{self.user_id}: e-mail={self.email} sms={self.sms}"


class PrintBatch(models.Model):
    """One day's letters for the print service: a zip of address sheet + letter PDFs."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted to the print service")
        FAILED = "failed", pgettext_lazy("print batch status", "Failed")  # not a check that failed

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Each municipality sends its own letters to print, under its own sender identity.
    municipality = models.ForeignKey("accounts.Municipality", on_delete=models.PROTECT, null=True, related_name="+",
                                     verbose_name=_("municipality"))
    reference = models.CharField(_("reference"), max_length=40, unique=True)  # "print-3301-2026-11-24-1"
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    letters = models.PositiveIntegerField(_("letters"), default=0)
    archive = models.FileField(_("batch file"), upload_to="print-batches/%Y/%m/", blank=True)
    provider_reference = models.CharField(_("print service reference"), max_length=200, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(records="municipality")

    class Meta:
        verbose_name = _("print batch")
        verbose_name_plural = _("print batches")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.reference


class PrintItem(models.Model):
    """A letter waiting for (or included in) a print batch, with the postal address taken from
    the population register when it was queued."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    notification = models.OneToOneField(Notification, on_delete=models.PROTECT, related_name="print_item")
    batch = models.ForeignKey(PrintBatch, on_delete=models.PROTECT, null=True, blank=True, related_name="items")
    name = models.CharField(_("name"), max_length=200)
    address = models.JSONField(_("address"), default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(records="notification__municipality")

    class Meta:
        verbose_name = _("letter to print")
        verbose_name_plural = _("letters to print")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["batch", "created_at"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.notification_id})"
