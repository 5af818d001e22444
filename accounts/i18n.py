"""The user's language follows them: chosen with the language switch (cookie + profile), and
restored from the profile when they log in on another device."""

from django.conf import settings
from django.http import HttpResponse


def remember_language(response: HttpResponse, user) -> HttpResponse:
    """After login: set the language cookie to the user's preferred language, if they have one."""
    if getattr(user, "preferred_language", "") in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME, user.preferred_language,
            max_age=settings.LANGUAGE_COOKIE_AGE, path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN, secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY, samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    return response
