import datetime

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseServerError
from django.shortcuts import redirect, render
from django.template import loader
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from accounts.selectors import organisations_person_may_act_for
from accounts.services import ACTING_FOR_SESSION_KEY, user_set_language
from core.dashboard import dashboard_sections


def landing(request):
    if request.user.is_authenticated:
        return redirect("home")
    return render(request, "minside/landing.html")


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
        "contact_email": settings.MUNICIPALITY_CONTACT_EMAIL,
        "contact_phone": settings.MUNICIPALITY_PHONE,
    })


def server_error(request):
    """500: a standalone page (no database, no session) in the request's language."""
    html = loader.render_to_string("500.html", {
        "municipality_name": settings.MUNICIPALITY_NAME, "municipality_phone": settings.MUNICIPALITY_PHONE,
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
