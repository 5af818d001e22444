from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.discovery import import_app_modules


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Cases")
    urls = {"saker/": "urls", "api/v1/": "api"}

    def ready(self):
        # Sections other apps add to the case pages (cases/panels.py).
        import_app_modules("panels")
