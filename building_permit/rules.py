"""The building permit rules, each in one place (plan- og bygningsloven, LOV-2008-06-27-71):
the neighbours' time to object (§ 21-3), the processing-time track (§ 21-7) and the fee in force
(the municipality's fee schedule). The application form, the automated checks and the case's
deadline ask these functions."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy

from .models import BuildingFee

# pbl. § 21-3: neighbours have at least two weeks to object before the application is sent.
NEIGHBOUR_OBJECTION_DAYS = 14
# pbl. § 21-7: 3 weeks when the project follows the zoning plan, no neighbour objected and no
# other authority must consent; otherwise 12 weeks. Counted from a complete application.
SHORT_TRACK_WEEKS, LONG_TRACK_WEEKS = 3, 12
# Why a case is not on the short track (stored as keys on the case, read in the reader's language).
TRACK_REASONS = {
    "zoning_plan": gettext_lazy("does not follow the zoning plan"),
    "objections": gettext_lazy("neighbours objected"),
    "other_authority": gettext_lazy("another authority must consent"),
}


def objection_period_over(*, notified_on: datetime.date, on: datetime.date) -> bool:
    """Neighbours have NEIGHBOUR_OBJECTION_DAYS days to object (pbl. § 21-3): may one apply on `on`?"""
    return notified_on <= on - datetime.timedelta(days=NEIGHBOUR_OBJECTION_DAYS)


def track_21_7(data: dict) -> tuple[int, list[str]]:
    """The § 21-7 processing time in weeks for an application's data, and the keys of why it is
    not the short one (TRACK_REASONS)."""
    project = data.get("project") or {}
    neighbours = data.get("neighbours") or {}
    reasons = []
    if project.get("follows_zoning_plan") != "yes":
        reasons.append("zoning_plan")
    if neighbours.get("objections") != "no":
        reasons.append("objections")
    if project.get("other_authority") != "no":
        reasons.append("other_authority")
    return (LONG_TRACK_WEEKS if reasons else SHORT_TRACK_WEEKS), reasons


def processing_deadline(*, track_weeks: int | None, received: datetime.date) -> datetime.date:
    """§ 21-7: the track's weeks from the day the case came in (or an appeal reopened it); the
    long track when the track is not known."""
    return received + datetime.timedelta(weeks=track_weeks or LONG_TRACK_WEEKS)


def fee_for(*, permit_kind: str, category: str, on: datetime.date | None = None) -> BuildingFee | None:
    """The fee in force: the newest line of the schedule valid on the day."""
    on = on or timezone.localdate()
    return (BuildingFee.objects.filter(permit_kind=permit_kind, category=category, valid_from__lte=on)
            .order_by("-valid_from").first())
