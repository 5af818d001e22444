"""Demo: one admission round ready to run (places from August next year). Idempotent."""

import datetime

from django.utils import timezone

from .models import AdmissionRound

DEMO_ROUND = "Hovedopptak"


def load() -> int:
    year = timezone.localdate().year + 1
    name = f"{DEMO_ROUND} {year}"
    _round, created = AdmissionRound.objects.get_or_create(
        name=name, defaults={"places_start": datetime.date(year, 8, 1), "reply_days": 10})
    return int(created)
