"""The caseworker's desk in the admin (/saksbehandling/): the queue of their departments and
the case page with its actions. Thin: access through cases.selectors, changes through
cases.services. Every time a caseworker opens a case, the access log gets a row."""

from __future__ import annotations

import datetime
import re
import uuid

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Subquery
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Department, User
from core.admin_site import caseworker_site
from core.staff import request_is_caseworker
from core.uploads import upload_download_response

from . import selectors, services
from .forms import AssignForm, DecideForm, NoteForm, RequestInformationForm, TransitionForm
from .models import Case, CaseEvent
from .panels import case_admin_inlines, caseworker_panels
from .transitions import CASEWORKER, TransitionNotAllowed, allowed_targets
from .types import case_types

CASE_NUMBER = re.compile(r"\d{4}/\d+")


class AssignedFilter(admin.SimpleListFilter):
    title = gettext_lazy("assigned")
    parameter_name = "assigned"

    def lookups(self, request, model_admin):
        return [("me", _("Assigned to me")), ("none", _("Unassigned"))]

    def queryset(self, request, queryset):
        if self.value() == "me":
            return queryset.filter(assigned_to=request.user)
        if self.value() == "none":
            return queryset.filter(assigned_to__isnull=True)
        return queryset


class OverdueFilter(admin.SimpleListFilter):
    title = gettext_lazy("deadline")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("Overdue")), ("week", _("Due within 7 days"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "yes":
            return queryset.filter(selectors.overdue_q(today))
        if self.value() == "week":
            return queryset.filter(status__in=selectors.OPEN_STATUSES, deadline__gte=today,
                                   deadline__lte=today + datetime.timedelta(days=7))
        return queryset


class ApplicationTypeFilter(admin.SimpleListFilter):
    title = gettext_lazy("application type")
    parameter_name = "type"

    def lookups(self, request, model_admin):
        # The registered types: a DISTINCT over 100,000 cases for the filter would cost more than the page.
        return [(t.key, t.title) for t in case_types()]

    def queryset(self, request, queryset):
        return queryset.filter(application_type=self.value()) if self.value() else queryset


def _check_events():
    return CaseEvent.objects.filter(case=OuterRef("pk"), kind=CaseEvent.Kind.AUTOMATED_CHECK)


class AutomatedCheckFilter(admin.SimpleListFilter):
    """The automated check after submit: complete (sent on to review), needs attention (the
    case waits in `received` for a caseworker), or not run yet. See case_automated_check_record."""

    title = gettext_lazy("automated check")
    parameter_name = "check"

    def lookups(self, request, model_admin):
        return [("complete", _("Complete")), ("attention", _("Needs attention")), ("none", _("Not run yet"))]

    def queryset(self, request, queryset):
        if self.value() == "complete":
            return queryset.filter(Exists(_check_events().exclude(to_status="")))
        if self.value() == "attention":
            return queryset.filter(Exists(_check_events().filter(to_status="")))
        if self.value() == "none":
            return queryset.exclude(Exists(_check_events()))
        return queryset


class DepartmentFilter(admin.SimpleListFilter):
    title = gettext_lazy("department")
    parameter_name = "department"

    def lookups(self, request, model_admin):
        departments = Department.objects.all() if request.user.is_superuser else request.user.departments.all()
        return [(d.code, d.name) for d in departments]

    def queryset(self, request, queryset):
        return queryset.filter(department__code=self.value()) if self.value() else queryset


@admin.register(Case, site=caseworker_site)
class CaseAdmin(admin.ModelAdmin):
    list_display = ("case_number", "title", "applicant_name", "type_label", "status", "assigned_to_name",
                    "deadline", "days_left_column", "automated_check_column")
    list_display_links = ("case_number", "title")
    list_select_related = ("applicant", "assigned_to")
    list_filter = ("status", ApplicationTypeFilter, AssignedFilter, OverdueFilter, AutomatedCheckFilter, DepartmentFilter)
    search_fields = ("=case_number", "applicant__first_name", "applicant__last_name")
    search_help_text = gettext_lazy("Case number (e.g. 2026/123) or the applicant's name")
    list_per_page = 50
    # No COUNT(*) over the whole queue on every page: the filtered count is enough.
    show_full_result_count = False
    ordering = ("-received_at",)
    date_hierarchy = None
    fields = ("case_number", "title", "type_label", "status", "department", "applicant_display", "organisation",
              "assigned_to", "received_at", "deadline", "decided_at", "version")
    readonly_fields = fields
    change_form_template = "admin/cases/case/change_form.html"

    class Media:
        css = {"all": ("cases/admin.css",)}

    # --- who may do what: caseworkers of the case's department (superusers: all) -------------
    def has_module_permission(self, request):
        return request_is_caseworker(request)

    def has_view_permission(self, request, obj=None):
        return request_is_caseworker(request) and (obj is None or self._in_scope(request, obj))

    def has_change_permission(self, request, obj=None):
        # "Change" only lets the page take part in inlines (the message thread); the case's own
        # fields are read-only and change through the actions below (services).
        return self.has_view_permission(request, obj)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def _in_scope(self, request, obj) -> bool:
        return selectors.cases_for_caseworker(user=request.user).filter(pk=obj.pk).exists()

    def get_queryset(self, request):
        # The automated check's outcome for the queue column, in the same query (a subquery
        # per row shown).
        return selectors.cases_for_caseworker(user=request.user).annotate(
            automated_check=Subquery(_check_events().order_by("-created_at").values("to_status")[:1]))

    def get_search_results(self, request, queryset, search_term):
        # A case number goes straight to its unique index; only names need the slower search.
        term = search_term.strip()
        if CASE_NUMBER.fullmatch(term):
            return queryset.filter(case_number=term), False
        return super().get_search_results(request, queryset, search_term)

    def get_inlines(self, request, obj):
        # What other apps show on the case page (messages, letters): cases.panels.
        return case_admin_inlines()

    def save_model(self, request, obj, form, change):
        # Never save the case from the form: status, assignment and the rest change through
        # cases.services (optimistic locking, timeline, notifications).
        return None

    # --- columns ---------------------------------------------------------------------------
    @admin.display(description=gettext_lazy("applicant"), ordering="applicant__last_name")
    def applicant_name(self, case):
        return case.applicant.get_full_name()

    @admin.display(description=gettext_lazy("applicant"))
    def applicant_display(self, case):
        return f"{case.applicant.get_full_name()} ({case.applicant.masked_national_id})"

    @admin.display(description=gettext_lazy("type"), ordering="application_type")
    def type_label(self, case):
        return case.type.title

    @admin.display(description=gettext_lazy("assigned to"), ordering="assigned_to__last_name")
    def assigned_to_name(self, case):
        return case.assigned_to.get_full_name() if case.assigned_to else "–"

    @admin.display(description=gettext_lazy("days left"), ordering="deadline")
    def days_left_column(self, case):
        if case.status not in selectors.OPEN_STATUSES:
            return "–"
        left = selectors.days_left(case)
        if left is None:
            return "–"
        if case.deadline_paused_at is not None:
            return format_html('<span class="case-paused">{} ({})</span>', left, _("paused"))
        if left < 0:
            return format_html('<strong class="case-overdue">{} ({})</strong>', left, _("overdue"))
        return left

    @admin.display(description=gettext_lazy("automated check"))
    def automated_check_column(self, case):
        outcome = getattr(case, "automated_check", None)
        if outcome is None:
            return "–"
        if outcome:
            return _("Complete")
        return format_html('<strong class="case-check-attention">{}</strong>', _("Needs attention"))

    # --- the case page ---------------------------------------------------------------------
    def get_urls(self):
        return [
            path("<uuid:object_id>/action/<slug:action>/", self.admin_site.admin_view(self.action_view),
                 name="cases_case_action"),
            path("<uuid:object_id>/document/<uuid:document_id>/", self.admin_site.admin_view(self.document_view),
                 name="cases_case_document"),
            *super().get_urls(),
        ]

    def _get_case(self, request, object_id) -> Case:
        try:
            pk = uuid.UUID(str(object_id))
        except ValueError:
            raise Http404("No such case")
        return selectors.case_get_for_user(user=request.user, pk=pk, as_staff=True)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # Another department's case is a 404, not the admin's "perhaps it was deleted" redirect.
        case = self._get_case(request, object_id)
        services.case_access_record(case=case, user=request.user)
        context = {**self._case_page_context(request, case, (extra_context or {}).pop("action_forms", {})),
                   **(extra_context or {})}
        return super().change_view(request, object_id, form_url, extra_context=context)

    def _case_page_context(self, request, case, bound_forms) -> dict:
        version = {"version": case.version}
        colleagues = User.objects.filter(is_active=True, is_staff=True, departments=case.department_id).order_by(
            "first_name", "last_name")
        forms = {
            "assign": AssignForm(initial={**version, "assignee": case.assigned_to_id}, colleagues=colleagues),
            "note": NoteForm(),
            "request_information": RequestInformationForm(initial={
                **version, "due_date": timezone.localdate() + datetime.timedelta(days=14)}),
            "decide": DecideForm(initial=version),
            "transition": TransitionForm(initial=version),
        }
        forms.update(bound_forms)
        targets = allowed_targets(case.status, CASEWORKER, application_type=case.application_type)
        events = list(selectors.case_full_timeline(case=case))
        return {
            "case": case,
            "action_forms": forms,
            "can_assign": case.status in selectors.OPEN_STATUSES or case.status == Case.Status.DECIDED,
            "can_start_review": case.status in (Case.Status.RECEIVED, Case.Status.AWAITING_INFORMATION),
            "can_request_information": Case.Status.AWAITING_INFORMATION in targets,
            "can_decide": Case.Status.DECIDED in targets,
            "can_close": Case.Status.CLOSED in targets,
            "can_reopen": case.status == Case.Status.APPEALED,
            "days_left": selectors.days_left(case),
            "type_label": case.type.title,
            # The case's own fields are read-only: no save buttons (the actions above save).
            "show_save": False, "show_save_and_continue": False, "show_save_and_add_another": False,
            "show_delete": False,
            "timeline": [e for e in events if e.kind != e.Kind.NOTE],
            "automated_checks": selectors.automated_check_results(
                next((e for e in reversed(events) if e.kind == e.Kind.AUTOMATED_CHECK), None)),
            "notes": [e for e in events if e.kind == e.Kind.NOTE],
            # What other apps show about the case (the application as submitted): cases.panels.
            "panels": caseworker_panels(request, case),
            "documents": case.documents.all(),
            "information_requests": case.information_requests.all(),
            "decisions": case.decisions.all(),
            "action_urls": {name.replace("-", "_"): reverse("caseworker:cases_case_action", args=[case.pk, name])
                            for name in ("assign-me", "assign", "note", "start-review", "request-information",
                                         "decide", "close", "reopen")},
        }

    def document_view(self, request, object_id, document_id):
        """A file the citizen sent in, for the caseworker (their department's cases only)."""
        case = self._get_case(request, object_id)
        document = case.documents.filter(pk=document_id).first()
        if document is None:
            raise Http404("No such document")
        services.case_access_record(case=case, user=request.user)
        return upload_download_response(stored_name=document.file.name, original_name=document.original_name,
                                        content_type=document.content_type)

    def action_view(self, request, object_id, action):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        case = self._get_case(request, object_id)
        handler = getattr(self, f"_action_{action.replace('-', '_')}", None)
        if handler is None:
            raise Http404("No such action")
        change_url = reverse("caseworker:cases_case_change", args=[case.pk])
        try:
            form = handler(request, case)
        except services.CaseChanged as changed:
            messages.error(request, _(
                "Someone else changed this case while you worked on it (it is now “%(status)s”). Nothing was "
                "saved. Check the current state below and try again.") % {"status": changed.case.get_status_display()})
            return redirect(change_url)
        except TransitionNotAllowed as refused:
            messages.error(request, refused.user_message)
            return redirect(change_url)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
            return redirect(change_url)
        if form is not None:  # invalid input: show the page again with the errors, nothing lost
            request.method = "GET"
            response = self.change_view(request, str(case.pk), extra_context={"action_forms": {action.replace("-", "_"): form}})
            response.status_code = 400
            return response
        return redirect(change_url)

    # Each action returns None on success, or the bound form with its errors.
    def _action_assign_me(self, request, case):
        form = TransitionForm(request.POST)
        if not form.is_valid():
            return form
        services.case_assign(case=case, assignee=request.user, by=request.user,
                             expected_version=form.cleaned_data["version"])
        messages.success(request, _("The case is assigned to you."))

    def _action_assign(self, request, case):
        colleagues = User.objects.filter(is_active=True, is_staff=True, departments=case.department_id)
        form = AssignForm(request.POST, colleagues=colleagues)
        if not form.is_valid():
            return form
        services.case_assign(case=case, assignee=form.cleaned_data["assignee"], by=request.user,
                             expected_version=form.cleaned_data["version"])
        messages.success(request, _("The assignment is saved."))

    def _action_note(self, request, case):
        form = NoteForm(request.POST)
        if not form.is_valid():
            return form
        services.case_note_add(case=case, by=request.user, text=form.cleaned_data["text"])
        messages.success(request, _("The note is saved."))

    def _action_start_review(self, request, case):
        form = TransitionForm(request.POST)
        if not form.is_valid():
            return form
        services.case_start_review(case=case, by=request.user, expected_version=form.cleaned_data["version"],
                                   internal_text=form.cleaned_data["internal_text"])
        messages.success(request, _("The case is under review."))

    def _action_request_information(self, request, case):
        form = RequestInformationForm(request.POST)
        if not form.is_valid():
            return form
        data = form.cleaned_data
        services.case_request_information(case=case, by=request.user, text=data["text"],
                                          documents_requested=data["documents_requested"], due_date=data["due_date"],
                                          expected_version=data["version"])
        messages.success(request, _("The request is sent to the applicant. The deadline is paused until they answer."))

    def _action_decide(self, request, case):
        form = DecideForm(request.POST)
        if not form.is_valid():
            return form
        data = form.cleaned_data
        services.case_decide(case=case, by=request.user, outcome=data["outcome"], reasoning=data["reasoning"],
                             legal_basis=data["legal_basis"], expected_version=data["version"])
        messages.success(request, _("The decision is made and the decision letter is sent."))

    def _action_close(self, request, case):
        form = TransitionForm(request.POST)
        if not form.is_valid():
            return form
        services.case_close(case=case, by=request.user, expected_version=form.cleaned_data["version"],
                            internal_text=form.cleaned_data["internal_text"])
        messages.success(request, _("The case is closed."))

    def _action_reopen(self, request, case):
        form = TransitionForm(request.POST)
        if not form.is_valid():
            return form
        services.case_reopen_on_appeal(case=case, by=request.user, expected_version=form.cleaned_data["version"],
                                       internal_text=form.cleaned_data["internal_text"])
        messages.success(request, _("The case is reopened for review of the appeal."))
