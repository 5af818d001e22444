from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from applications.signals import draft_deleted


class InsightsConfig(AppConfig):
    name = "insights"
    verbose_name = _("Statistics")

    def ready(self):
        from .services import abandoned_draft_record

        def _draft_deleted(sender, *, type_key, started_at, municipality_id, **kwargs):
            abandoned_draft_record(type_key=type_key, started_at=started_at, municipality_id=municipality_id)

        draft_deleted.connect(_draft_deleted, weak=False, dispatch_uid="insights.abandoned_draft")
