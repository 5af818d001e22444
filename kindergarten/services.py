"""Kindergarten admission: run a round of offers, answer an offer, expire unanswered ones, and
create rounds. The case changes only through cases.services (the kindergarten words for its
statuses are the type's wording, kindergarten.application.KindergartenPlace):
    offer sent           -> decided, outcome "approved"  (case_decide; the offer letter is ours)
    on the waiting list  -> decided, outcome "rejected"
    accepted             -> closed,  outcome "approved" ("partly": stays on the waiting list)
    declined / expired   -> closed,  outcome "declined" (or "approved" when an earlier place is kept)
A later round decides a waiting child's case again (decided -> decided, closed -> decided: the
kindergarten type allows it)."""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.tenancy import working_municipality_id
from cases.models import Case, Decision
from cases.selectors import cases_for_party
from cases.services import (
    CaseChanged,
    case_decide,
    case_start_review,
    case_timeline_add,
    case_transition,
    decision_letter_attach,
)
from cases.transitions import SYSTEM, is_allowed
from correspondence.models import Letter
from correspondence.services import letter_create

from . import selectors
from .models import AdmissionRound, Kindergarten, Offer, WaitingListEntry
from .rules import kindergarten_takes_child

logger = logging.getLogger(__name__)

OFFER_TEMPLATE = "kindergarten/pdf/offer.html"
LEGAL_BASIS = "barnehageloven §§ 16–18"


@dataclass
class RunResult:
    offers: dict[str, int] = field(default_factory=dict)  # kindergarten name -> offers made
    waiting_list: int = 0
    skipped: int = 0

    @property
    def offers_made(self) -> int:
        return sum(self.offers.values())


def _language(case: Case) -> str:
    return case.applicant.preferred_language or "nb"


def _decide(*, case: Case, by: User, outcome: str, public_text: str, reasoning: str) -> tuple[Case, Decision]:
    """The round's decision for one child's case, through cases.services: a case still
    `received` goes to review first; a case on the waiting list (decided) or with a place and
    waiting for a higher wish (closed) is decided again. The letter is ours (the offer letter)."""
    if case.status == Case.Status.RECEIVED:
        case = case_start_review(case=case, by=by, notify=False)
    decision = case_decide(case=case, by=by, outcome=outcome, reasoning=reasoning, legal_basis=LEGAL_BASIS,
                           public_text=public_text, send_letter=False)
    case.refresh_from_db()
    return case, decision


def _letter(*, case: Case, by: User, offer: Offer | None, round: AdmissionRound, child_name: str,
            appeal_deadline: datetime.date) -> Letter:
    language = _language(case)
    with translation.override(language):
        if offer:
            title = _("Offer of a kindergarten place, case %(number)s") % {"number": case.case_number}
        else:
            title = _("Kindergarten place: on the waiting list, case %(number)s") % {"number": case.case_number}
        context = {
            "case_number": case.case_number, "case_title": case.title, "child_name": child_name,
            "applicant_name": case.applicant.get_full_name(), "round_name": round.name,
            "offered": offer is not None, "decided_on": date_format(timezone.localdate(), "DATE_FORMAT"),
            "appeal_deadline": date_format(appeal_deadline, "DATE_FORMAT"),
            "department": case.department.name, "legal_basis": LEGAL_BASIS,
        }
        if offer:
            context |= {
                "kindergarten_name": offer.kindergarten.name, "kindergarten_address": offer.kindergarten.address,
                "wish_rank": offer.wish_rank, "start_date": date_format(offer.start_date, "DATE_FORMAT"),
                "reply_deadline": date_format(offer.reply_deadline, "DATE_FORMAT"),
                "answer_path": reverse("kindergarten:offer", args=[offer.pk]),
            }
    return letter_create(
        recipient=case.applicant, kind=Letter.Kind.OFFER if offer else Letter.Kind.DECISION, title=title,
        template=OFFER_TEMPLATE, context=context, case=case, organisation=case.organisation,
        language=language, needs_notice=True, created_by=by,
    )


