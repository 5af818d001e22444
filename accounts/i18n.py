"""The user's language follows them: chosen with the language switch (cookie + profile), and
restored from the profile when they log in on another device."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse


def remember_language(request: HttpRequest, response: HttpResponse, user) -> HttpResponse:
    """After login on a device without a language choice: use the user's preferred language.
    A choice already made on this device (the cookie) wins: it is the more recent one."""
    if settings.LANGUAGE_COOKIE_NAME in request.COOKIES:
        return response
    if getattr(user, "preferred_language", "") in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME, user.preferred_language,
            max_age=settings.LANGUAGE_COOKIE_AGE, path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN, secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY, samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    return response
