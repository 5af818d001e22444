import hmac
import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseBadRequest, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from registers.krr import RegisterUnavailable, contact_register

from . import services
from .forms import NoticePreferenceForm
from .selectors import mask_email, mask_mobile, notice_preference_for


def _krr_summary(user):
    """What KRR says about the citizen, masked, for the settings page (None if it is down)."""
    try:
        contact = contact_register().lookup(user.national_id) if user.national_id else None
    except RegisterUnavailable:
        return None
    if contact is None:
        return {"known": False}
    return {
        "known": True, "reserved": contact.reserved,
        "email": mask_email(contact.email) if contact.email else "",
        "email_usable": bool(contact.usable_email()),
        "mobile": mask_mobile(contact.mobile) if contact.mobile else "",
        "mobile_usable": bool(contact.usable_mobile()),
        "mailbox": contact.digital_mailbox.provider if contact.digital_mailbox else "",
    }


@login_required
def notice_settings(request):
    """The citizen's notice channels and language, within what the law allows."""
    if not request.user.is_citizen:
        raise Http404
    preference = notice_preference_for(user=request.user)
    initial = {"email": preference.email, "sms": preference.sms,
               "language": request.user.preferred_language or translation.get_language() or "nb"}
    form = NoticePreferenceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.notice_preference_update(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your notice settings are saved."))
            return redirect("notifications:settings")
    return render(request, "notifications/settings.html", {"form": form, "krr": _krr_summary(request.user)})


@csrf_exempt  # called by the provider, authenticated by the shared token instead
@require_POST
def provider_callback(request):
    """Delivery reports from the SMS gateway and the mailbox provider: {"reference", "status",
    "error"}. Only moves a row forward (sent → delivered / permanent-failure)."""
    token = settings.NOTIFICATIONS_CALLBACK_TOKEN
    if not token:
        raise Http404
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not hmac.compare_digest(given.encode(), token.encode()):
        return HttpResponseForbidden("bad token")
    try:
        payload = json.loads(request.body)
        reference, status = str(payload["reference"]), str(payload["status"])
    except (ValueError, KeyError, TypeError):
        return HttpResponseBadRequest("expected JSON with reference and status")
    try:
        notification = services.notification_callback(provider_reference=reference, status=status,
                                                      error=str(payload.get("error", "")))
    except services.UnknownReference:
        # Possibly faster than our own record of the send: the provider tries again later.
        return HttpResponse("unknown reference", status=404, content_type="text/plain")
    # 200 for a report that would move a row back: nothing for the provider to retry.
    return HttpResponse("ok" if notification else "ignored", content_type="text/plain")
