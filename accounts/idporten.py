"""ID-porten: OpenID Connect login for citizens, through django-allauth's openid_connect
provider (provider id "idporten", configured in SOCIALACCOUNT_PROVIDERS when
IDPORTEN_CLIENT_ID is set).

allauth does the authorization-code flow, PKCE (S256) and `state`. What it does not do for a
generic OpenID Connect provider lives here:

- `nonce`: generated per login, sent in the authorization request, kept in allauth's state
  (which is bound to the browser session) and compared with the ID token's `nonce` claim;
- `ui_locales` (the page's language) and `acr_values` in the authorization request;
- the ID token's signature is always verified against the JWKS (allauth skips it when the
  token came straight from the token endpoint), as are issuer, audience and expiry;
- the `acr` claim must be at least IDPORTEN_MIN_ACR;
- the citizen is matched by the `pid` claim (the national identity number) through
  accounts.services.citizen_get_or_create, never by `sub` (pairwise) or e-mail. No allauth
  SocialAccount row is written, so the number is stored once, on the user;
- the raw ID token is kept in the session for RP-initiated logout (`end_session_url`);
- several municipalities, one client (ID-porten's `onbehalfof`): the authorization request
  carries the request municipality's onbehalfof value (Municipality.idporten_onbehalfof), so the
  login page shows that municipality's name and logo; the ID token must name the same value.

onbehalfof (Digdir, "OnBehalfOf", https://docs.digdir.no/docs/idporten/oidc/oidc_func_onbehalfof):
each (client, onbehalfof) pair is registered in advance with its display name, logo and the
customer's organisation number; the redirect_uris are the parent client's. The documentation
names the ID token's claim `client_onbehalfof` in its text and `aud_onbehalfof` in its example,
so either is accepted; a token that names another value, or names none when one was asked for
(or one when none was), is refused.

How allauth is hooked: `accounts.adapters.IDPortenSocialAccountAdapter.get_provider` hands
out `IDPortenProvider` (a subclass of allauth's OpenIDConnectProvider) for the "idporten" app,
whose `redirect` adds nonce/ui_locales and whose OAuth2 adapter points the redirect_uri at our
`callback` view (accounts:idporten-callback). That view is allauth's own OAuth2CallbackView
with our adapter, which verifies the token; the adapter's `pre_social_login` then checks
nonce and acr and logs the citizen in.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from importlib import import_module
from urllib.parse import urlencode

import jwt
from allauth.socialaccount.internal import jwtkit
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.base.constants import AuthError
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView, OAuth2LoginView
from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from allauth.utils import build_absolute_uri
from csp.decorators import csp_replace
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.clickjacking import xframe_options_exempt

from registers.population import RegisterUnavailable

from .i18n import remember_language
from .services import UnknownPerson, citizen_get_or_create, citizen_login

PROVIDER_ID = "idporten"
ID_TOKEN_SESSION_KEY = "idporten_id_token"
LOGOUT_STATE_SESSION_KEY = "idporten_logout_state"
# ID-porten's security levels, lowest first. The Level3/Level4 names are the old platform's.
ACR_RANK = {
    "idporten-loa-low": 1,
    "Level3": 3,
    "idporten-loa-substantial": 3,
    "Level4": 4,
    "idporten-loa-high": 4,
}
UI_LOCALES = {"nb", "nn", "en", "se"}
# The ID token's onbehalfof claim, by either of the names Digdir's documentation gives it.
ONBEHALFOF_CLAIMS = ("client_onbehalfof", "aud_onbehalfof")

logger = logging.getLogger(__name__)


def is_configured() -> bool:
    return bool(settings.IDPORTEN_CLIENT_ID)


def login_url() -> str:
    """allauth's login URL for the ID-porten app; the login button POSTs here."""
    return reverse("openid_connect_login", kwargs={"provider_id": PROVIDER_ID})


def acr_is_sufficient(acr: str | None, *, minimum: str | None = None) -> bool:
    minimum = minimum or settings.IDPORTEN_MIN_ACR
    return ACR_RANK.get(acr or "", 0) >= ACR_RANK.get(minimum, 99)


