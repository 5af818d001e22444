"""What Min Side has archived in the municipality's Noark 5 archive, and the outbox that gets it
there (archive.services). One ArchiveRecord per case file (saksmappe) and per registry entry
(journalpost); one ArchiveMessage per message to the archive (create, update, a resend)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_scopes import ScopedManager


class ArchiveRecord(models.Model):
    """One object in the archive: a case's case file, or one registry entry in it (the
    application, documents sent in later, a letter, a message, an internal note). Our external
    key (`external_key`, sent as referanseEksternNoekkel) identifies it, so sending it again
    updates it instead of making a second one. The archive's references arrive with its receipt."""

    class Kind(models.TextChoices):
        CASE_FILE = "case_file", _("Case file")
        REGISTRY_ENTRY = "registry_entry", _("Registry entry")

    class Source(models.TextChoices):
        CASE = "case", _("Case")
        APPLICATION = "application", _("Application")
        DOCUMENTS = "documents", _("Documents sent in")
        LETTER = "letter", _("Letter")
        MESSAGE = "message", _("Message")
        NOTE = "note", _("Internal note")

    class EntryType(models.TextChoices):
        # Noark 5 journalposttype (M082); the codes are Fiks Arkiv's.
        INCOMING = "I", _("Incoming")
        OUTGOING = "U", _("Outgoing")
        INTERNAL_FOLLOW_UP = "N", _("Internal, for follow-up")
        INTERNAL = "X", _("Internal, no follow-up")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="archive_records",
                             verbose_name=_("case"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # The case file a registry entry belongs to (empty for the case file itself).
    case_file = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="entries")
    source = models.CharField(_("what"), max_length=20, choices=Source.choices)
    source_id = models.CharField(max_length=64)
    external_key = models.CharField(_("external key"), max_length=200, unique=True)
    entry_type = models.CharField(_("registry entry type"), max_length=1, choices=EntryType.choices, blank=True)
    title = models.CharField(_("title"), max_length=300)
    # When the document came in or went out (journalpost dates, the order in the case file).
    occurred_at = models.DateTimeField(_("date"))
    # The archive's answer (kvittering): its system id and numbers.
    archive_system_id = models.CharField(_("archive system id"), max_length=64, blank=True)
    case_year = models.PositiveIntegerField(null=True, blank=True)
    case_sequence = models.PositiveIntegerField(null=True, blank=True)
    journal_year = models.PositiveIntegerField(null=True, blank=True)
    journal_sequence = models.PositiveIntegerField(null=True, blank=True)
    journal_number = models.PositiveIntegerField(null=True, blank=True)
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Owned through its case: read only inside the case's municipality's scope (accounts.tenancy).
    objects = ScopedManager(records="case__municipality")

    class Meta:
        verbose_name = _("archive record")
        verbose_name_plural = _("archive records")
        ordering = ["case", "occurred_at", "created_at"]
        indexes = [models.Index(fields=["case", "kind", "occurred_at"])]

    def __str__(self) -> str:
        return f"{self.external_key} {self.title}"

    @property
    def archive_reference(self) -> str:
        """The archive's number as caseworkers say it: the case number (2026/123) of a case
        file, the registry entry number (2026/4567, journalår/sekvensnummer) of an entry."""
        if self.kind == self.Kind.CASE_FILE and self.case_year:
            return f"{self.case_year}/{self.case_sequence}"
        if self.journal_year:
            return f"{self.journal_year}/{self.journal_sequence}"
        return ""


