import logging

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

logger = logging.getLogger(__name__)


class PortalLocaleMiddleware(LocaleMiddleware):
    """Bokmål unless the person has chosen another language (the language cookie, set by the
    switch in the header and at login from their profile).

    The browser's Accept-Language is deliberately not used for pages: many Norwegians run
    English-language browsers, and a municipality's portal opens in its own language. The
    API, whose clients are programs, still honours Accept-Language."""

    def process_request(self, request):
        if request.path_info.startswith("/api/"):
            return super().process_request(request)
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class HealthCheckMiddleware:
    """Answer /healthz/ before any other middleware. A load balancer (HAProxy in front of the
    web nodes) or compose probes a node by its own address over plain http: that host is not in
    ALLOWED_HOSTS and production would redirect to https, so the probe must come first. It needs
    no session, cookie or template (minside.health)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == "/healthz/":
            from .health import healthz

            return healthz(request)
        return self.get_response(request)


class StorageUnavailableMiddleware:
    """The file store is down (core.storage.StorageUnavailable): a 503 page saying so, in the
    person's language, instead of a 500. Nothing was written (services store files first)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.shortcuts import render

        from core.storage import StorageUnavailable

        if not isinstance(exception, StorageUnavailable):
            return None
        logger.error("File store unavailable serving %s: %s", request.path, exception)
        response = render(request, "503_storage.html", status=503)
        response["Retry-After"] = "120"
        return response
