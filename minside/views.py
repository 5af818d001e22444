import datetime

from django.contrib.auth.decorators import login_required
from django.http import HttpResponseServerError
from django.shortcuts import redirect, render
from django.template import loader
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from accounts.selectors import organisations_person_may_act_for
from accounts.services import ACTING_FOR_SESSION_KEY, user_set_language
from accounts.tenancy import municipalities
from core.dashboard import dashboard_sections


def landing(request):
    """The municipality's front page; on a host that serves no municipality (the bare domain of
    a shared installation), the list of the municipalities on it, each linking to its host."""
    if request.municipality is None:
        return render(request, "minside/municipalities.html", {"municipalities": [
            {"municipality": m, "url": f"{request.scheme}://{m.primary_host}{_port(request)}/"}
            for m in municipalities() if m.primary_host]})
    if request.user.is_authenticated:
        return redirect("home")
    return render(request, "minside/landing.html")


def _port(request) -> str:
    port = request.get_port()
    return "" if port in ("80", "443") else f":{port}"


@login_required
def home(request):
    """Min Side: the citizen's (or the organisation's) own page."""
    if request.user.is_staff and not request.user.is_citizen:
        return redirect("admin:index")
    if ACTING_FOR_SESSION_KEY not in request.session and organisations_person_may_act_for(person=request.user).exists():
        return redirect("accounts:choose-party")
    return render(request, "minside/home.html", {"sections": dashboard_sections(request)})


# When the accessibility statement was last reviewed; update it with the text.
ACCESSIBILITY_STATEMENT_DATE = datetime.date(2026, 11, 24)


def accessibility_statement(request):
    return render(request, "minside/accessibility.html", {
        "statement_date": ACCESSIBILITY_STATEMENT_DATE,
        "contact_email": request.municipality.email,
        "contact_phone": request.municipality.phone,
    })


def server_error(request):
    """500: a standalone page (no database, no session) in the request's language. The
    municipality is the one resolved for the request (kept by the middleware), if any."""
    municipality = getattr(request, "municipality", None)
    html = loader.render_to_string("500.html", {
        "municipality_name": municipality.name if municipality is not None else "Min Side",
        "municipality_phone": municipality.phone if municipality is not None else "",
    })
    return HttpResponseServerError(html)


def csrf_failure(request, reason=""):
    """A form posted without a valid CSRF token (often: an old tab). In the portal's layout."""
    return render(request, "403_csrf.html", status=403)


def privacy(request):
    return render(request, "minside/privacy.html")


@require_POST
def language_switch(request):
    """Django's set_language (cookie), and for a logged-in user also their profile, so the
    choice follows them to letters and notifications."""
    response = set_language(request)
    user_set_language(user=request.user, language=request.POST.get("language", ""))
    return response
