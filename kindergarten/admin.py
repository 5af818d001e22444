"""The kindergarten office's desk (/saksbehandling/): the kindergartens, and admission rounds:
create a round, run it ("Run admission"), see what it gave (offers per kindergarten, waiting
list) and its offers. Thin: rounds are created and changed through kindergarten.services, the
run is services.admission_run, in a Celery task on the casework queue when there are many cases
(in-process with eager Celery, as in development)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.adminmixins import MunicipalityOwnedAdmin
from core.admin_site import caseworker_site
from core.enqueue import task_enqueue
from core.staff import request_is_caseworker
from registers.population import RegisterUnavailable

from . import selectors, services, tasks
from .application import KindergartenPlace
from .conf import setting
from .models import AdmissionRound, Kindergarten, Offer

DEPARTMENT = KindergartenPlace.department_code


def _in_department(request) -> bool:
    """May this user run admission (the kindergarten department)? One query: asked only when
    someone acts (add, save, run), never for the nav sidebar of every admin page."""
    if not hasattr(request, "_kindergarten_in_department"):
        user = request.user
        request._kindergarten_in_department = bool(
            user.is_active and user.is_staff
            and (user.is_superuser or user.departments.filter(code=DEPARTMENT).exists()))
    return request._kindergarten_in_department


def _own_departments(queryset, request, prefix="case__"):
    """Offers of cases in the user's departments only (superusers: all)."""
    if request.user.is_superuser:
        return queryset
    return queryset.filter(**{f"{prefix}department__in": request.user.departments.all()})


class OfferInline(admin.TabularInline):
    model = Offer
    extra = 0
    can_delete = False
    fields = ["case", "kindergarten", "wish_rank", "start_date", "reply_deadline", "status", "keep_on_waiting_list",
              "answered_at"]
    readonly_fields = fields
    show_change_link = False

    def get_queryset(self, request):
        return _own_departments(super().get_queryset(request).select_related("case", "kindergarten"), request)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request_is_caseworker(request)


class _CaseworkersView:
    def has_module_permission(self, request):
        return request_is_caseworker(request)

    def has_delete_permission(self, request, obj=None):
        return False  # rounds and offers are the record of who was offered what

    def has_view_permission(self, request, obj=None):
        return request_is_caseworker(request)

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Kindergarten)
@admin.register(Kindergarten, site=caseworker_site)
class KindergartenAdmin(MunicipalityOwnedAdmin, admin.ModelAdmin):
    list_display = ["name", "address", "age_groups", "capacity", "active"]
    list_filter = ["active", "age_groups"]
    search_fields = ["name", "address"]


class AdmissionRoundForm(forms.ModelForm):
    """The round's fields, checked by the service's rules (kindergarten.services)."""

    class Meta:
        model = AdmissionRound
        fields = ["name", "places_start", "reply_days"]

    def clean(self):
        cleaned = super().clean()
        try:
            services.admission_round_validate(name=cleaned.get("name", ""), places_start=cleaned.get("places_start"),
                                              reply_days=cleaned.get("reply_days"))
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                if field in self.fields and field not in self.errors:
                    self.add_error(field, errors)
        return cleaned


@admin.register(AdmissionRound, site=caseworker_site)
class AdmissionRoundAdmin(_CaseworkersView, admin.ModelAdmin):
    form = AdmissionRoundForm
    list_display = ["name", "places_start", "reply_days", "status", "run_at", "offers_made", "waiting_list"]
    fields = ["name", "places_start", "reply_days", "status", "run_at", "run_by", "offers_made", "waiting_list"]
    readonly_fields = ["status", "run_at", "run_by", "offers_made", "waiting_list"]
    actions = ["run_admission"]
    inlines = [OfferInline]
    change_form_template = "kindergarten/admin/round_change_form.html"

    def has_add_permission(self, request):
        return request_is_caseworker(request)

    def has_change_permission(self, request, obj=None):
        # Rounds are created here; once run their fields are the record.
        return request_is_caseworker(request) and (obj is None or obj.status == AdmissionRound.Status.READY)

    def save_model(self, request, obj, form, change):
        # Only the kindergarten department plans rounds (asked here, not for every page's nav).
        # Created and changed through the service, never by saving the form's model.
        if not _in_department(request):
            raise PermissionDenied
        data = form.cleaned_data
        if change:
            services.admission_round_update(round=obj, name=data["name"], places_start=data["places_start"],
                                            reply_days=data["reply_days"])
        else:
            form.instance = services.admission_round_create(municipality=request.municipality, name=data["name"],
                                                            places_start=data["places_start"],
                                                            reply_days=data["reply_days"])
            obj.pk = form.instance.pk

    def change_view(self, request, object_id, form_url="", extra_context=None):
        round = self.get_object(request, object_id)
        extra_context = {**(extra_context or {}), "summary": selectors.round_summary(round=round) if round else []}
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.action(description=_("Run admission"))
    def run_admission(self, request, queryset):
        if not _in_department(request):
            self.message_user(request, _("Only the kindergarten department runs admission."), messages.ERROR)
            return
        waiting = selectors.eligible_cases().count()
        for round in queryset.order_by("places_start", "pk"):
            if waiting >= setting("KINDERGARTEN_RUN_IN_WORKER_FROM") \
                    and not settings.CELERY_TASK_ALWAYS_EAGER:
                # After commit, and never raising: with the broker down the failure is logged and
                # the caseworker simply runs the round again (a re-run only fills what is left).
                transaction.on_commit(lambda round=round: task_enqueue(
                    tasks.run_admission_round, args=[str(round.pk), request.user.pk],
                    what=f"admission round {round.pk}", fallback="run the round again"), robust=True)
                self.message_user(request, _("“%(name)s” is running for %(n)d cases. Reload the page in a minute to see the result.") % {
                    "name": round.name, "n": waiting}, messages.INFO)
                continue
            try:
                result = services.admission_run(round=round, by=request.user)
            except RegisterUnavailable:
                self.message_user(request, _("The population register does not answer, so the admission was not run. Nothing was changed. Try again later."), messages.ERROR)
                return
            offers = ngettext("%(n)d offer made", "%(n)d offers made", result.offers_made) % {"n": result.offers_made}
            self.message_user(request, _("“%(name)s”: %(offers)s, %(waiting)d newly on the waiting list.") % {
                "name": round.name, "offers": offers, "waiting": result.waiting_list}, messages.SUCCESS)


@admin.register(Offer, site=caseworker_site)
class OfferAdmin(_CaseworkersView, admin.ModelAdmin):
    list_display = ["case", "kindergarten", "round", "wish_rank", "status", "reply_deadline", "keep_on_waiting_list"]
    list_filter = ["status", "round", "kindergarten"]
    list_select_related = ["case", "kindergarten", "round"]
    search_fields = ["case__case_number"]
    readonly_fields = ["case", "kindergarten", "round", "wish_rank", "start_date", "reply_deadline", "status",
                       "keep_on_waiting_list", "answered_at", "letter"]

    def get_queryset(self, request):
        return _own_departments(super().get_queryset(request), request)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
