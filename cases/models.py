import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Case(models.Model):
    """A case (sak) at the municipality, created when an application is submitted.

    Status changes go through cases.services.case_transition() only. `version` is bumped on
    every change and guards two caseworkers saving the same case (optimistic locking)."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        UNDER_REVIEW = "under_review", _("Under review")
        AWAITING_INFORMATION = "awaiting_information", _("Awaiting information")
        DECIDED = "decided", _("Decided")
        CLOSED = "closed", _("Closed")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        APPEALED = "appealed", _("Appealed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case_number = models.CharField(_("case number"), max_length=20, unique=True)  # "2026/123"
    application_type = models.CharField(_("application type"), max_length=50, db_index=True)
    title = models.CharField(_("title"), max_length=200)
    department = models.ForeignKey("accounts.Department", on_delete=models.PROTECT, related_name="cases")
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="cases")
    # Set when the applicant acted for an organisation; its representatives may see the case.
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="cases"
    )
    status = models.CharField(_("status"), max_length=30, choices=Status.choices, default=Status.RECEIVED)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="assigned_cases", verbose_name=_("assigned to"),
    )
    received_at = models.DateTimeField(_("received"))
    deadline = models.DateField(_("processing deadline"), null=True, blank=True)
    # While waiting for the citizen the deadline is paused; when the answer comes the paused
    # days are added to `deadline`.
    deadline_paused_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-received_at"]
        indexes = [
            models.Index(fields=["department", "status", "deadline"]),
            models.Index(fields=["applicant", "-received_at"]),
            models.Index(fields=["organisation", "-received_at"]),
            models.Index(fields=["assigned_to", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.case_number} {self.title}"


class CaseNumberSequence(models.Model):
    """The running number per year for case numbers `YYYY/N`; locked row per year."""

    year = models.PositiveIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["year"]

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"


class CaseEvent(models.Model):
    """One entry on a case's timeline. Public events are shown to the citizen."""

    class Kind(models.TextChoices):
        STATUS_CHANGED = "status_changed", _("Status changed")
        ASSIGNED = "assigned", _("Assigned")
        NOTE = "note", _("Internal note")
        INFORMATION_REQUESTED = "information_requested", _("Information requested")
        INFORMATION_RECEIVED = "information_received", _("Information received")
        DECISION = "decision", _("Decision")
        LETTER_SENT = "letter_sent", _("Letter sent")
        AUTOMATED_CHECK = "automated_check", _("Automated check")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=40, choices=Kind.choices)
    from_status = models.CharField(max_length=30, blank=True)
    to_status = models.CharField(max_length=30, blank=True)
    public = models.BooleanField(default=True)
    text = models.TextField(blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("timeline event")
        verbose_name_plural = _("timeline events")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["case", "public", "created_at"])]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind}"
