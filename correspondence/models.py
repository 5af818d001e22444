import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Letter(models.Model):
    """A formal document from the municipality (receipt, request, decision, …) with a PDF.

    The title is non-sensitive: it may appear in e-mail and SMS notices. The PDF is rendered
    after commit by a task (correspondence.tasks) from `template` and `context`."""

    class Kind(models.TextChoices):
        RECEIPT = "receipt", _("Receipt")
        INFORMATION_REQUEST = "information_request", _("Request for information")
        DECISION = "decision", _("Decision")
        OFFER = "offer", _("Offer")
        GENERAL = "general", _("General information")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="letters")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="letters")
    # When the case was on behalf of an organisation, its representatives may read the letter.
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="letters")
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    template = models.CharField(max_length=200)  # e.g. "correspondence/pdf/receipt.html"
    context = models.JSONField(default=dict, blank=True)
    language = models.CharField(max_length=2, default="nb")
    pdf = models.FileField(upload_to="letters/%Y/%m/", blank=True)
    # Letters that need the citizen's notice (decisions, requests) get a reminder when unread.
    needs_notice = models.BooleanField(default=False)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("letter")
        verbose_name_plural = _("letters")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"]),
            models.Index(fields=["organisation", "-created_at"]),
        ]

    def __str__(self) -> str:
        return self.title
