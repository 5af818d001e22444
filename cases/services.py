"""Case operations. Every change of status goes through case_transition() (see the
transition table); case_create() is called by applications.services.application_submit()
inside its transaction."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import Department, Organisation, User

from .models import Case, CaseEvent, CaseNumberSequence


def case_number_next(*, year: int) -> str:
    """The next case number for the year, `YYYY/N`. Must run inside a transaction: the
    year's sequence row is locked until commit, so concurrent submits never share a number."""
    sequence, _ = CaseNumberSequence.objects.select_for_update().get_or_create(year=year)
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    return f"{year}/{sequence.last_number}"


@transaction.atomic
def case_create(
    *, application_type: str, title: str, department: Department, applicant: User,
    organisation: Organisation | None = None, deadline: datetime.date | None = None,
    received_text: str = "",
) -> Case:
    """Register a new case with its first (public) timeline event, status `received`."""
    now = timezone.now()
    case = Case.objects.create(
        case_number=case_number_next(year=timezone.localdate(now).year),
        application_type=application_type, title=title, department=department,
        applicant=applicant, organisation=organisation, received_at=now, deadline=deadline,
    )
    CaseEvent.objects.create(
        case=case, kind=CaseEvent.Kind.STATUS_CHANGED, to_status=Case.Status.RECEIVED,
        public=True, text=received_text, actor=applicant,
    )
    return case
