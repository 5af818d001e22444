"""Processing deadlines per application type, and the appeal period. Legal periods change:
they are configuration (settings CASES_PROCESSING_DAYS / CASES_APPEAL_DAYS), these are the
defaults."""

from __future__ import annotations

import datetime

from django.conf import settings

# Calendar days from receipt. Building permits: 12 weeks (plan- og bygningsloven § 21-7).
# Others: a month, after which forvaltningsloven § 11a wants a preliminary answer anyway.
DEFAULT_PROCESSING_DAYS = {"building_permit": 84, "kindergarten": 56}
FALLBACK_PROCESSING_DAYS = 28
# Forvaltningsloven § 29: three weeks from when the decision reached the party.
DEFAULT_APPEAL_DAYS = 21


def processing_days(application_type: str) -> int:
    rules = {**DEFAULT_PROCESSING_DAYS, **getattr(settings, "CASES_PROCESSING_DAYS", {})}
    return rules.get(application_type, FALLBACK_PROCESSING_DAYS)


def processing_deadline(*, application_type: str, received: datetime.date) -> datetime.date:
    return received + datetime.timedelta(days=processing_days(application_type))


def appeal_deadline(*, decided: datetime.date) -> datetime.date:
    return decided + datetime.timedelta(days=getattr(settings, "CASES_APPEAL_DAYS", DEFAULT_APPEAL_DAYS))
