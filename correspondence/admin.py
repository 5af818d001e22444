"""Correspondence in the caseworkers' admin (/saksbehandling/).

On the caseworker's case page (cases.panels.case_admin_inline): CaseMessageInline, a read-only
list of the case's messages linking to the thread's page, where the caseworker reads the whole
conversation and answers (message_create through a form). General "contact the municipality"
threads are listed under Message threads on the same site. (The case's letters with how each
was delivered are notifications' inline.)"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cases.panels import case_admin_inline
from cases.selectors import cases_for_caseworker
from cases.services import case_access_record
from core.admin_site import caseworker_site
from core.staff import request_is_caseworker
from core.storage import stored_file_response
from core.uploads import MultipleFileField, upload_download_response

from . import services
from .models import Letter, Message, MessageThread


def caseworker_cases(user):
    """Cases of the caseworker's departments (superusers: all): the cases app's rule."""
    return cases_for_caseworker(user=user)


def letters_for_caseworker(user):
    """Letters on the caseworker's cases. Letters without a case (general information) only
    for superusers: no department owns them."""
    if user.is_superuser:
        return Letter.objects.all()
    return Letter.objects.filter(case__in=caseworker_cases(user))


def threads_for_caseworker(user):
    """Threads on the caseworker's cases, and every general thread (answered by any caseworker)."""
    return MessageThread.objects.filter(Q(case__in=caseworker_cases(user)) | Q(case__isnull=True))


def admin_time(value) -> str:
    """A moment as caseworkers read it on the admin pages (local time)."""
    if not value:
        return "–"
    return timezone.localtime(value).strftime("%d.%m.%Y %H:%M")


def _attachment_links(message: Message) -> str:
    return format_html_join(
        ", ", '<a href="{}">{}</a>',
        ((reverse("caseworker:correspondence_messagethread_attachment", args=[message.thread_id, a.pk]), a.original_name)
         for a in message.attachments.all()),
    ) or "–"


class CaseworkerReadOnlyMixin:
    """Caseworkers (anyone the caseworker site lets in) may view; nobody edits or deletes here."""

    def has_view_permission(self, request, obj=None):
        return request_is_caseworker(request)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class MessageInlineBase(CaseworkerReadOnlyMixin, admin.TabularInline):
    model = Message
    extra = 0
    fields = ("sent", "who", "body", "attachment_links", "read")
    readonly_fields = fields
    ordering = ("created_at", "pk")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("sender").prefetch_related("attachments")

    @admin.display(description=_("sent"))
    def sent(self, obj):
        return admin_time(obj.created_at)

    @admin.display(description=_("from"))
    def who(self, obj):
        if obj.from_municipality:
            return format_html("{} ({})", obj.sender.get_full_name(), gettext("municipality"))
        return format_html("{} ({})", obj.sender.get_full_name(), gettext("citizen"))

    @admin.display(description=_("attachments"))
    def attachment_links(self, obj):
        return _attachment_links(obj)

    @admin.display(description=_("read"))
    def read(self, obj):
        return admin_time(obj.read_at)


def letter_pdf_link(letter: Letter) -> str:
    return format_html('<a href="{}">{}</a>', reverse("caseworker:correspondence_letter_pdf", args=[letter.pk]),
                       gettext("Open PDF"))


@case_admin_inline
class CaseMessageInline(MessageInlineBase):
    """The case's messages on the caseworker's case page, with a link to answer."""

    fk_name = "case"
    verbose_name = _("message")
    verbose_name_plural = _("messages with the citizen")
    template = "admin/correspondence/case_message_inline.html"


class ThreadMessageInline(MessageInlineBase):
    fk_name = "thread"


class ReplyForm(forms.ModelForm):
    """The caseworker's answer; the thread itself is read-only."""

    reply = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 6}), required=False,
                            max_length=services.MESSAGE_MAX_LENGTH,
                            help_text=_("Sent to the citizen in Min Side; they are notified by e-mail or SMS "
                                        "(the notice never contains the message)."))
    reply_attachments = MultipleFileField(label=_("Attachments"), required=False, help_text=_("PDF, PNG or JPEG."))

    class Meta:
        model = MessageThread
        fields = []

    def clean(self):
        cleaned = super().clean()
        body, files = cleaned.get("reply", ""), cleaned.get("reply_attachments") or []
        if not body and not files:
            return cleaned
        try:
            services.message_validate(body=body, attachments=files)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                self.add_error("reply" if field == "body" else "reply_attachments", errors)
        return cleaned


