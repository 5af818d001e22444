"""Deadlines of a case: the processing deadline (the case type's rule: cases.types.CaseType.
processing_deadline, asked here and nowhere else) and the appeal period."""

from __future__ import annotations

import datetime

from django.conf import settings

from .types import case_type

# Forvaltningsloven § 29: three weeks from when the decision reached the party.
DEFAULT_APPEAL_DAYS = 21


def processing_deadline(*, application_type: str, facts: dict, received: datetime.date) -> datetime.date | None:
    """When a case of this type that came in (or was reopened on appeal) on `received` should
    be decided, by its type's rule and the facts frozen on the case."""
    return case_type(application_type).processing_deadline(facts=facts or {}, received=received)


def appeal_deadline(*, decided: datetime.date) -> datetime.date:
    return decided + datetime.timedelta(days=getattr(settings, "CASES_APPEAL_DAYS", DEFAULT_APPEAL_DAYS))
