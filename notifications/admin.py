"""Caseworker view of deliveries (/saksbehandling/): per notification how and when it went,
with "resend" for technical failures; the print queue's batches. IT gets the same on /admin/."""

from django.contrib import admin, messages
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from cases.panels import case_admin_inline
from core.admin_site import caseworker_site
from core.staff import request_is_caseworker
from core.storage import stored_file_response
from correspondence.admin import admin_time, letter_pdf_link
from correspondence.models import Letter

from . import services
from .models import NoticePreference, Notification, PrintBatch, PrintItem
from .selectors import letter_delivery_summary, notifications_for_caseworker, print_batches_for_staff

READABLE_FIELDS = ("template", "channel", "status", "sent_at", "destination", "provider_reference", "last_error",
                   "attempts", "next_attempt_at", "language", "recipient", "letter", "case", "resend_of",
                   "idempotency_key", "created_at", "updated_at")


class _ReadOnly:
    """Deliveries are a record: nobody edits them by hand."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        # Staff of this municipality only (on either admin site): the one caseworker predicate,
        # whose departments are the request municipality's (accounts.tenancy).
        return self.admin_site.has_permission(request) and request_is_caseworker(request)

    def has_module_permission(self, request):
        return self.has_view_permission(request)


class NotificationAdmin(_ReadOnly, admin.ModelAdmin):
    list_display = ("template", "recipient", "channel", "status", "sent_at", "destination", "provider_reference",
                    "attempts", "last_error_short", "letter_read_at")
    list_filter = ("status", "channel", "template")
    list_select_related = ("recipient", "letter")
    search_fields = ("provider_reference", "case__case_number", "letter__title")
    readonly_fields = READABLE_FIELDS
    fields = READABLE_FIELDS
    date_hierarchy = "created_at"
    actions = ["resend"]

    @admin.display(description=_("last error"))
    def last_error_short(self, obj):
        return (obj.last_error[:80] + "…") if len(obj.last_error) > 80 else obj.last_error

    @admin.display(description=_("letter read"))
    def letter_read_at(self, obj):
        if not obj.letter_id:
            return "–"
        return formats.localize(timezone.localtime(obj.letter.read_at)) if obj.letter.read_at else _("not read")

    def get_queryset(self, request):
        return notifications_for_caseworker(user=request.user)

    @admin.action(description=_("Resend (technical failures only)"))
    def resend(self, request, queryset):
        resent = 0
        for notification in queryset.filter(status=Notification.Status.TECHNICAL_FAILURE):
            services.notification_resend(notification=notification, by=request.user)
            resent += 1
        skipped = queryset.count() - resent
        if resent:
            self.message_user(request, ngettext("%(n)d notification resent.", "%(n)d notifications resent.", resent)
                              % {"n": resent}, messages.SUCCESS)
        if skipped:
            self.message_user(request, ngettext(
                "%(n)d notification skipped: only technical failures can be resent.",
                "%(n)d notifications skipped: only technical failures can be resent.", skipped) % {"n": skipped},
                messages.WARNING)


class PrintItemInline(_ReadOnly, admin.TabularInline):
    model = PrintItem
    fields = ("name", "address", "notification", "created_at")
    readonly_fields = fields
    extra = 0


class PrintBatchAdmin(_ReadOnly, admin.ModelAdmin):
    list_display = ("reference", "status", "letters", "created_at", "provider_reference", "download")
    list_filter = ("status",)
    fields = ("reference", "status", "letters", "provider_reference", "last_error", "created_at", "download")
    readonly_fields = fields
    inlines = [PrintItemInline]

    def get_queryset(self, request):
        return print_batches_for_staff(user=request.user)

    @admin.display(description=_("batch file"))
    def download(self, obj):
        if not obj.archive:
            return "–"
        url = reverse(f"{self.admin_site.name}:notifications_printbatch_download", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Download zip"))

    def get_urls(self):
        return [path("<uuid:pk>/download/", self.admin_site.admin_view(self.download_view),
                     name="notifications_printbatch_download"), *super().get_urls()]

    def download_view(self, request, pk):
        batch = get_object_or_404(self.get_queryset(request), pk=pk)
        if not batch.archive:
            raise Http404
        return stored_file_response(name=batch.archive.name, filename=f"{batch.reference}.zip", content_type="application/zip")


@case_admin_inline
class CaseLetterInline(admin.TabularInline):
    """The case's letters on the caseworker's case page: how each was delivered (from its
    outbox rows) and when it was read. Read-only."""

    model = Letter
    fk_name = "case"
    extra = 0
    fields = ("title", "kind", "sent", "delivery", "read", "pdf_link")
    readonly_fields = fields
    verbose_name = _("letter")
    verbose_name_plural = _("letters")

    def has_view_permission(self, request, obj=None):
        return request_is_caseworker(request)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("read_by").prefetch_related("notifications")

    @admin.display(description=_("sent"))
    def sent(self, obj):
        return admin_time(obj.sent_at)

    @admin.display(description=_("delivery"))
    def delivery(self, obj):
        rows = letter_delivery_summary(letter=obj)
        if not rows:
            return "–"
        return format_html_join(
            mark_safe("<br>"), "{}: {} {}{}",  # noqa: S308 - a constant
            ((r["channel"], r["status"], admin_time(r["sent_at"]) if r["sent_at"] else "",
              f" ({r['last_error'][:120]})" if r["last_error"] else "") for r in rows),
        )

    @admin.display(description=_("read"))
    def read(self, obj):
        if not obj.read_at:
            return gettext("Not read")
        return format_html("{} ({})", admin_time(obj.read_at), obj.read_by.get_full_name() if obj.read_by else "")

    @admin.display(description=_("PDF"))
    def pdf_link(self, obj):
        return letter_pdf_link(obj)


class NoticePreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "email", "sms", "updated_at")
    raw_id_fields = ("user",)


for site in (caseworker_site, admin.site):
    site.register(Notification, NotificationAdmin)
    site.register(PrintBatch, PrintBatchAdmin)
admin.site.register(NoticePreference, NoticePreferenceAdmin)