class ArchiveDocument(models.Model):
    """One document of a registry entry (main document or attachment) in its archival format
    (PDF/A), stored by us with its SHA-256; what the message and the deposit package carry.
    A file converted to PDF/A keeps a reference to its original (the production format)."""

    class Role(models.TextChoices):
        MAIN = "H", _("Main document")
        ATTACHMENT = "V", _("Attachment")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    record = models.ForeignKey(ArchiveRecord, on_delete=models.CASCADE, related_name="documents")
    number = models.PositiveSmallIntegerField(_("document number"))
    role = models.CharField(_("role"), max_length=1, choices=Role.choices)
    document_type = models.CharField(max_length=30)  # Noark dokumenttype code (SØKNAD, VEDTAK, KORR …)
    title = models.CharField(_("title"), max_length=300)
    file = models.FileField(_("archival file"), max_length=300)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField(_("size"))
    # The production format, when the archival file is a conversion (a citizen's PNG or PDF).
    original_name = models.CharField(max_length=300, blank=True)
    original_file = models.CharField(max_length=300, blank=True)
    original_content_type = models.CharField(max_length=100, blank=True)
    conversion = models.CharField(_("conversion"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("archived document")
        verbose_name_plural = _("archived documents")
        ordering = ["record", "number"]
        constraints = [models.UniqueConstraint(fields=["record", "number"], name="archive_document_number_unique")]

    def __str__(self) -> str:
        return f"{self.record_id} #{self.number} {self.title}"


class ArchiveMessage(models.Model):
    """The outbox: one message to the archive. The id is our client message id (klientMeldingId).
    created → sending → sent → received (mottatt) → archived (kvittering); `retry` waits for its
    next attempt after the archive did not answer; `failed` when the archive rejected it (with
    its reason) or after the last attempt. A caseworker's resend is a new row (`resend_of`)."""

    class Operation(models.TextChoices):
        CREATE = "create", _("Create")
        UPDATE = "update", _("Update")

    class Status(models.TextChoices):
        CREATED = "created", _("Waiting to be sent")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        RECEIVED = "received", _("Received by the archive")
        ARCHIVED = "archived", _("Archived")
        RETRY = "retry", _("Waiting to try again")
        FAILED = "failed", pgettext_lazy("archive message status", "Failed")

    SENDABLE = (Status.CREATED, Status.RETRY)
    OPEN = (Status.CREATED, Status.SENDING, Status.SENT, Status.RECEIVED, Status.RETRY)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    record = models.ForeignKey(ArchiveRecord, on_delete=models.CASCADE, related_name="messages")
    operation = models.CharField(_("operation"), max_length=10, choices=Operation.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.CREATED)
    idempotency_key = models.CharField(max_length=250, unique=True)
    # An update's changes, for the message and the deposit's change log: [{field, old, new, by, at}].
    changes = models.JSONField(default=list, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    received_at = models.DateTimeField(_("received"), null=True, blank=True)
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)
    resend_of = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="resends",
                                  verbose_name=_("resend of"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(records="record__case__municipality")

    class Meta:
        verbose_name = _("archive message")
        verbose_name_plural = _("archive messages")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"]), models.Index(fields=["record", "status"])]

    def __str__(self) -> str:
        return f"{self.operation} {self.record_id} ({self.status})"


class ArchiveScreening(models.Model):
    """Whether a case type's records are exempt from public access (skjerming), and on what
    legal basis: offentleglova § 13 with forvaltningsloven § 13 for personal matters such as
    health and child information. The row without a type applies to every type without its own.
    Data the municipality's archivist keeps (admin), not code."""

    application_type = models.CharField(_("case type"), max_length=50, blank=True, unique=True,
                                        help_text=_("Leave empty for the rule that applies to every other type."))
    restricted = models.BooleanField(_("exempt from public access"), default=True)
    # Fiks Arkiv's tilgangsrestriksjon code (e.g. "13" for offentleglova § 13) and the basis in words.
    access_code = models.CharField(_("access restriction code"), max_length=10, blank=True, default="13")
    legal_basis = models.CharField(_("legal basis"), max_length=200, blank=True,
                                   default="Offl. § 13 jf. fvl. § 13 første ledd nr. 1")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("screening rule")
        verbose_name_plural = _("screening rules")
        ordering = ["application_type"]

    def __str__(self) -> str:
        return self.application_type or "*"


class ArchiveDeposit(models.Model):
    """A Noark 5 v5.0 deposit package (arkivuttrekk) of the cases closed in a period, built by
    archive.deposit into one tar file in storage."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        BUILDING = "building", _("Being built")
        READY = "ready", _("Ready")
        FAILED = "failed", pgettext_lazy("archive deposit status", "Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Each municipality deposits its own archive (arkivskaper), of its own cases only.
    municipality = models.ForeignKey("accounts.Municipality", on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("municipality"))
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.REQUESTED)
    package = models.FileField(_("package"), max_length=300, blank=True)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    case_files = models.PositiveIntegerField(_("case files"), default=0)
    registry_entries = models.PositiveIntegerField(_("registry entries"), default=0)
    documents = models.PositiveIntegerField(_("documents"), default=0)
    seconds = models.FloatField(_("build time (s)"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("requested by"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(records="municipality")

    class Meta:
        verbose_name = _("deposit package")
        verbose_name_plural = _("deposit packages")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.period_start} – {self.period_end}"