# --- allauth hooks ------------------------------------------------------------------------


def verify_id_token(id_token: str, *, jwks_uri: str, issuer: str, audience: str) -> dict:
    """Signature (against the provider's JWKS, only the algorithms we allow), issuer, audience,
    expiry and issue time, with a little leeway for clocks that differ by a few seconds.

    allauth's own check skips the signature for tokens fetched from the token endpoint and
    allows no clock skew (PyJWT refuses an `iat` one second in the future)."""
    try:
        algorithm, key = jwtkit.fetch_key(id_token, jwks_uri, jwtkit.lookup_kid_jwk)
        if algorithm not in settings.IDPORTEN_ID_TOKEN_ALGORITHMS:
            raise OAuth2Error(f"ID token signed with {algorithm}, which we do not accept")
        claims = jwt.decode(
            id_token, key=key, algorithms=settings.IDPORTEN_ID_TOKEN_ALGORITHMS, audience=audience,
            issuer=issuer, leeway=settings.IDPORTEN_CLOCK_SKEW_SECONDS,
            options={"require": ["iss", "aud", "exp", "iat", "sub"]},
        )
    except (jwt.PyJWTError, KeyError, ValueError) as exc:
        raise OAuth2Error(f"Invalid ID token: {exc.__class__.__name__}") from exc
    jwtkit.verify_jti(claims)  # a replayed token (same jti) is refused
    return claims


class IDPortenOAuth2Adapter(OpenIDConnectOAuth2Adapter):
    """allauth's OpenID Connect adapter, with our callback, a cached discovery document and
    full ID token verification."""

    def __init__(self, request: HttpRequest, provider_id: str = PROVIDER_ID) -> None:
        super().__init__(request, provider_id)

    @property
    def openid_config(self) -> dict:
        # ID-porten asks clients to cache the discovery document (it changes rarely); allauth
        # would fetch it on every login and logout.
        if not hasattr(self, "_openid_config"):
            url = self.get_provider().server_url
            key = f"idporten:discovery:{url}"
            config = cache.get(key)
            if config is None:
                config = super().openid_config
                cache.set(key, config, settings.IDPORTEN_DISCOVERY_CACHE_SECONDS)
            self._openid_config = config
        return self._openid_config

    def get_callback_url(self, request: HttpRequest, app) -> str:
        return build_absolute_uri(request, reverse("accounts:idporten-callback"), self.redirect_uri_protocol)

    def complete_login(self, request: HttpRequest, app, token, **kwargs):
        id_token = kwargs["response"].get("id_token")
        if not id_token:
            raise OAuth2Error("No id_token in the token response")
        config = self.openid_config
        if config.get("issuer", "").rstrip("/") != settings.IDPORTEN_ISSUER.rstrip("/"):
            raise OAuth2Error("The discovery document names another issuer")
        claims = verify_id_token(id_token, jwks_uri=config["jwks_uri"], issuer=config["issuer"],
                                 audience=app.client_id)
        login = self.get_provider().sociallogin_from_response(request, {"id_token": claims})
        # Read by the social account adapter's pre_social_login; never stored in the database.
        login.idporten_claims = claims
        login.idporten_id_token = id_token
        return login


class IDPortenProvider(OpenIDConnectProvider):
    oauth2_adapter_class = IDPortenOAuth2Adapter

    def get_auth_params_from_request(self, request: HttpRequest, action):
        # Not the request's `auth_params` (allauth lets the query string add parameters): the
        # security level is ours to choose, not the browser's.
        params = self.get_auth_params()
        params["acr_values"] = settings.IDPORTEN_ACR_VALUES
        language = translation.get_language() or settings.LANGUAGE_CODE
        params["ui_locales"] = language if language in UI_LOCALES else "nb"
        onbehalfof = requested_onbehalfof(request)
        if onbehalfof:
            params["onbehalfof"] = onbehalfof
        return params

    def get_scope_from_request(self, request: HttpRequest):
        return self.get_scope()

    def redirect(self, request: HttpRequest, process, next_url=None, data=None, **kwargs):
        nonce = secrets.token_urlsafe(32)
        auth_params = kwargs.pop("auth_params", None) or self.get_auth_params_from_request(request, None)
        auth_params["nonce"] = nonce
        # `nonce` and `onbehalfof` end up in allauth's stashed state (kept in the session, keyed
        # by `state`): the token must carry the same values.
        return super().redirect(request, process, next_url=next_url, data=data,
                                auth_params=auth_params, nonce=nonce,
                                onbehalfof=auth_params.get("onbehalfof", ""), **kwargs)

    def extract_common_fields(self, data):
        # Names come from the population register, not from the token.
        return {}

    def extract_email_addresses(self, data):
        return []


