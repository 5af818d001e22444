"""Citizen-facing views: the catalogue, a draft's steps, the summary, submit and receipt.
Thin: they parse input, call a service, render. Every application is fetched through
selectors.applications_for_party(): someone else's application is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases.services import case_access_record
from core.uploads import upload_download_response
from correspondence.models import Letter

from . import services
from .models import Application, Attachment
from .selectors import application_summary, applications_for_party, attachment_for_user, offered_types
from .templatetags.applications_tags import field_anchor

UPLOAD_ERRORS_KEY = "applications-upload-errors"


def _application(request, pk) -> Application:
    return get_object_or_404(applications_for_party(party=request.party).select_related("applicant", "organisation"), pk=pk)


def _types_for_party(party):
    return [t for t in offered_types()
            if (t["type"].organisations_may_apply if party.is_organisation else t["type"].persons_may_apply)]


@login_required
def catalogue(request):
    return render(request, "applications/catalogue.html", {"types": _types_for_party(request.party)})


@login_required
def start(request, type_key):
    offered = next((t for t in _types_for_party(request.party) if t["key"] == type_key), None)
    if offered is None:
        raise Http404()
    if request.method == "POST":
        try:
            application = services.application_start(type_key=type_key, party=request.party)
        except PermissionDenied:
            raise Http404() from None
        return redirect("applications:step", pk=application.pk, step=application.app_type.steps[0].name)
    return render(request, "applications/start.html", {"offered": offered})


def _raw_data(form_class, querydict, application) -> dict:
    """What was typed on the step, field by field (lists for multiple choices)."""
    form = form_class(application=application)
    raw = {}
    for name, field in form.fields.items():
        if getattr(field.widget, "allow_multiple_selected", False):
            raw[name] = querydict.getlist(name)
        else:
            raw[name] = querydict.get(name, "")
    return raw


def _step_context(request, application, step, form, *, attachment_errors=None, extra_errors=None):
    app_type = application.app_type
    attachment_errors = attachment_errors or {}
    slots = []
    attachments = list(application.attachments.all())
    for slot in step.attachments:
        slots.append({"slot": slot, "files": [a for a in attachments if a.kind == slot.kind],
                      "error": attachment_errors.get(slot.kind, "")})
    errors = []
    if form.is_bound and form.errors:
        for name, field_errors in form.errors.items():
            if name == "__all__":
                errors += [("form-errors", e) for e in field_errors]
            else:
                errors += [(field_anchor(form[name]), e) for e in field_errors]
    errors += [(f"file-{kind}", message) for kind, message in attachment_errors.items()]
    errors += extra_errors or []
    rules = services.upload_rules_for(application=application)
    index = app_type.step_index(step.name)
    return {
        "application": application, "app_type": app_type, "step": step, "form": form, "slots": slots,
        "errors": errors, "steps": app_type.steps, "step_number": index + 1, "step_count": len(app_type.steps),
        "previous": app_type.previous_step(step.name), "rules": rules,
        "from_summary": request.GET.get("from") == "summary" or request.POST.get("from") == "summary",
        **form.extra_context(),
    }


def _missing_required_files(application, step, form) -> dict:
    cleaned = form.cleaned_data if form.is_valid() else None
    kinds = set(application.attachments.values_list("kind", flat=True))
    return {slot.kind: _("%(label)s: attach at least one file.") % {"label": slot.label}
            for slot in step.attachments if slot.is_required(cleaned) and slot.kind not in kinds}


@login_required
def step_view(request, pk, step):
    application = _application(request, pk)
    if not application.is_draft:
        return redirect("applications:receipt", pk=application.pk)
    app_type = application.app_type
    current = app_type.step(step)
    if current is None:
        raise Http404()
    step_url = reverse("applications:step", kwargs={"pk": application.pk, "step": current.name})
    from_summary = request.GET.get("from") == "summary" or request.POST.get("from") == "summary"
    suffix = "?from=summary" if from_summary else ""

    if request.method == "POST":
        raw = _raw_data(current.form_class, request.POST, application)
        services.application_save_step(application=application, step=current.name, data=raw)
        action = request.POST.get("action", "next")
        if action.startswith("upload:"):
            kind = action.split(":", 1)[1]
            file = request.FILES.get(f"file-{kind}")
            errors = request.session.get(UPLOAD_ERRORS_KEY, {})
            if file is None:
                errors[kind] = _("Choose a file to upload.")
            else:
                try:
                    attachment = services.attachment_add(application=application, kind=kind, file=file)
                    messages.success(request, _("%(name)s was uploaded.") % {"name": attachment.original_name})
                except ValidationError as exc:
                    errors[kind] = exc.messages[0]
            request.session[UPLOAD_ERRORS_KEY] = errors
            # Post/redirect/get: the page shows the new list or the error. With JavaScript (upload
            # progress) the script follows the location itself.
            location = f"{step_url}{suffix}#attachments-{kind}"
            if request.headers.get("X-Requested-With") == "XMLHttpRequest":
                return JsonResponse({"location": location})
            return HttpResponseRedirect(location)
        if action == "back":
            previous = app_type.previous_step(current.name)
            return redirect("applications:step", pk=application.pk, step=previous.name if previous else current.name)
        if action == "save":
            messages.success(request, _("Your application is saved. You can continue from Min Side."))
            return redirect("home")
        form = app_type.form(step=current, application=application, data=request.POST)
        missing = _missing_required_files(application, current, form) if form.is_valid() else {}
        if form.is_valid() and not missing:
            following = app_type.next_step(current.name)
            if from_summary or following is None:
                return redirect("applications:summary", pk=application.pk)
            return redirect("applications:step", pk=application.pk, step=following.name)
        context = _step_context(request, application, current, form, attachment_errors=missing)
        return render(request, "applications/step.html", context, status=200)

    upload_errors = request.session.pop(UPLOAD_ERRORS_KEY, None) or {}
    stored = application.data.get(current.name)
    extra = {}
    if stored is None:
        form = app_type.form(step=current, application=application)  # prefilled from what we know
    else:
        # Returning to a step shows what was typed; errors appear once "Next" is pressed.
        form = current.form_class(initial=stored, application=application)
        saved = app_type.bound_form(step=current, application=application)
        extra = saved.extra_context() if saved.is_valid() else {}
    context = _step_context(request, application, current, form, attachment_errors=upload_errors)
    context.update(extra)
    return render(request, "applications/step.html", context)


@login_required
@require_POST
def attachment_delete(request, pk, attachment_pk):
    application = _application(request, pk)
    attachment = get_object_or_404(Attachment, pk=attachment_pk, application=application)
    if not application.is_draft:
        raise Http404()
    step = next((s.name for s in application.app_type.steps for slot in s.attachments if slot.kind == attachment.kind),
                application.app_type.steps[0].name)
    name = attachment.original_name
    services.attachment_delete(attachment=attachment)
    messages.success(request, _("%(name)s was removed.") % {"name": name})
    return redirect(reverse("applications:step", kwargs={"pk": application.pk, "step": step}) + f"#attachments-{attachment.kind}")


@login_required
def attachment_download(request, attachment_pk):
    try:
        attachment = attachment_for_user(user=request.user, party=getattr(request, "party", None), pk=attachment_pk)
    except Attachment.DoesNotExist:
        raise Http404() from None
    application = attachment.application
    if application.case_id and not applications_for_party(party=request.party).filter(pk=application.pk).exists():
        # Staff reading a citizen's document: recorded like opening the case.
        case_access_record(case=application.case, user=request.user)
    return upload_download_response(stored_name=attachment.stored_name, original_name=attachment.original_name,
                                    content_type=attachment.content_type)


@login_required
def summary(request, pk):
    application = _application(request, pk)
    if not application.is_draft:
        return redirect("applications:receipt", pk=application.pk)
    problems = []
    if request.method == "POST":
        try:
            services.application_submit(application=application, by=request.user)
            return redirect("applications:receipt", pk=application.pk)
        except services.ApplicationIncomplete as exc:
            problems = exc.problems
    sections = application_summary(application=application)
    return render(request, "applications/summary.html", {
        "application": application, "app_type": application.app_type, "sections": sections, "problems": problems,
        "errors": [(f"section-{p.step}", p.message) for p in problems],
    }, status=200)


@login_required
def receipt(request, pk):
    application = _application(request, pk)
    if application.is_draft or application.case_id is None:
        return redirect("applications:summary", pk=application.pk)
    case = application.case
    letter = Letter.objects.filter(case=case, kind=Letter.Kind.RECEIPT).order_by("created_at").first()
    case_url = reverse("cases:detail", kwargs={"pk": case.pk})
    letter_url = reverse("correspondence:letter-pdf", kwargs={"pk": letter.pk}) if letter else ""
    return render(request, "applications/receipt.html", {
        "application": application, "app_type": application.app_type, "case": case, "letter_url": letter_url,
        "case_url": case_url,
    })


@login_required
@require_POST
def delete(request, pk):
    application = _application(request, pk)
    if not application.is_draft:
        raise Http404()
    title = application.app_type.title
    services.application_delete(application=application)
    messages.success(request, _("Your draft (%(title)s) was deleted.") % {"title": title})
    return redirect("home")


