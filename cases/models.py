import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from .types import case_type


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
    # Whose case it is; every query of cases runs inside a municipality's scope (accounts.tenancy).
    municipality = models.ForeignKey("accounts.Municipality", on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("municipality"))
    case_number = models.CharField(_("case number"), max_length=20)  # "2026/123", per municipality
    application_type = models.CharField(_("application type"), max_length=50, db_index=True)
    title = models.CharField(_("title"), max_length=200)
    department = models.ForeignKey("accounts.Department", on_delete=models.PROTECT, related_name="cases",
                                   verbose_name=_("department"))
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="cases")
    # Set when the applicant acted for an organisation; its representatives may see the case.
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="cases",
        verbose_name=_("organisation"),
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
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    # The latest decision's outcome (approved/partly/rejected), kept here so the citizen's
    # wording of the status needs no extra query on list pages.
    outcome = models.CharField(_("outcome"), max_length=20, blank=True)
    # What the service needs to know about the case later, frozen at submit (the register facts
    # and choices its rules use: the deadline after an appeal, an admission run), so nothing asks
    # the registers again or reads the draft. Written once by case_create; service-specific keys.
    facts = models.JSONField(_("facts"), default=dict, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(records="municipality")

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-received_at"]
        constraints = [models.UniqueConstraint(fields=["municipality", "case_number"],
                                               name="cases_case_number_unique_per_municipality")]
        indexes = [
            models.Index(fields=["department", "status", "deadline"]),
            # The caseworker's queue: newest first within their departments.
            # (The admin adds the pk as a tie-breaker to the ordering, so the index has it too.)
            models.Index(fields=["department", "-received_at", "-id"], name="cases_case_dept_received_id"),
            # ... and sorted by deadline, the other order caseworkers work in.
            models.Index(fields=["department", "deadline", "-id"], name="cases_case_dept_deadline_id"),
            models.Index(fields=["applicant", "-received_at"]),
            models.Index(fields=["organisation", "-received_at"]),
            models.Index(fields=["assigned_to", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.case_number} {self.title}"

    @property
    def type(self):
        """The case's type (cases.types.CaseType): its title, deadline rule and wording."""
        return case_type(self.application_type)

    @property
    def citizen_status(self) -> str:
        """The status in plain language for the citizen, in the type's own words (e.g.
        kindergarten: "Offer sent"). Use this, not get_status_display(), on citizen pages."""
        from .transitions import citizen_wording  # transitions reads this module's Status

        return citizen_wording(application_type=self.application_type, status=self.status, outcome=self.outcome or None)


class CaseNumberSeries(models.Model):
    """The running number per municipality and year for case numbers `YYYY/N` (each
    municipality numbers its own cases, as its archive does); the row is locked per number."""

    municipality = models.ForeignKey("accounts.Municipality", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["municipality_id", "year"]
        constraints = [models.UniqueConstraint(fields=["municipality", "year"], name="cases_number_series_unique")]

    def __str__(self) -> str:
        return f"{self.municipality_id} {self.year}: {self.last_number}"


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
        # Something the citizen should see that changes no status (e.g. an offer answered
        # while the case was being looked at again).
        UPDATE = "update", _("Update")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=40, choices=Kind.choices)
    from_status = models.CharField(max_length=30, blank=True)
    to_status = models.CharField(max_length=30, blank=True)
    public = models.BooleanField(default=True)
    text = models.TextField(blank=True)
    # Shown to staff only, even when the event itself is public (e.g. a status change).
    internal_text = models.TextField(blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("timeline event")
        verbose_name_plural = _("timeline events")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["case", "public", "created_at"])]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind}"

    @property
    def from_status_label(self) -> str:
        return Case.Status(self.from_status).label if self.from_status in Case.Status.values else self.from_status

    @property
    def to_status_label(self) -> str:
        return Case.Status(self.to_status).label if self.to_status in Case.Status.values else self.to_status


class InformationRequest(models.Model):
    """The caseworker asks the citizen for more information: a task on the citizen's side.
    The case waits (deadline paused) until the citizen answers."""

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for your answer")
        ANSWERED = "answered", _("Answered")
        CANCELLED = "cancelled", _("Cancelled")
        EXPIRED = "expired", _("No answer by the due date")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="information_requests")
    text = models.TextField(_("what we need"))
    documents_requested = models.TextField(_("documents to upload"), blank=True)
    due_date = models.DateField(_("answer by"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    # The letter that carries the request (correspondence.Letter, a plain id: correspondence
    # sits above cases and writes the letter when the request is made).
    letter_id = models.UUIDField(null=True, blank=True, editable=False)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    answer_text = models.TextField(_("comment"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Owned through its case: the nightly expiry runs per municipality (accounts.tenancy).
    objects = ScopedManager(records="case__municipality")

    class Meta:
        verbose_name = _("information request")
        verbose_name_plural = _("information requests")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["case", "status"])]

    def __str__(self) -> str:
        return f"{self.case_id} {self.due_date}"


class CaseDocument(models.Model):
    """A file the citizen sent in on a case after submission (e.g. answering a request).
    Stored under a server-generated name (core.uploads)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    information_request = models.ForeignKey(
        InformationRequest, on_delete=models.SET_NULL, null=True, blank=True, related_name="documents"
    )
    file = models.FileField(max_length=300)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("case document")
        verbose_name_plural = _("case documents")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class Decision(models.Model):
    """The decision (vedtak) on a case. A case decided again after an appeal has several."""

    class Outcome(models.TextChoices):
        APPROVED = "approved", _("Approved")
        PARTLY = "partly", _("Partly approved")
        REJECTED = "rejected", _("Rejected")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="decisions")
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    reasoning = models.TextField(_("reasoning"))
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    appeal_deadline = models.DateField(_("appeal deadline"))
    # The decision letter (correspondence.Letter, a plain id: correspondence sits above cases;
    # set by decision_letter_attach when the letter is written).
    letter_id = models.UUIDField(null=True, blank=True, editable=False)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["-created_at"]
        get_latest_by = "created_at"

    def __str__(self) -> str:
        return f"{self.case_id} {self.outcome}"


class CaseAccessLog(models.Model):
    """Who among staff opened a citizen's case, and when. Shown to the citizen ("who has
    looked at my case"); never edited."""

    class Channel(models.TextChoices):
        ADMIN = "admin", _("Case handling")
        API = "api", _("API")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="access_log")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.ADMIN)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["case", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.case_id} {self.user_id} {self.created_at:%Y-%m-%d %H:%M}"