def _public_text(*, case: Case, offer: Offer | None) -> str:
    with translation.override(_language(case)):
        if offer:
            return _("You are offered a place at %(kindergarten)s from %(start)s. Answer by %(deadline)s.") % {
                "kindergarten": offer.kindergarten.name, "start": date_format(offer.start_date, "DATE_FORMAT"),
                "deadline": date_format(offer.reply_deadline, "DATE_FORMAT")}
        return _("There is no free place at your wishes yet. The child is on the waiting list and may be "
                 "offered a place in a later round.")


def admission_run(*, round: AdmissionRound, by: User) -> RunResult:
    """Allocate places for the round, in one transaction: children with priority (§ 18)
    first, then those with a statutory right (§ 16), then by the date of applying. Each child
    gets the highest-ranked wish that has a free place in the right age group (outstanding
    and accepted offers count against capacity); a child with no place goes on the waiting
    list. Idempotent: a case with an outstanding or accepted offer is skipped.

    Locks, always in this order: the round, every kindergarten (by pk), the cases (by pk). Two
    runs at the same time therefore allocate one after the other, and the second sees the
    first one's offers."""
    if not (by and by.is_active and by.is_staff):
        raise PermissionDenied("Only a caseworker runs an admission round")
    # The register is asked before the locks are taken (a slow register must not hold them).
    candidates = selectors.admission_candidates(places_start=round.places_start)
    result = RunResult()
    today = timezone.localdate()
    with transaction.atomic():
        round = AdmissionRound.objects.select_for_update().get(pk=round.pk)
        kindergartens = {k.pk: k for k in Kindergarten.objects.select_for_update().order_by("pk")}
        case_ids = [c.case_id for c in candidates]
        cases = {c.pk: c for c in Case.objects.select_for_update().filter(pk__in=case_ids).order_by("pk")}
        # Read after the locks: a run that committed meanwhile is counted.
        still_eligible = set(selectors.eligible_cases().filter(pk__in=case_ids).values_list("pk", flat=True))
        taken = selectors.places_taken()
        related = Case.objects.select_related("applicant", "department", "organisation")
        for candidate in candidates:
            if candidate.case_id not in still_eligible or candidate.case_id not in cases:
                result.skipped += 1
                continue
            case = related.get(pk=candidate.case_id)
            choice = None
            for rank, kindergarten_pk in enumerate(candidate.wishes, start=1):
                kindergarten = kindergartens.get(kindergarten_pk)
                if kindergarten is None or not kindergarten.active:
                    continue
                if not kindergarten_takes_child(kindergarten, birth_date=candidate.birth_date, on=round.places_start):
                    continue
                if taken.get(kindergarten.pk, 0) >= kindergarten.capacity:
                    continue
                choice = (rank, kindergarten)
                break
            if choice is None:
                if candidate.accepted_offer_id or hasattr(case, "waiting_list_entry"):
                    # Still waiting (for a higher wish, or on the list): told in an earlier round.
                    continue
                case, decision = _decide(
                    case=case, by=by, outcome=Decision.Outcome.REJECTED, public_text=_public_text(case=case, offer=None),
                    reasoning=_("No free place at any of the wished kindergartens in this round."))
                WaitingListEntry.objects.create(case=case, round=round)
                letter = _letter(case=case, by=by, offer=None, round=round, child_name=candidate.child_name,
                                 appeal_deadline=decision.appeal_deadline)
                decision_letter_attach(decision=decision, letter_id=letter.pk)
                result.waiting_list += 1
                continue
            rank, kindergarten = choice
            offer = Offer.objects.create(
                case=case, kindergarten=kindergarten, round=round, wish_rank=rank,
                start_date=max(candidate.start_date or round.places_start, round.places_start),
                reply_deadline=Offer.deadline_for(sent=today, reply_days=round.reply_days),
            )
            taken[kindergarten.pk] = taken.get(kindergarten.pk, 0) + 1
            case, decision = _decide(
                case=case, by=by, outcome=Decision.Outcome.APPROVED, public_text=_public_text(case=case, offer=offer),
                reasoning=_("Offered a place at %(kindergarten)s (wish %(rank)d).") % {
                    "kindergarten": kindergarten.name, "rank": rank})
            offer.letter = _letter(case=case, by=by, offer=offer, round=round, child_name=candidate.child_name,
                                   appeal_deadline=decision.appeal_deadline)
            offer.save(update_fields=["letter", "updated_at"])
            decision_letter_attach(decision=decision, letter_id=offer.letter.pk)
            result.offers[kindergarten.name] = result.offers.get(kindergarten.name, 0) + 1
        round.status = AdmissionRound.Status.DONE
        round.run_at = timezone.now()
        round.run_by = by
        round.offers_made = F("offers_made") + result.offers_made
        round.waiting_list = WaitingListEntry.objects.filter(case__in=selectors.eligible_cases()).count()
        round.save(update_fields=["status", "run_at", "run_by", "offers_made", "waiting_list", "updated_at"])
        round.refresh_from_db()
    logger.info("Admission round %s: %d offers, %d on the waiting list, %d skipped",
                round.pk, result.offers_made, result.waiting_list, result.skipped)
    return result


