"""ID-porten: OpenID Connect login for citizens, through django-allauth's openid_connect
provider (provider id "idporten"). What allauth does not do itself lives here and in
accounts/adapters.py: checking the `acr` level, matching the citizen by `pid`, and
RP-initiated logout through ID-porten's end_session_endpoint."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

PROVIDER_ID = "idporten"
ID_TOKEN_SESSION_KEY = "idporten_id_token"


def is_configured() -> bool:
    return bool(settings.IDPORTEN_CLIENT_ID)


def start_login(request: HttpRequest) -> HttpResponse:
    # allauth's provider login view answers POST (SOCIALACCOUNT_LOGIN_ON_GET is off); a 307
    # keeps the method and the CSRF token.
    return redirect(f"/auth/oidc/{PROVIDER_ID}/login/?process=login", permanent=False)


def end_session_url(request: HttpRequest) -> str | None:
    """Where to send the browser to end the ID-porten session, or None if there is none."""
    return None
