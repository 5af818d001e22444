from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AdmissionsConfig(AppConfig):
    name = "admissions"
    verbose_name = _("Kindergarten admission")
    urls = {"opptak/": "urls"}
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The citizen's word for a kindergarten case whose offer was declined (or not answered
        # in time): cases/transitions.py words statuses per application type; admission adds
        # the outcome it introduces, with its translation in this app's catalogue.
        from cases.models import Case
        from cases.transitions import TYPE_WORDING

        TYPE_WORDING.setdefault("kindergarten", {})[(Case.Status.CLOSED, "declined")] = pgettext_lazy(
            "kindergarten", "Declined")
