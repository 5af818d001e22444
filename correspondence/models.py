import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager


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
    # The sender: its letterhead and sender identity are on the letter (and its PDF).
    municipality = models.ForeignKey("accounts.Municipality", on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("municipality"))
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
    # Who opened it first: the recipient or one of their organisation's representatives.
    read_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+", verbose_name=_("read by"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(records="municipality")

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

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class MessageThread(models.Model):
    """A two-way conversation between a citizen (or an organisation) and the municipality:
    one per case, plus one general "contact the municipality" thread per citizen."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.ForeignKey("accounts.Municipality", on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("municipality"))
    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="message_thread", verbose_name=_("case"))
    citizen = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="message_threads",
                                verbose_name=_("citizen"))
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="message_threads", verbose_name=_("organisation"))
    # Case threads: "<case number> <case title>"; general threads leave it blank and are shown
    # as "Contact the municipality" in the reader's language (see `title`).
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    last_message_at = models.DateTimeField(_("last message"), null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(records="municipality")

    class Meta:
        verbose_name = _("message thread")
        verbose_name_plural = _("message threads")
        ordering = ["-last_message_at", "-created_at"]
        constraints = [
            # One general thread per citizen and municipality; a case thread is unique through
            # the one-to-one.
            models.UniqueConstraint(fields=["citizen", "municipality"], condition=models.Q(case__isnull=True),
                                    name="correspondence_one_general_thread_per_citizen"),
        ]
        indexes = [
            models.Index(fields=["citizen", "-last_message_at"]),
            models.Index(fields=["organisation", "-last_message_at"]),
        ]

    def __str__(self) -> str:
        return str(self.title)

    @property
    def title(self) -> str:
        return self.subject or gettext("Contact the municipality")

    @property
    def is_general(self) -> bool:
        return self.case_id is None


class Message(models.Model):
    """One message in a thread, from the citizen or from the municipality. `read_at` is when
    the other side first read it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    thread = models.ForeignKey(MessageThread, on_delete=models.PROTECT, related_name="messages")
    # Copied from the thread so the caseworker's case page can list messages with one query.
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, null=True, blank=True,
                             related_name="messages", verbose_name=_("case"))
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("sender"))
    from_municipality = models.BooleanField(_("from the municipality"), default=False)
    body = models.TextField(_("message"), max_length=5000)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["thread", "created_at"]),
            models.Index(fields=["thread", "from_municipality", "read_at"]),
        ]

    def __str__(self) -> str:
        return self.body[:60]


class MessageAttachment(models.Model):
    """A file attached to a message, checked by core.uploads (type by content, size)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="messages/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("size"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.original_name
