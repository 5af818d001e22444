import uuid

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from .types import get_type


class ApplicationTypeConfig(models.Model):
    """Switches an application type (registered in code, applications/types/) on or off and
    describes it on the "Apply" page. Blank texts fall back to the type's own (translated)
    texts, so a municipality only writes what it wants to say differently."""

    # A municipality's offer of a service, with that municipality's settings for it.
    municipality = models.ForeignKey("accounts.Municipality", on_delete=models.CASCADE, related_name="+",
                                     verbose_name=_("municipality"))
    type_key = models.SlugField(_("application type"), max_length=50)
    enabled = models.BooleanField(_("offered"), default=True)
    who_may_apply = models.TextField(_("who may apply"), blank=True)
    what_you_need = models.TextField(_("what you need at hand"), blank=True)
    processing_time = models.CharField(_("usual processing time"), max_length=200, blank=True)
    max_attachments = models.PositiveSmallIntegerField(_("maximum number of attachments"), default=10)
    max_attachment_mb = models.PositiveSmallIntegerField(_("maximum file size (MB)"), default=10)
    position = models.PositiveSmallIntegerField(_("position in the list"), default=0)
    # The yearly application deadline where the service has one (kindergarten: the main
    # admission, barnehageloven § 16), as MM-DD; blank: the service's default.
    yearly_deadline = models.CharField(_("yearly application deadline (MM-DD)"), max_length=5, blank=True,
                                       validators=[RegexValidator(r"^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$",
                                                                  _("Write the deadline as MM-DD, e.g. 03-01."))])
    # Statistics baseline: the paper applications per year the municipality still receives
    # outside Min Side (blank: the service's own estimate).
    paper_applications_per_year = models.PositiveIntegerField(_("paper applications per year (estimate)"),
                                                              null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(municipality="municipality")

    class Meta:
        verbose_name = _("application type")
        verbose_name_plural = _("application types")
        ordering = ["position", "type_key"]
        constraints = [models.UniqueConstraint(fields=["municipality", "type_key"],
                                               name="applications_type_config_unique")]

    def __str__(self) -> str:
        app_type = get_type(self.type_key)
        return str(app_type.title) if app_type else self.type_key


class Application(models.Model):
    """A citizen's (or an organisation's) application: a draft until submitted, then the
    record of what was submitted, linked to its case. `data` holds each step's form input as
    typed ({step: {field: value}}), so a draft shows exactly what the person entered."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # The municipality applied to (the host's, when the draft was started).
    municipality = models.ForeignKey("accounts.Municipality", on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("municipality"))
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
    # changes to registers or a service's own data do not rewrite the record).
    submitted_summary = models.JSONField(default=list, blank=True)
    language = models.CharField(max_length=2, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    objects = ScopedManager(records="municipality")

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
