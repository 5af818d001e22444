from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


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
