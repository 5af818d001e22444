"""Staff login security: who django-axes counts failures for, and whether a staff user has
the second factor the portal requires."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.http import HttpRequest


def axes_username(request: HttpRequest, credentials: dict | None = None) -> str | None:
    """The login name axes counts failed attempts for. allauth authenticates with
    `email=...`; its form posts the address as `login`."""
    credentials = credentials or {}
    value = credentials.get("email") or credentials.get("username")
    if not value and request is not None:
        value = getattr(request, "POST", {}).get("login")
    return value.strip().lower() if isinstance(value, str) else value


def staff_has_totp(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def staff_must_set_up_mfa(user) -> bool:
    return bool(settings.STAFF_MFA_REQUIRED and user.is_authenticated and user.is_staff
                and not staff_has_totp(user))
