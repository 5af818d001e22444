"""Reads of cases, and the one place that decides who may see which case.

Citizens (and people acting for an organisation) see their own party's cases; caseworkers see
the cases of their departments (superusers: all). Anything else is a miss — a 404, whoever
asks, so nobody learns that a case exists."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.models import Organisation, User
from accounts.selectors import Party

from .models import Case, CaseAccessLog, CaseEvent, Decision, InformationRequest
from .transitions import CITIZEN, is_allowed
from .types import CHECK_FAILED, CHECK_NOTE, CHECK_PASSED


def cases_for_party(*, user: User, organisation: Organisation | None = None) -> QuerySet[Case]:
    """The cases a citizen sees: acting for an organisation (a valid representation, checked
    by the middleware), that organisation's cases; acting for themselves, their own."""
    if not user.is_authenticated:
        return Case.objects.none()
    if organisation is not None:
        return Case.objects.filter(organisation=organisation)
    return Case.objects.filter(applicant=user, organisation__isnull=True)


def cases_for_caseworker(*, user: User) -> QuerySet[Case]:
    """The caseworker's queue: cases of their departments (superusers: all)."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return Case.objects.none()
    if user.is_superuser:
        return Case.objects.all()
    return Case.objects.filter(department_id__in=caseworker_department_ids(user=user))


def caseworker_department_ids(*, user: User) -> list[int]:
    """The ids of the user's departments, read once per user object. A literal list rather
    than a subquery: with the ids known, PostgreSQL walks the (department, received_at) index
    for the first page instead of sorting the whole queue (115 ms -> a few ms at 100,000)."""
    if not hasattr(user, "_cases_department_ids"):
        user._cases_department_ids = list(user.departments.values_list("pk", flat=True))
    return user._cases_department_ids


def case_get_for_user(*, user: User, pk, party: Party | None = None, as_staff: bool = False) -> Case:
    """The one access check for a single case. Citizens' pages ask with their party (who they
    act for); staff views ask `as_staff`. A miss is Http404."""
    if as_staff:
        queryset = cases_for_caseworker(user=user)
    else:
        organisation = party.organisation if party is not None else None
        queryset = cases_for_party(user=user, organisation=organisation)
    case = queryset.select_related("applicant", "assigned_to", "department", "organisation").filter(pk=pk).first()
    if case is None:
        raise Http404("No such case")
    return case


def case_list_for_party(*, party: Party) -> QuerySet[Case]:
    """The citizen's list: newest first, in one query (the wording needs no decision rows:
    Case.outcome holds the latest decision's outcome)."""
    return cases_for_party(user=party.person, organisation=party.organisation).order_by("-received_at")


def case_list_for_caseworker(*, user: User) -> QuerySet[Case]:
    return cases_for_caseworker(user=user).select_related("applicant", "assigned_to", "department")


def case_public_timeline(*, case: Case) -> QuerySet[CaseEvent]:
    """What the citizen sees of the timeline: public events only, never internal text."""
    return case.events.filter(public=True).select_related("actor").only(
        "id", "case_id", "kind", "from_status", "to_status", "text", "created_at", "public",
        "actor__first_name", "actor__last_name", "actor__is_staff",
    )


def case_full_timeline(*, case: Case) -> QuerySet[CaseEvent]:
    return case.events.select_related("actor")


def case_access_log(*, case: Case) -> QuerySet[CaseAccessLog]:
    return case.access_log.select_related("user")


def case_latest_decision(*, case: Case) -> Decision | None:
    """The latest decision (the one the appeal deadline counts from), read once per case object:
    the citizen's case page and the panels on it ask for it."""
    if not hasattr(case, "_latest_decision"):
        case._latest_decision = case.decisions.order_by("-created_at").first()
    return case._latest_decision


def case_open_information_requests(*, case: Case) -> QuerySet[InformationRequest]:
    return case.information_requests.filter(status=InformationRequest.Status.OPEN).order_by("due_date")


@dataclass(frozen=True)
class CitizenCaseView:
    """What the citizen's case page needs, worked out in one place."""

    status_text: str
    expected_decision_date: datetime.date | None
    deadline_paused: bool
    can_withdraw: bool
    can_appeal: bool
    appeal_deadline: datetime.date | None
    latest_decision: Decision | None


def case_citizen_view(*, case: Case) -> CitizenCaseView:
    decision = case_latest_decision(case=case)
    appeal_deadline = decision.appeal_deadline if decision else None
    today = timezone.localdate()
    can_appeal = (
        (is_allowed(case.status, Case.Status.APPEALED, CITIZEN, application_type=case.application_type))
        and appeal_deadline is not None and today <= appeal_deadline
    )
    pending = case.status in (Case.Status.RECEIVED, Case.Status.UNDER_REVIEW, Case.Status.AWAITING_INFORMATION,
                              Case.Status.APPEALED)
    return CitizenCaseView(
        status_text=case.citizen_status,
        expected_decision_date=case.deadline if pending else None,
        deadline_paused=case.deadline_paused_at is not None,
        can_withdraw=is_allowed(case.status, Case.Status.WITHDRAWN, CITIZEN, application_type=case.application_type),
        can_appeal=can_appeal,
        appeal_deadline=appeal_deadline,
        latest_decision=decision,
    )


def days_left(case: Case, today: datetime.date | None = None) -> int | None:
    """Days until the processing deadline (negative: overdue). None without a deadline. While
    the deadline is paused, the days left stay what they were when the pause began."""
    if case.deadline is None:
        return None
    if case.deadline_paused_at is not None:
        today = timezone.localdate(case.deadline_paused_at)
    return (case.deadline - (today or timezone.localdate())).days


OPEN_STATUSES = (Case.Status.RECEIVED, Case.Status.UNDER_REVIEW, Case.Status.AWAITING_INFORMATION, Case.Status.APPEALED)


def overdue_q(today: datetime.date | None = None) -> Q:
    """Cases still being processed whose deadline has passed (paused ones are not running)."""
    return Q(status__in=OPEN_STATUSES, deadline__lt=today or timezone.localdate(), deadline_paused_at__isnull=True)


def case_automated_check_event(*, case: Case) -> CaseEvent | None:
    return case.events.filter(kind=CaseEvent.Kind.AUTOMATED_CHECK).order_by("-created_at").first()


def automated_check_results(event: CaseEvent | None) -> list[dict]:
    """The check lines of an AUTOMATED_CHECK event, for the caseworker's page:
    [{"state": "passed"|"failed"|"note", "message": ...}] (cases.services.case_automated_check_record
    writes them)."""
    if event is None:
        return []
    states = {CHECK_PASSED: "passed", CHECK_FAILED: "failed", CHECK_NOTE: "note"}
    rows = []
    for line in event.internal_text.splitlines():
        mark, _sep, message = line.partition(" ")
        if mark in states:
            rows.append({"state": states[mark], "message": message})
        elif line.strip():
            rows.append({"state": "note", "message": line})
    return rows
