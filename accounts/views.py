from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout as django_logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from registers import demo_data
from registers.population import RegisterUnavailable

from . import idporten
from .i18n import remember_language
from .selectors import organisations_person_may_act_for
from .services import ACT_FOR_SELF, UnknownPerson, citizen_get_or_create, citizen_login, party_choose


def login_choice(request):
    """Citizens log in with ID-porten; staff with e-mail, password and a one-time code."""
    if request.user.is_authenticated:
        return redirect("home")
    configured = idporten.is_configured()
    return render(request, "accounts/login.html", {
        "idporten_configured": configured,
        # Configured: the button POSTs straight to allauth's provider login URL.
        "idporten_login_url": idporten.login_url() if configured else reverse("accounts:idporten-login"),
    })


@require_POST
def idporten_login(request):
    """Start the ID-porten login: the real OIDC flow when configured, else test ID-porten."""
    if idporten.is_configured():
        return idporten.start_login(request)
    if settings.TEST_IDPORTEN_ENABLED:
        return redirect("accounts:test-idporten")
    messages.error(request, _("Login with ID-porten is not available right now. Please try again later."))
    return redirect("accounts:login")


def test_idporten(request):
    """Development and test only: choose a demo person, like ID-porten's TestID."""
    if not settings.TEST_IDPORTEN_ENABLED:  # belt and braces: the URL is not even routed then
        raise Http404
    # The names come straight from the demo data, so the page works while the register is down
    # (the login itself then says so).
    people = [{"national_id": p["national_id"], "full_name": f"{p['first_name']} {p['last_name']}"}
              for p in demo_data.PEOPLE if p["national_id"] in demo_data.LOGIN_PEOPLE]
    if request.method == "POST":
        national_id = request.POST.get("national_id", "")
        if national_id not in demo_data.LOGIN_PEOPLE:
            messages.error(request, _("Choose one of the test people."))
            return redirect("accounts:test-idporten")
        try:
            user = citizen_get_or_create(national_id=national_id)
        except UnknownPerson:
            messages.error(request, _("The population register does not know this person."))
            return redirect("accounts:test-idporten")
        except RegisterUnavailable:
            messages.error(request, _("The National Population Register is not answering right now, so we "
                                      "cannot log you in. Please try again in a few minutes."))
            return redirect("accounts:test-idporten")
        # Like ID-porten's TestID, which logs test people in at the high level.
        citizen_login(request=request, user=user, acr="idporten-loa-high")
        return remember_language(request, redirect("home"), user)
    return render(request, "accounts/test_idporten.html", {"people": people})


@require_POST
def logout(request):
    """Log out here and, for an ID-porten session, at ID-porten too (RP-initiated logout)."""
    end_session_url = idporten.end_session_url(request)
    django_logout(request)
    if end_session_url:
        # ID-porten sends the browser back to logged-out with this state.
        request.session[idporten.LOGOUT_STATE_SESSION_KEY] = request.idporten_logout_state
        return redirect(end_session_url)
    return redirect("accounts:logged-out")


def logged_out(request):
    if request.user.is_authenticated:
        return redirect("home")
    expected_state = request.session.pop(idporten.LOGOUT_STATE_SESSION_KEY, None)
    returned_from_idporten = bool(expected_state) and request.GET.get("state") == expected_state
    return render(request, "accounts/logged_out.html", {"returned_from_idporten": returned_from_idporten})


@login_required
def choose_party(request):
    """Act for yourself or for an organisation you represent (like Altinn's party choice)."""
    organisations = organisations_person_may_act_for(person=request.user)
    if request.method == "POST":
        try:
            organisation = party_choose(request=request, user=request.user, choice=request.POST.get("party", ""))
        except PermissionDenied:
            messages.error(request, _("You cannot act for that organisation. Choose from the list."))
            return redirect("accounts:choose-party")
        if organisation:
            messages.success(request, _("You are now acting for %(name)s.") % {"name": organisation.name})
        else:
            messages.success(request, _("You are now acting for yourself."))
        return redirect("home")
    return render(request, "accounts/choose_party.html", {"organisations": organisations, "act_for_self": ACT_FOR_SELF})