def _lock_offer(offer: Offer) -> Offer:
    return Offer.objects.select_for_update().select_related("kindergarten").get(pk=offer.pk)


@transaction.atomic
def offer_answer(*, offer: Offer, by: User, accept: bool, keep_on_waiting_list: bool = False) -> Offer:
    """The citizen accepts or declines the offer before the reply deadline. Declining frees
    the place for the next round. Raises ValidationError (answered already, deadline passed)."""
    offer = _lock_offer(offer)
    case = Case.objects.select_for_update().select_related("applicant").get(pk=offer.case_id)
    if not cases_for_party(user=by, organisation=case.organisation).filter(pk=case.pk).exists():
        raise PermissionDenied("Not the applicant")
    if offer.status != Offer.Status.SENT:
        raise ValidationError(_("This offer has already been answered."), code="answered")
    if offer.is_past_deadline:
        raise ValidationError(
            _("The deadline for answering this offer was %(date)s. An offer not answered in time counts as "
              "declined. Contact the kindergarten office if you still want a place.") % {
                "date": date_format(offer.reply_deadline, "DATE_FORMAT")}, code="too_late")
    keep = bool(accept and keep_on_waiting_list and offer.wish_rank > 1)
    keeps_earlier_place = _settle_earlier_place(offer=offer, accepted_new=accept)
    offer.status = Offer.Status.ACCEPTED if accept else Offer.Status.DECLINED
    offer.keep_on_waiting_list = keep
    offer.answered_at = timezone.now()
    offer.answered_by = by
    offer.save(update_fields=["status", "keep_on_waiting_list", "answered_at", "answered_by", "updated_at"])
    with translation.override(_language(case)):
        if accept and keep:
            text = _("You accepted the place at %(kindergarten)s and stay on the waiting list for a higher wish.")
        elif accept:
            text = _("You accepted the place at %(kindergarten)s.")
        else:
            text = _("You declined the place at %(kindergarten)s.")
        text %= {"kindergarten": offer.kindergarten.name}
    declined = "approved" if keeps_earlier_place else "declined"
    _close(case=case, offer=offer, text=text, outcome=("partly" if keep else "approved") if accept else declined,
           notify=False)  # the citizen has just acted: no notice about it
    return offer


def _settle_earlier_place(*, offer: Offer, accepted_new: bool) -> bool:
    """The answer to an offer for a higher wish, when the child already has a place: accepting
    it gives up the earlier place (free for the next round); declining it (or silence) keeps
    the earlier place and ends the wait for a higher wish. True if the child keeps an earlier
    place."""
    earlier = (Offer.objects.select_for_update().filter(case_id=offer.case_id, status=Offer.Status.ACCEPTED)
               .exclude(pk=offer.pk).first())
    if earlier is None:
        return False
    if accepted_new:
        earlier.status = Offer.Status.DECLINED
        earlier.keep_on_waiting_list = False
        earlier.save(update_fields=["status", "keep_on_waiting_list", "updated_at"])
        return False
    earlier.keep_on_waiting_list = False
    earlier.save(update_fields=["keep_on_waiting_list", "updated_at"])
    return True


