"""The citizen's case pages (/saker/). Thin: every case is fetched through
cases.selectors.case_get_for_user (a miss is a 404), every change is a service call."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.uploads import upload_download_response

from . import selectors, services
from .forms import AppealForm, InformationAnswerForm, WithdrawForm
from .models import InformationRequest
from .panels import citizen_panels
from .transitions import TransitionNotAllowed


def _case(request, pk):
    return selectors.case_get_for_user(user=request.user, pk=pk, party=request.party)


@login_required
def case_list(request):
    page = Paginator(selectors.case_list_for_party(party=request.party), 20).get_page(request.GET.get("side"))
    rows = [{"case": case, "status_text": case.citizen_status} for case in page.object_list]
    return render(request, "cases/case_list.html", {"page": page, "rows": rows})


def _detail_context(request, case, *, answer_forms=None, withdraw_form=None, appeal_form=None):
    view = selectors.case_citizen_view(case=case)
    open_requests = list(selectors.case_open_information_requests(case=case))
    answer_forms = answer_forms or {}
    return {
        "case": case,
        "view": view,
        "open_requests": [(r, answer_forms.get(r.pk) or InformationAnswerForm(prefix=str(r.pk))) for r in open_requests],
        "timeline": selectors.case_public_timeline(case=case),
        "access_log": selectors.case_access_log(case=case)[:50],
        "withdraw_form": withdraw_form or WithdrawForm(),
        "appeal_form": appeal_form or AppealForm(),
        # What other apps show on the page (an offer to answer, the decision letter, documents,
        # messages): cases.panels.
        "panels_before_timeline": citizen_panels(request, case, position="before_timeline"),
        "panels_after_timeline": citizen_panels(request, case, position="after_timeline"),
    }


@login_required
def case_detail(request, pk):
    case = _case(request, pk)
    return render(request, "cases/case_detail.html", _detail_context(request, case))


@login_required
@require_POST
def case_answer(request, pk, request_pk):
    case = _case(request, pk)
    info_request = get_object_or_404(InformationRequest, pk=request_pk, case=case)
    form = InformationAnswerForm(request.POST, request.FILES, prefix=str(info_request.pk))
    if form.is_valid():
        try:
            services.case_information_submit(
                information_request=info_request, by=request.user, files=form.cleaned_data["files"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            form.add_error("files", error)
        else:
            messages.success(request, _("Thank you. We have received your answer and continue processing your case."))
            return redirect("cases:detail", pk=case.pk)
    context = _detail_context(request, case, answer_forms={info_request.pk: form})
    return render(request, "cases/case_detail.html", context, status=400)


@login_required
def case_withdraw(request, pk):
    case = _case(request, pk)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_withdraw(case=case, by=request.user, reason=form.cleaned_data["reason"])
        except (TransitionNotAllowed, PermissionDenied):
            messages.error(request, _("This application can no longer be withdrawn."))
        except services.CaseChanged:
            messages.error(request, _("The case changed while you were looking at it. Check its status and try again."))
        else:
            messages.success(request, _("Your application is withdrawn."))
        return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/case_withdraw.html", {"case": case, "form": form,
                                                        "view": selectors.case_citizen_view(case=case)})


@login_required
def case_appeal(request, pk):
    case = _case(request, pk)
    view = selectors.case_citizen_view(case=case)
    form = AppealForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_appeal(case=case, by=request.user, text=form.cleaned_data["text"])
        except ValidationError as error:
            form.add_error("text", error)
        except (TransitionNotAllowed, PermissionDenied):
            form.add_error(None, _("This decision cannot be appealed now."))
        except services.CaseChanged:
            form.add_error(None, _("The case changed while you were writing. Check its status and try again."))
        else:
            messages.success(request, _("We have received your appeal. The case will be reviewed again."))
            return redirect("cases:detail", pk=case.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "cases/case_appeal.html", {"case": case, "form": form, "view": view}, status=status)


@login_required
def case_document(request, pk, document_pk):
    case = _case(request, pk)
    document = get_object_or_404(case.documents, pk=document_pk)
    return upload_download_response(stored_name=document.file.name, original_name=document.original_name,
                                    content_type=document.content_type)
