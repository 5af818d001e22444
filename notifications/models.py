import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


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
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.template} → {self.recipient_id} ({self.status})"
