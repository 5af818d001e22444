from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from applications.types import register


class KindergartenConfig(AppConfig):
    """Kindergarten place: the application, the kindergartens, and admission in rounds of offers."""

    name = "kindergarten"
    verbose_name = _("Kindergarten")
    default_auto_field = "django.db.models.BigAutoField"
    urls = {"opptak/": "urls"}  # offers are answered at /opptak/tilbud/<id>/

    def ready(self):
        # The models are loaded now: the application type imports them.
        from .application import KindergartenPlace

        register(KindergartenPlace())

        from django.db.models.signals import post_save

        from applications.models import ApplicationTypeConfig

        from .conf import forget_deadlines

        # A municipality's new main-admission deadline counts at once in this process (conf.py).
        post_save.connect(lambda **kwargs: forget_deadlines(), sender=ApplicationTypeConfig, weak=False,
                          dispatch_uid="kindergarten.deadline")
