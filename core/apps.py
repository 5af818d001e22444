from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The shared kernel (see the README's developer section): uploads, enqueue-after-commit,
    the registries apps contribute to, the caseworker admin site and the one caseworker
    predicate. It imports only `registers` and Django; every other app may use it."""

    name = "core"
    verbose_name = _("Core")

    def ready(self):
        from .discovery import import_app_modules

        # What apps contribute by module: home-page sections, values for every template.
        import_app_modules("dashboard")
        import_app_modules("context")
