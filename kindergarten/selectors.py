"""Reads for kindergarten admission: who is waiting for a place, in which order, and the
offers a citizen may see (a miss is a 404)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.models import Organisation, User
from applications.models import Application
from cases.models import Case
from cases.selectors import cases_for_party
from registers.snapshot import register_snapshot

from .application import KindergartenPlace
from .models import AdmissionRound, Offer
from .rules import place_right

# Cases an admission run may give a place: not decided yet, or decided "on the waiting list"
# by an earlier run (they have a WaitingListEntry).
OPEN_STATUSES = (Case.Status.RECEIVED, Case.Status.UNDER_REVIEW)


@dataclass(frozen=True)
class Candidate:
    """One child waiting for a place, with what the allocation order needs."""

    case_id: object
    case_number: str
    priority: bool          # barnehageloven § 18: disability or a child-welfare decision
    has_right: bool         # § 16: the statutory right to a place
    applied_at: datetime.datetime
    birth_date: datetime.date | None
    wishes: tuple[int, ...]  # kindergarten pks, first wish first
    start_date: datetime.date | None
    child_name: str
    accepted_offer_id: object = None  # set when the child has a place and waits for a higher wish

    @property
    def order_key(self):
        """Priority first, then the statutory right, then the date of applying."""
        return (not self.priority, not self.has_right, self.applied_at, self.case_number)


def _date(raw) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(raw) if raw else None
    except (TypeError, ValueError):
        return None


def _child_facts(application: Application) -> dict:
    """The facts frozen on the case at submit (KindergartenPlace.case_facts). A case submitted
    before facts were frozen gets them from the register and its draft once, here."""
    facts = application.case.facts or {}
    if "child_birth_date" in facts:
        return facts
    return application.app_type.case_facts(application=application)


def eligible_cases() -> QuerySet[Case]:
    """Kindergarten cases waiting for a place: without an outstanding or accepted offer, or
    with an accepted offer and "keep me on the waiting list for a higher wish" (and no other
    offer outstanding)."""
    holding = Offer.objects.filter(case=OuterRef("pk"), status__in=Offer.HOLDING)
    outstanding = Offer.objects.filter(case=OuterRef("pk"), status=Offer.Status.SENT)
    waits_for_higher = Offer.objects.filter(case=OuterRef("pk"), status=Offer.Status.ACCEPTED,
                                            keep_on_waiting_list=True)
    no_place = (Q(status__in=OPEN_STATUSES) | Q(status=Case.Status.DECIDED, waiting_list_entry__isnull=False)) \
        & ~Exists(holding)
    higher_wish = Exists(waits_for_higher) & ~Exists(outstanding)
    return Case.objects.filter(application_type=KindergartenPlace.key).filter(no_place | higher_wish)


def admission_candidates(*, places_start: datetime.date) -> list[Candidate]:
    """The children to allocate, in allocation order, from the facts frozen on each case at
    submit (no register call; older cases without them ask the register once, so call this
    outside a transaction that holds locks)."""
    applications = (
        Application.objects.filter(case__in=eligible_cases(), status=Application.Status.SUBMITTED)
        .select_related("applicant", "case")
    )
    # Children with a place who wait for a higher wish: only wishes above the accepted one.
    accepted = {o.case_id: o for o in Offer.objects.filter(
        case__in=eligible_cases(), status=Offer.Status.ACCEPTED, keep_on_waiting_list=True)}
    candidates = []
    with register_snapshot():
        for application in applications:
            facts = _child_facts(application)
            birth_date = _date(facts.get("child_birth_date"))
            start = _date(facts.get("start_date")) or places_start
            applied_on = timezone.localdate(application.submitted_at)
            right = birth_date is not None and place_right(birth_date=birth_date, start=max(start, places_start),
                                                           applied_on=applied_on).has_right
            wishes = tuple(facts.get("wishes") or ())
            current = accepted.get(application.case_id)
            if current is not None:
                wishes = wishes[:current.wish_rank - 1]
            candidates.append(Candidate(
                case_id=application.case_id, case_number=application.case.case_number,
                priority=bool(facts.get("priority")), has_right=right, applied_at=application.submitted_at,
                birth_date=birth_date, wishes=wishes, start_date=start, child_name=facts.get("child_first_name", ""),
                accepted_offer_id=current.pk if current else None,
            ))
    return sorted(candidates, key=lambda c: c.order_key)


def places_taken() -> dict[int, int]:
    """Outstanding and accepted offers per kindergarten: what counts against capacity."""
    rows = Offer.objects.filter(status__in=Offer.HOLDING).values("kindergarten").annotate(n=Count("pk"))
    return {row["kindergarten"]: row["n"] for row in rows}


def round_summary(*, round: AdmissionRound) -> list[dict]:
    """Offers made in the round per kindergarten, by status (one query)."""
    rows = (Offer.objects.filter(round=round).values("kindergarten__name")
            .annotate(total=Count("pk"),
                      accepted=Count("pk", filter=Q(status=Offer.Status.ACCEPTED)),
                      declined=Count("pk", filter=Q(status__in=[Offer.Status.DECLINED, Offer.Status.EXPIRED])),
                      waiting=Count("pk", filter=Q(status=Offer.Status.SENT)))
            .order_by("kindergarten__name"))
    return list(rows)


def offers_for_party(*, user: User, organisation: Organisation | None = None) -> QuerySet[Offer]:
    """The offers a citizen sees: those on the cases they see."""
    return Offer.objects.filter(case__in=cases_for_party(user=user, organisation=organisation))


def offer_get_for_user(*, user: User, pk, organisation: Organisation | None = None) -> Offer:
    offer = (offers_for_party(user=user, organisation=organisation)
             .select_related("case", "kindergarten", "round").filter(pk=pk).first())
    if offer is None:
        raise Http404("No such offer")
    return offer


def offer_latest_for_case(*, case: Case) -> Offer | None:
    """For the citizen's case page: the case was already fetched through the access check."""
    return case.offers.select_related("kindergarten").order_by("-created_at").first()
