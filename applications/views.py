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

from accounts.templatetags.municipalities import municipality_host_url
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


def _on_its_host(request, application):
    """A draft is continued on its municipality's Min Side (its services, its kindergartens):
    a redirect there when the request is on another municipality's host, else None."""
    here = getattr(request.municipality, "pk", None)
    if here is None or application.municipality_id == here:
        return None
    url = municipality_host_url(application, request.get_full_path(), request)
    return redirect(url) if url.startswith("http") else None


def _types_for_party(party):
    return [t for t in offered_types()
            if (t["type"].organisations_may_apply if party.is_organisation else t["type"].persons_may_apply)]


@login_required
def catalogue(request):
    return render(request, "applications/catalogue.html", {"types": _types_for_party(request.party)})


@login_required
def start(request, type_key):
    offered = next((t for t in _types_for_party(request.party) if t["key"] == type_key), None)
    if offered is None or not request.user.is_citizen:  # staff apply for nobody
        raise Http404()
    if request.method == "POST":
        try:
            application = services.application_start(type_key=type_key, party=request.party,
                                                     municipality=request.municipality)
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
        "from_summary": _from_summary(request),
        **form.extra_context(),
    }


def _missing_required_files(application, step, form) -> dict:
    cleaned = form.cleaned_data if form.is_valid() else None
    return services.step_missing_attachments(
        step=step, cleaned=cleaned, attached_kinds=set(application.attachments.values_list("kind", flat=True)))


@login_required
def step_view(request, pk, step):
    """One step of a draft: GET shows it (prefilled, or as typed), POST saves what was typed and
    then uploads a file, goes back, saves for later or moves on."""
    application = _application(request, pk)
    if not application.is_draft:
        return redirect("applications:receipt", pk=application.pk)
    if elsewhere := _on_its_host(request, application):
        return elsewhere
    current = application.app_type.step(step)
    if current is None:
        raise Http404()
    if request.method != "POST":
        return _step_page(request, application, current)
    # Nothing typed is lost, whichever button was pressed.
    services.application_save_step(application=application, step=current.name,
                                   data=_raw_data(current.form_class, request.POST, application))
    action = request.POST.get("action", "next")
    if action.startswith("upload:"):
        return _step_upload(request, application, current, kind=action.split(":", 1)[1])
    if action == "back":
        previous = application.app_type.previous_step(current.name)
        return redirect("applications:step", pk=application.pk, step=(previous or current).name)
    if action == "save":
        messages.success(request, _("Your application is saved. You can continue from Min Side."))
        return redirect("home")
    return _step_next(request, application, current)


def _from_summary(request) -> bool:
    return request.GET.get("from") == "summary" or request.POST.get("from") == "summary"


def _step_page(request, application, step):
    upload_errors = request.session.pop(UPLOAD_ERRORS_KEY, None) or {}
    app_type = application.app_type
    extra = {}
    if step.name not in application.data:
        form = app_type.form(step=step, application=application)  # prefilled from what we know
    else:
        # Returning to a step shows what was typed; errors appear once "Next" is pressed.
        form = step.form_class(initial=application.data[step.name], application=application)
        saved = app_type.bound_form(step=step, application=application)
        extra = saved.extra_context() if saved.is_valid() else {}
    context = _step_context(request, application, step, form, attachment_errors=upload_errors)
    context.update(extra)
    return render(request, "applications/step.html", context)


def _step_upload(request, application, step, *, kind):
    """Post/redirect/get: the page shows the new list or the error. With JavaScript (upload
    progress) the script follows the location itself."""
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
    step_url = reverse("applications:step", kwargs={"pk": application.pk, "step": step.name})
    location = f"{step_url}{'?from=summary' if _from_summary(request) else ''}#attachments-{kind}"
    if request.headers.get("X-Requested-With") == "XMLHttpRequest":
        return JsonResponse({"location": location})
    return HttpResponseRedirect(location)


def _step_next(request, application, step):
    """On to the next step (or back to the summary) when the step is valid and has its files;
    otherwise the step again with its errors."""
    app_type = application.app_type
    form = app_type.form(step=step, application=application, data=request.POST)
    missing = _missing_required_files(application, step, form) if form.is_valid() else {}
    if form.is_valid() and not missing:
        following = app_type.next_step(step.name)
        if _from_summary(request) or following is None:
            return redirect("applications:summary", pk=application.pk)
        return redirect("applications:step", pk=application.pk, step=following.name)
    return render(request, "applications/step.html",
                  _step_context(request, application, step, form, attachment_errors=missing))


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
    if elsewhere := _on_its_host(request, application):
        return elsewhere
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