def requested_onbehalfof(request: HttpRequest) -> str:
    """The onbehalfof value of the municipality the login starts on (blank: none)."""
    municipality = getattr(request, "municipality", None)
    return municipality.idporten_onbehalfof if municipality is not None else ""


def onbehalfof_matches(claims: dict, expected: str) -> bool:
    """Does the ID token name the onbehalfof value that was asked for (and none when none was)?"""
    named = {str(claims[name]) for name in ONBEHALFOF_CLAIMS if claims.get(name)}
    if not expected:
        return not named
    return named == {expected}


def refusal(request: HttpRequest, reason: str, *, status: int = 403) -> HttpResponse:
    """The page a citizen sees when an ID-porten login is refused. Never starts a session."""
    messages_by_reason = {
        "acr": _("Your login used a security level that is too low for Min Side. Log in again with "
                 "BankID, Buypass or Commfides, or another eID with a high enough security level."),
        "unknown_person": _("We could not find you in the National Population Register, so you cannot "
                            "use Min Side. Contact the municipality if you think this is wrong."),
        "cancelled": _("You cancelled the login in ID-porten."),
        "unavailable": _("The National Population Register is not answering right now, so we cannot "
                         "log you in. Please try again in a few minutes."),
        "failed": _("The login with ID-porten could not be completed, and you have not been logged "
                    "in. Please try again. If it keeps failing, contact the municipality."),
    }
    logger.warning("ID-porten login refused: %s", reason)
    return render(request, "accounts/idporten_refused.html",
                  {"reason": reason, "message": messages_by_reason[reason]}, status=status)


def complete_citizen_login(request: HttpRequest, sociallogin) -> HttpResponse:
    """Called from pre_social_login: check what allauth does not, then log the citizen in."""
    claims = getattr(sociallogin, "idporten_claims", None)
    id_token = getattr(sociallogin, "idporten_id_token", None)
    if claims is None or id_token is None:
        # The callback did not go through IDPortenOAuth2Adapter (e.g. allauth's own callback URL).
        return refusal(request, "failed")
    expected_nonce = (sociallogin.state or {}).get("nonce")
    if not expected_nonce or not secrets.compare_digest(str(claims.get("nonce", "")), expected_nonce):
        logger.warning("ID-porten ID token with a wrong nonce")
        return refusal(request, "failed")
    if not onbehalfof_matches(claims, str((sociallogin.state or {}).get("onbehalfof") or "")):
        logger.warning("ID-porten ID token for another onbehalfof than the one asked for")
        return refusal(request, "failed")
    if not acr_is_sufficient(claims.get("acr")):
        return refusal(request, "acr")
    pid = claims.get("pid")
    if not pid:
        return refusal(request, "failed")
    try:
        user = citizen_get_or_create(national_id=str(pid))
    except UnknownPerson:
        return refusal(request, "unknown_person")
    except RegisterUnavailable:
        return refusal(request, "unavailable", status=503)
    except ValidationError:  # not a valid national identity number (never logged)
        return refusal(request, "failed")
    citizen_login(request=request, user=user, acr=str(claims["acr"]))
    request.session[ID_TOKEN_SESSION_KEY] = id_token
    if claims.get("sid"):
        _remember_sid(request, str(claims["sid"]))
    next_url = sociallogin.state.get("next") if sociallogin.state else None
    if not next_url or not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()},
                                                           require_https=request.is_secure()):
        next_url = reverse("home")
    return remember_language(request, HttpResponseRedirect(next_url), user)