@admin.register(MessageThread, site=caseworker_site)
class MessageThreadAdmin(admin.ModelAdmin):
    """Conversations with citizens. Opening one marks the citizen's messages read; the form
    at the bottom answers (correspondence.services.message_create)."""

    form = ReplyForm
    list_display = ("__str__", "case", "citizen_name", "last_message", "unanswered")
    list_filter = (("case", admin.EmptyFieldListFilter),)
    search_fields = ("subject", "case__case_number")
    readonly_fields = ("title", "case", "citizen_name", "organisation")
    fields = ("title", "case", "citizen_name", "organisation", "reply", "reply_attachments")
    inlines = [ThreadMessageInline]
    list_select_related = ("case", "citizen")

    def has_view_permission(self, request, obj=None):
        return request_is_caseworker(request)

    has_module_permission = has_view_permission

    def has_change_permission(self, request, obj=None):
        # "Change" is answering: the thread's own fields stay read-only.
        return request_is_caseworker(request)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return threads_for_caseworker(request.user).annotate(
            unread_from_citizen=Count("messages", filter=Q(messages__from_municipality=False,
                                                           messages__read_at__isnull=True))
        )

    @admin.display(description=_("subject"))
    def title(self, obj):
        return obj.title

    @admin.display(description=_("citizen"))
    def citizen_name(self, obj):
        return obj.citizen.get_full_name()

    @admin.display(description=_("last message"), ordering="last_message_at")
    def last_message(self, obj):
        return admin_time(obj.last_message_at)

    @admin.display(description=_("unread from citizen"), ordering="unread_from_citizen")
    def unanswered(self, obj):
        return obj.unread_from_citizen

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET":
            thread = self.get_object(request, object_id)
            if thread is not None:
                services.messages_mark_read(thread=thread, by_municipality=True)
                if thread.case_id:
                    # Staff reading a citizen's case conversation is access to personal data.
                    case_access_record(case=thread.case, user=request.user)
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        body = form.cleaned_data.get("reply", "")
        files = form.cleaned_data.get("reply_attachments") or []
        if body or files:
            services.message_create(thread=obj, sender=request.user, body=body, from_municipality=True,
                                    attachments=files)
            messages.success(request, gettext("Your answer has been sent to the citizen."))

    def get_urls(self):
        return [
            path("for-case/<uuid:case_pk>/", self.admin_site.admin_view(self.for_case_view),
                 name="correspondence_messagethread_for_case"),
            path("<uuid:thread_pk>/attachment/<uuid:pk>/", self.admin_site.admin_view(self.attachment_view),
                 name="correspondence_messagethread_attachment"),
            *super().get_urls(),
        ]

    def for_case_view(self, request, case_pk):
        """From the case page: open (creating if needed) the case's thread to answer."""
        if not request_is_caseworker(request):
            raise Http404
        case = get_object_or_404(caseworker_cases(request.user), pk=case_pk)
        thread = services.thread_get_or_create_for_case(case=case)
        return redirect("caseworker:correspondence_messagethread_change", thread.pk)

    def attachment_view(self, request, thread_pk, pk):
        if not request_is_caseworker(request):
            raise Http404
        thread = get_object_or_404(threads_for_caseworker(request.user), pk=thread_pk)
        attachment = get_object_or_404(services.MessageAttachment, pk=pk, message__thread=thread)
        return upload_download_response(stored_name=attachment.file.name, original_name=attachment.original_name,
                                        content_type=attachment.content_type)


@admin.register(Letter, site=caseworker_site)
class LetterAdmin(CaseworkerReadOnlyMixin, admin.ModelAdmin):
    """Letters sent, with delivery and read status. Read-only: letters are sent by services."""

    list_display = ("title", "kind", "case", "sent_at", "read_at")
    list_filter = ("kind",)
    search_fields = ("title", "case__case_number")
    list_select_related = ("case",)
    fields = ("title", "kind", "case", "sent_at", "read_at", "language", "pdf_link")
    readonly_fields = fields

    has_module_permission = CaseworkerReadOnlyMixin.has_view_permission

    def get_queryset(self, request):
        return letters_for_caseworker(request.user)

    @admin.display(description=_("PDF"))
    def pdf_link(self, obj):
        return letter_pdf_link(obj)

    def get_urls(self):
        return [
            path("<uuid:pk>/pdf/", self.admin_site.admin_view(self.pdf_view), name="correspondence_letter_pdf"),
            *super().get_urls(),
        ]

    def pdf_view(self, request, pk):
        if not request_is_caseworker(request):
            raise Http404
        letter = get_object_or_404(letters_for_caseworker(request.user), pk=pk)
        if not letter.pdf:
            services.letter_render_pdf(letter=letter)
            letter.refresh_from_db(fields=["pdf"])
        return stored_file_response(name=letter.pdf.name, filename=f"{letter.pk}.pdf", content_type="application/pdf")
