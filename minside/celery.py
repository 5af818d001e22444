"""The Celery app. Settings are the CELERY_* names in minside/settings.py; each app may declare
a `beat_schedule` dict in its tasks module, merged here so periodic work lives with its app."""

import importlib
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minside.settings")

app = Celery("minside")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_finalize.connect
def _collect_beat_schedules(sender, **kwargs):
    from django.conf import settings

    schedule = dict(settings.CELERY_BEAT_SCHEDULE)
    for label in ("accounts", "applications", "cases", "correspondence", "notifications"):
        try:
            module = importlib.import_module(f"{label}.tasks")
        except ModuleNotFoundError:
            continue
        schedule.update(getattr(module, "beat_schedule", {}))
    sender.conf.beat_schedule = schedule