def on_authentication_error(request: HttpRequest, error=None) -> HttpResponse:
    return refusal(request, "cancelled" if error == AuthError.CANCELLED else "failed",
                   status=200 if error == AuthError.CANCELLED else 401)


# --- views ------------------------------------------------------------------------------


def start_login(request: HttpRequest) -> HttpResponse:
    """Start the ID-porten flow (the request is a POST; SOCIALACCOUNT_LOGIN_ON_GET is off)."""
    try:
        return OAuth2LoginView.adapter_view(IDPortenOAuth2Adapter(request))(request)
    except SocialApp.DoesNotExist:
        raise Http404


def callback(request: HttpRequest) -> HttpResponse:
    """ID-porten redirects the browser here with `code` and `state` (the registered
    redirect_uri: <site>/konto/idporten/callback/)."""
    if not is_configured():
        raise Http404
    return OAuth2CallbackView.adapter_view(IDPortenOAuth2Adapter(request))(request)


def _sid_cache_key(sid: str) -> str:
    return "idporten:sid:" + hashlib.sha256(sid.encode()).hexdigest()


def _remember_sid(request: HttpRequest, sid: str) -> None:
    """ID-porten's session id -> our session, for front-channel logout."""
    if not request.session.session_key:
        request.session.save()
    cache.set(_sid_cache_key(sid), request.session.session_key, settings.IDPORTEN_SID_TTL_SECONDS)


@xframe_options_exempt
@csp_replace({"frame-ancestors": settings.IDPORTEN_FORM_ACTION_ORIGINS})
def frontchannel_logout(request: HttpRequest) -> HttpResponse:
    """ID-porten's front-channel logout (the registered frontchannel_logout_uri): when the
    citizen logs out of ID-porten from another service, ID-porten loads this URL in a hidden
    iframe with `iss` and `sid`. The iframe carries no session cookie (SameSite=Lax), so the
    session is found through the `sid` we kept at login, and ended."""
    if not is_configured():
        raise Http404
    iss, sid = request.GET.get("iss", ""), request.GET.get("sid", "")
    if not sid or iss.rstrip("/") != settings.IDPORTEN_ISSUER.rstrip("/"):
        return HttpResponse("", status=400, content_type="text/plain")
    key = _sid_cache_key(sid)
    session_key = cache.get(key)
    if session_key:
        import_module(settings.SESSION_ENGINE).SessionStore(session_key).delete()
        cache.delete(key)
    response = HttpResponse("", content_type="text/plain")
    response["Cache-Control"] = "no-store"
    return response


def end_session_url(request: HttpRequest) -> str | None:
    """Where to send the browser to end the ID-porten session (RP-initiated logout), or None
    when this session did not come from ID-porten. Call before the local logout; the state
    is returned so the caller can keep it in the new (anonymous) session."""
    id_token = request.session.get(ID_TOKEN_SESSION_KEY)
    if not id_token or not is_configured():
        return None
    try:
        adapter = IDPortenOAuth2Adapter(request)
        endpoint = adapter.openid_config.get("end_session_endpoint")
    except Exception as exc:  # ID-porten unreachable: log out locally anyway
        logger.warning("ID-porten discovery failed at logout: %s", exc.__class__.__name__)
        return None
    if not endpoint:
        return None
    state = secrets.token_urlsafe(16)
    request.idporten_logout_state = state
    params = {
        "id_token_hint": id_token,
        "post_logout_redirect_uri": build_absolute_uri(request, reverse("accounts:logged-out")),
        "state": state,
    }
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{urlencode(params)}"


def get_provider(request: HttpRequest, provider):
    """Swap allauth's OpenIDConnectProvider for ours when it is the ID-porten app."""
    if isinstance(provider, OpenIDConnectProvider) and not isinstance(provider, IDPortenProvider) \
            and provider.app.provider_id == PROVIDER_ID:
        return IDPortenProvider(request, app=provider.app)
    return provider

