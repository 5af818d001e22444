from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from applications.types import register


class SfoConfig(AppConfig):
    """SFO place: the application and the schools that offer SFO."""

    name = "sfo"
    verbose_name = _("SFO (after-school care)")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The models are loaded now: the application type imports them.
        from .application import SfoPlace

        register(SfoPlace())
