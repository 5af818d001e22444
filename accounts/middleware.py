from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.http import urlencode

from .security import staff_must_set_up_mfa
from .selectors import Party, organisations_person_may_act_for
from .services import ACT_FOR_SELF, ACTING_FOR_SESSION_KEY


def _party_for(request):
    user = request.user
    if not user.is_authenticated:
        return None
    choice = request.session.get(ACTING_FOR_SESSION_KEY)
    if choice and choice != ACT_FOR_SELF:
        # Re-checked on every request: a representation that ended mid-session stops working.
        organisation = organisations_person_may_act_for(person=user).filter(pk=choice).first()
        if organisation is not None:
            return Party(person=user, organisation=organisation)
        request.session.pop(ACTING_FOR_SESSION_KEY, None)
    return Party(person=user)


class ActingPartyMiddleware:
    """Sets `request.party`: the person and, if chosen, the organisation they act for."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.party = SimpleLazyObject(lambda: _party_for(request))
        return self.get_response(request)


class StaffMFARequiredMiddleware:
    """With STAFF_MFA_REQUIRED (the default in production) a member of staff without TOTP is
    sent to set it up before anything else: the admin, the caseworker site, the API."""

    # What a staff user may reach before TOTP is set up: allauth (the TOTP set-up itself,
    # logout), static files, the language switch, our logout, the health check.
    ALLOWED_PREFIXES = ("/auth/", "/static/", "/sprak/", "/konto/logg-ut/", "/healthz/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(self.ALLOWED_PREFIXES) and staff_must_set_up_mfa(request.user):
            return redirect(f"{reverse('mfa_activate_totp')}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
