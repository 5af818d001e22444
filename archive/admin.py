"""The archive in the caseworkers' admin (/saksbehandling/): the archive messages of their
cases (status, the archive's reason for a failure, resend), and for municipal IT (superusers)
the screening rules and the deposit packages. Thin: selectors decide what is seen, services do
the rest."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.adminmixins import MunicipalityOwnedAdmin
from core.admin_site import caseworker_site
from core.enqueue import task_enqueue
from core.staff import request_is_caseworker
from core.uploads import upload_download_response

from . import selectors, services, tasks
from .models import ArchiveDeposit, ArchiveMessage, ArchiveScreening


def resend_view(request, message_id):
    """POST: send a failed archive message again (its case's caseworkers only; else 404)."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    message = selectors.archive_message_get_for_caseworker(user=request.user, pk=message_id)
    try:
        services.archive_message_resend(message=message, by=request.user)
    except services.NotResendable as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The document is on its way to the archive again."))
    return redirect(reverse("caseworker:cases_case_change", args=[message.record.case_id]))


caseworker_site.add_urls(lambda site: [
    path("arkiv/melding/<uuid:message_id>/send-igjen/", site.admin_view(resend_view), name="archive_message_resend"),
])


@admin.register(ArchiveMessage, site=caseworker_site)
class ArchiveMessageAdmin(admin.ModelAdmin):
    list_display = ("created_at", "case_link", "record_title", "operation", "status", "attempts", "last_error")
    list_filter = ("status", "operation")
    list_select_related = ("record__case",)
    search_fields = ("=record__case__case_number",)
    search_help_text = gettext_lazy("Case number (e.g. 2026/123)")
    readonly_fields = ("record", "operation", "status", "attempts", "next_attempt_at", "last_error", "sent_at",
                       "received_at", "archived_at", "resend_of", "created_at")
    fields = readonly_fields
    actions = ["resend"]
    list_per_page = 50
    show_full_result_count = False

    def get_queryset(self, request):
        return selectors.archive_messages_for_caseworker(user=request.user)

    def has_module_permission(self, request):
        return request_is_caseworker(request)

    def has_view_permission(self, request, obj=None):
        return request_is_caseworker(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("case"), ordering="record__case__case_number")
    def case_link(self, message):
        case = message.record.case
        return format_html('<a href="{}">{}</a>', reverse("caseworker:cases_case_change", args=[case.pk]), case.case_number)

    @admin.display(description=gettext_lazy("document"))
    def record_title(self, message):
        return message.record.title

    @admin.action(description=gettext_lazy("Send the selected failed messages to the archive again"))
    def resend(self, request, queryset):
        sent = 0
        for message in queryset.filter(status=ArchiveMessage.Status.FAILED):
            try:
                services.archive_message_resend(message=message, by=request.user)
                sent += 1
            except services.NotResendable:
                continue
        self.message_user(request, _("%(n)d message(s) sent again.") % {"n": sent})


class SuperuserOnly:
    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ArchiveScreening, site=caseworker_site)
class ArchiveScreeningAdmin(SuperuserOnly, admin.ModelAdmin):
    list_display = ("__str__", "restricted", "access_code", "legal_basis")
    fields = ("application_type", "restricted", "access_code", "legal_basis")


@admin.register(ArchiveDeposit, site=caseworker_site)
class ArchiveDepositAdmin(SuperuserOnly, MunicipalityOwnedAdmin, admin.ModelAdmin):
    list_display = ("period_start", "period_end", "status", "case_files", "registry_entries", "documents",
                    "size", "seconds", "download", "created_at")
    readonly_fields = ("status", "case_files", "registry_entries", "documents", "size", "sha256", "seconds",
                       "last_error", "download", "requested_by", "created_at")
    actions = ["build"]

    def get_fields(self, request, obj=None):
        return ("period_start", "period_end") if obj is None else ("period_start", "period_end", *self.readonly_fields)

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is None else ("period_start", "period_end", *self.readonly_fields)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.requested_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description=gettext_lazy("package"))
    def download(self, deposit):
        if deposit.status != ArchiveDeposit.Status.READY or not deposit.package:
            return "–"
        return format_html('<a href="{}">{}</a>', reverse("caseworker:archive_deposit_download", args=[deposit.pk]),
                           _("Download"))

    @admin.action(description=gettext_lazy("Build the deposit package (in the background)"))
    def build(self, request, queryset):
        queued = 0
        for deposit in queryset.filter(status__in=[ArchiveDeposit.Status.REQUESTED, ArchiveDeposit.Status.FAILED]):
            if task_enqueue(tasks.deposit_build, args=[str(deposit.pk)], what=f"deposit package {deposit.pk}",
                            fallback="build it with manage.py archive_deposit"):
                queued += 1
        self.message_user(request, _("%(n)d package(s) are being built; reload the list to see when they are ready.")
                          % {"n": queued})


def deposit_download_view(request, deposit_id):
    if not (request.user.is_active and request.user.is_superuser):
        raise PermissionDenied
    deposit = ArchiveDeposit.objects.filter(pk=deposit_id, status=ArchiveDeposit.Status.READY).first()
    if deposit is None or not deposit.package:
        raise Http404("No such package")
    return upload_download_response(stored_name=deposit.package.name, original_name=deposit.package.name.rsplit("/", 1)[-1],
                                    content_type="application/x-tar")


caseworker_site.add_urls(lambda site: [
    path("arkiv/uttrekk/<uuid:deposit_id>/last-ned/", site.admin_view(deposit_download_view),
         name="archive_deposit_download"),
])
