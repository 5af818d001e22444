from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from applications.types import register


class BuildingPermitConfig(AppConfig):
    """Building permit: the application under plan- og bygningsloven and the fee schedule."""

    name = "building_permit"
    verbose_name = _("Building permit")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The models are loaded now: the application type imports them.
        from .application import BuildingPermit

        register(BuildingPermit())
