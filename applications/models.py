import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApplicationTypeConfig(models.Model):
    """Switches an application type (registered in code, applications/types/) on or off and
    describes it on the "Apply" page. Blank texts fall back to the type's own (translated)
    texts, so a municipality only writes what it wants to say differently."""

    type_key = models.SlugField(_("application type"), max_length=50, unique=True)
    enabled = models.BooleanField(_("offered"), default=True)
    who_may_apply = models.TextField(_("who may apply"), blank=True)
    what_you_need = models.TextField(_("what you need at hand"), blank=True)
    processing_time = models.CharField(_("usual processing time"), max_length=200, blank=True)
    max_attachments = models.PositiveSmallIntegerField(_("maximum number of attachments"), default=10)
    max_attachment_mb = models.PositiveSmallIntegerField(_("maximum file size (MB)"), default=10)
    position = models.PositiveSmallIntegerField(_("position in the list"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("application type")
        verbose_name_plural = _("application types")
        ordering = ["position", "type_key"]

    def __str__(self) -> str:
        from .types import get_type

        app_type = get_type(self.type_key)
        return str(app_type.title) if app_type else self.type_key


class Kindergarten(models.Model):
    class AgeGroups(models.TextChoices):
        SMALL = "0-2", _("Ages 0–2")
        LARGE = "3-5", _("Ages 3–5")
        ALL = "0-5", _("Ages 0–5")

    name = models.CharField(_("name"), max_length=120)
    address = models.CharField(_("address"), max_length=200)
    age_groups = models.CharField(_("age groups"), max_length=3, choices=AgeGroups.choices, default=AgeGroups.ALL)
    capacity = models.PositiveSmallIntegerField(_("capacity (children)"))
    active = models.BooleanField(_("takes applications"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("kindergarten")
        verbose_name_plural = _("kindergartens")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class BuildingFee(models.Model):
    """One line of the municipality's fee schedule for building permits (gebyrregulativ).
    The fee in force is the newest line with `valid_from` on or before the day of applying."""

    class PermitKind(models.TextChoices):
        WITH_RESPONSIBLE = "20-3", _("With a responsible applicant (§ 20-3)")
        WITHOUT_RESPONSIBLE = "20-4", _("Without a responsible applicant (§ 20-4)")

    class Category(models.TextChoices):
        NEW_DWELLING = "new_dwelling", _("New dwelling")
        EXTENSION = "extension", _("Extension or annex")
        GARAGE = "garage", _("Garage, shed or other small building")
        CHANGE_OF_USE = "change_of_use", _("Change of use")
        COMMERCIAL = "commercial", _("Commercial or industrial building")
        OTHER = "other", _("Other")

    permit_kind = models.CharField(_("kind of permit"), max_length=4, choices=PermitKind.choices)
    category = models.CharField(_("project"), max_length=20, choices=Category.choices)
    amount = models.DecimalField(_("fee (NOK)"), max_digits=10, decimal_places=0)
    valid_from = models.DateField(_("valid from"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("building permit fee")
        verbose_name_plural = _("building permit fees")
        ordering = ["permit_kind", "category", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["permit_kind", "category", "valid_from"], name="applications_fee_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.get_permit_kind_display()} – {self.get_category_display()}: {self.amount} kr"


class Application(models.Model):
    """A citizen's (or an organisation's) application: a draft until submitted, then the
    record of what was submitted, linked to its case. `data` holds each step's form input as
    typed ({step: {field: value}}), so a draft shows exactly what the person entered."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    type_key = models.CharField(_("application type"), max_length=50, db_index=True)
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="applications")
    # Set when the applicant acts for an organisation: the draft and the case belong to it.
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, null=True, blank=True, related_name="applications"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    data = models.JSONField(default=dict, blank=True)
    case = models.OneToOneField(
        "cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="application"
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    # What was submitted, as the summary the applicant confirmed (frozen at submit, so later
    # changes to registers, kindergartens or fees do not rewrite the record).
    submitted_summary = models.JSONField(default=list, blank=True)
    language = models.CharField(max_length=2, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-updated_at"]
        indexes = [
            models.Index(fields=["applicant", "status", "-updated_at"]),
            models.Index(fields=["organisation", "status", "-updated_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.type_key} {self.pk}"

    @property
    def app_type(self):
        from .types import get_type

        return get_type(self.type_key)

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def resume_step(self) -> str:
        """Where "Continue" takes the applicant: the first step not saved yet (or the last)."""
        steps = [s.name for s in self.app_type.steps]
        return next((name for name in steps if name not in self.data), steps[-1])

    @property
    def expires_at(self):
        import datetime

        return self.updated_at + datetime.timedelta(days=settings.APPLICATION_DRAFT_DAYS)


class Attachment(models.Model):
    """A file attached to an application step. The file is stored under a server-generated
    name (core.uploads); `original_name` is for display only."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(_("kind"), max_length=40)  # e.g. "site_plan", defined by the type
    original_name = models.CharField(_("file name"), max_length=200)
    stored_name = models.CharField(max_length=300)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["application", "kind"])]

    def __str__(self) -> str:
        return self.original_name
