"""The Celery app. Settings are the CELERY_* names in minside/settings.py. Periodic work lives
with its app (`beat_schedule` in each app's tasks module), merged by core.discovery; each task
names its own queue (`@shared_task(queue=...)`)."""

import os

from celery import Celery

from core.discovery import beat_schedule

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minside.settings")

app = Celery("minside")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_finalize.connect
def _collect_beat_schedules(sender, **kwargs):
    sender.conf.beat_schedule = beat_schedule()
