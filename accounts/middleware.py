from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.http import urlencode

from . import tenancy
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


class MunicipalityMiddleware:
    """Decides once per request which municipality it belongs to (`request.municipality`, from
    the host: accounts.tenancy.municipality_for_host) and runs the rest of the request inside
    that municipality's scope: staff see only its data, a citizen its services and their own
    records everywhere, a national operator no case data (accounts.tenancy).

    On a host that serves no municipality (the bare domain of a shared installation) only the
    landing page (which lists the municipalities), login and the operator's admin answer; any
    other page sends the browser to the landing page."""

    BARE_DOMAIN_PREFIXES = ("/static/", "/healthz/", "/sprak/", "/admin/", "/auth/", "/konto/", "/api/schema/",
                            "/api/docs/", "/media/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        municipality = tenancy.municipality_for_host(request.get_host())
        request.municipality = municipality
        if municipality is None and request.path_info != "/" and not request.path_info.startswith(
                self.BARE_DOMAIN_PREFIXES):
            return redirect("landing")
        with self._scope(request, municipality):
            return self.get_response(request)

    @staticmethod
    def _scope(request, municipality):
        user = request.user
        pk = municipality.pk if municipality is not None else None
        if not user.is_authenticated or user.is_citizen:
            return tenancy.citizen_scope(pk)
        if user.is_national_operator and not user.is_superuser:
            return tenancy.empty_scope()
        return tenancy.staff_scope(pk) if pk is not None else tenancy.empty_scope()