def _close(*, case: Case, offer: Offer, text: str, outcome: str, notify: bool) -> None:
    """The answer settles the case: a decided case is closed by the system on the citizen's
    behalf (who answered is on the offer) with the outcome. A case a caseworker has taken back
    (an appeal being reviewed) keeps its status: the answer goes on its timeline."""
    if is_allowed(case.status, Case.Status.CLOSED, SYSTEM, application_type=case.application_type):
        case_transition(case=case, to_status=Case.Status.CLOSED, by=None, public_text=text, notify=notify,
                        outcome=outcome)
    else:
        case_timeline_add(case=case, text=text)
    WaitingListEntry.objects.filter(case=case).delete()


def offers_expire(*, today: datetime.date | None = None) -> int:
    """Offers not answered by their deadline: silence counts as declining, and the place is
    free for the next round. One transaction per offer; an offer being answered right now is
    left for the next run. Returns how many expired."""
    today = today or timezone.localdate()
    expired = 0
    due = Offer.objects.filter(status=Offer.Status.SENT, reply_deadline__lt=today)
    for pk in due.values_list("pk", flat=True).iterator():
        with transaction.atomic():
            offer = (Offer.objects.select_for_update(skip_locked=True).select_related("kindergarten")
                     .filter(pk=pk, status=Offer.Status.SENT).first())
            if offer is None:
                continue
            case = Case.objects.select_for_update().select_related("applicant").get(pk=offer.case_id)
            offer.status = Offer.Status.EXPIRED
            offer.save(update_fields=["status", "updated_at"])
            with translation.override(_language(case)):
                text = _("The offer of a place at %(kindergarten)s was not answered by %(date)s and counts as "
                         "declined.") % {"kindergarten": offer.kindergarten.name,
                                         "date": date_format(offer.reply_deadline, "DATE_FORMAT")}
            keeps_earlier_place = _settle_earlier_place(offer=offer, accepted_new=False)
            try:
                _close(case=case, offer=offer, text=text, outcome="approved" if keeps_earlier_place else "declined",
                       notify=True)
            except CaseChanged:
                transaction.set_rollback(True)
                continue
            expired += 1
    return expired


def admission_round_validate(*, name: str, places_start: datetime.date | None, reply_days: int | None) -> None:
    """The rules for a round, for the admin's form and the service alike. Raises ValidationError
    keyed by field."""
    errors = {}
    if not (name or "").strip():
        errors["name"] = _("Give the round a name.")
    if places_start is None:
        errors["places_start"] = _("Give the start date of the places.")
    if reply_days is None or reply_days < 1:
        errors["reply_days"] = _("The reply deadline must be at least one day.")
    if errors:
        raise ValidationError(errors)


def admission_round_create(*, municipality=None, name: str, places_start: datetime.date,
                           reply_days: int = 10) -> AdmissionRound:
    admission_round_validate(name=name, places_start=places_start, reply_days=reply_days)
    return AdmissionRound.objects.create(municipality_id=working_municipality_id(municipality), name=name.strip(),
                                         places_start=places_start, reply_days=reply_days)


def admission_round_update(*, round: AdmissionRound, name: str, places_start: datetime.date,
                           reply_days: int) -> AdmissionRound:
    """Change a round that has not run yet (a run round's fields are the record)."""
    if round.status != AdmissionRound.Status.READY:
        raise ValidationError(_("A round that has run cannot be changed."), code="has_run")
    admission_round_validate(name=name, places_start=places_start, reply_days=reply_days)
    round.name, round.places_start, round.reply_days = name.strip(), places_start, reply_days
    round.save(update_fields=["name", "places_start", "reply_days", "updated_at"])
    return round
