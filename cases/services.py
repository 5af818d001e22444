"""Case operations. Every change of status goes through case_transition() (see the
transition table in cases/transitions.py); case_create() is called by
applications.services.application_submit() inside its transaction.

What a change causes elsewhere (the decision letter, the notice to the citizen) is done by the
apps above cases, subscribed to cases.signals in the same transaction.

Optimistic locking: every change bumps `Case.version` with a conditional UPDATE (`... WHERE
version = <the version the caseworker saw>`). If someone else saved first, nothing is written
and CaseChanged carries the case as it is now, so the caller can show the new state."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import Department, Organisation, User
from accounts.selectors import organisations_person_may_act_for
from core.uploads import UploadRules, upload_delete, upload_store, upload_validate

from . import deadlines, signals
from .models import Case, CaseAccessLog, CaseDocument, CaseEvent, CaseNumberSeries, Decision, InformationRequest
from .transitions import CASEWORKER, CITIZEN, SYSTEM, TransitionNotAllowed, citizen_wording, is_allowed
from .types import CHECK_FAILED, CHECK_NOTE, CHECK_PASSED, CheckResult

logger = logging.getLogger(__name__)

MAX_DOCUMENTS_PER_ANSWER = 10


class CaseChanged(Exception):
    """Someone else changed the case after the caller loaded it. `case` is the current state."""

    def __init__(self, case: Case):
        self.case = case
        super().__init__(f"Case {case.case_number} is now at version {case.version}")


def actor_role(user: User | None) -> str:
    """Who is acting, for the transition table: nobody (a task) is the system."""
    if user is None:
        return SYSTEM
    return CASEWORKER if user.is_staff else CITIZEN


def _check_may_act(*, case: Case, by: User | None, role: str) -> None:
    # Belt and braces: views already fetched the case through the selector.
    if role == CASEWORKER:
        if not (by.is_superuser or by.departments.filter(pk=case.department_id).exists()):
            raise PermissionDenied("Not a caseworker of this case's department")
    elif role == CITIZEN:
        if case.organisation_id:
            if not organisations_person_may_act_for(person=by).filter(pk=case.organisation_id).exists():
                raise PermissionDenied("Not a representative of the case's organisation")
        elif case.applicant_id != by.pk:
            raise PermissionDenied("Not the applicant")


def case_number_next(*, municipality_id: int, year: int) -> str:
    """The municipality's next case number for the year, `YYYY/N`. Must run inside a
    transaction: the year's series row is locked until commit, so concurrent submits never share
    a number."""
    sequence, _created = CaseNumberSeries.objects.select_for_update().get_or_create(
        municipality_id=municipality_id, year=year)
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    return f"{year}/{sequence.last_number}"


@transaction.atomic
def case_create(
    *, application_type: str, title: str, department: Department, applicant: User,
    organisation: Organisation | None = None, facts: dict | None = None, deadline: datetime.date | None = None,
    received_text: str = "",
) -> Case:
    """Register a new case with its first (public) timeline event, status `received`. `facts`
    is what the type's rules need later, frozen now (cases.models.Case.facts). Without an
    explicit deadline, the type's rule sets it (cases.types.CaseType.processing_deadline). The
    case belongs to the department's municipality."""
    now = timezone.now()
    facts = facts or {}
    if deadline is None:
        deadline = deadlines.processing_deadline(application_type=application_type, facts=facts,
                                                 received=timezone.localdate(now))
    case = Case.objects.create(
        municipality_id=department.municipality_id,
        case_number=case_number_next(municipality_id=department.municipality_id, year=timezone.localdate(now).year),
        application_type=application_type, title=title, department=department,
        applicant=applicant, organisation=organisation, received_at=now, deadline=deadline, facts=facts,
    )
    CaseEvent.objects.create(
        case=case, kind=CaseEvent.Kind.STATUS_CHANGED, to_status=Case.Status.RECEIVED,
        public=True, text=received_text, actor=applicant,
    )
    signals.case_created.send(sender=Case, case=case)
    return case


def _deadline_fields(*, case: Case, to_status: str, now: datetime.datetime) -> dict:
    """Deadline bookkeeping for a status change: paused while waiting for the citizen (the
    paused days are added when the case moves on), restarted when an appeal reopens it."""
    fields: dict = {}
    if to_status == Case.Status.AWAITING_INFORMATION and case.deadline_paused_at is None:
        fields["deadline_paused_at"] = now
    elif case.status == Case.Status.AWAITING_INFORMATION and case.deadline_paused_at is not None:
        paused_days = (timezone.localdate(now) - timezone.localdate(case.deadline_paused_at)).days
        if case.deadline is not None:
            fields["deadline"] = case.deadline + datetime.timedelta(days=paused_days)
        fields["deadline_paused_at"] = None
    if case.status == Case.Status.APPEALED and to_status == Case.Status.UNDER_REVIEW:
        # Reviewed again: the type's own rule, counted from today (the same rule as at submit).
        fields["deadline"] = deadlines.processing_deadline(
            application_type=case.application_type, facts=case.facts, received=timezone.localdate(now)
        )
    if to_status == Case.Status.DECIDED:
        fields["decided_at"] = now
    return fields


def _conditional_update(*, case: Case, expected_version: int, **fields) -> int:
    """UPDATE ... SET version = version + 1 WHERE id = ... AND version = expected. Raises
    CaseChanged when another save came first. Returns the new version."""
    updated = Case.objects.filter(pk=case.pk, version=expected_version).update(
        version=F("version") + 1, updated_at=timezone.now(), **fields
    )
    if updated != 1:
        raise CaseChanged(Case.objects.select_related("applicant", "assigned_to", "department").get(pk=case.pk))
    return expected_version + 1


@transaction.atomic
def case_transition(
    *, case: Case, to_status: str, by: User | None, expected_version: int | None = None,
    public_text: str = "", internal_text: str = "", kind: str = CaseEvent.Kind.STATUS_CHANGED,
    notify: bool = True, outcome: str | None = None,
) -> Case:
    """Move the case to `to_status`, if the transition table (and the case's type) allows it
    for this actor.

    `expected_version` is the version the actor saw (default: the one loaded in `case`).
    Writes one timeline event (public: the citizen sees the status change and `public_text`;
    `internal_text` is for staff only) and publishes cases.signals.case_status_changed, on
    which the citizen's notice is written in the same transaction (`notify=False` when a letter
    written in the same transaction carries the news, so the citizen gets one notice, not two).
    `outcome` sets the case's outcome with the status (e.g. an offer declined). Raises
    TransitionNotAllowed, CaseChanged or PermissionDenied."""
    role = actor_role(by)
    expected = case.version if expected_version is None else expected_version
    current = Case.objects.get(pk=case.pk)
    if current.version != expected:
        raise CaseChanged(current)
    if not is_allowed(current.status, to_status, role, application_type=current.application_type):
        raise TransitionNotAllowed(current.status, to_status, role)
    _check_may_act(case=current, by=by, role=role)

    now = timezone.now()
    fields = {"status": to_status, **_deadline_fields(case=current, to_status=to_status, now=now)}
    if outcome is not None:
        fields["outcome"] = outcome
    new_version = _conditional_update(case=current, expected_version=expected, **fields)

    CaseEvent.objects.create(
        case=current, kind=kind, from_status=current.status, to_status=to_status, public=True,
        text=public_text, internal_text=internal_text, actor=by,
    )
    case.refresh_from_db()
    signals.case_status_changed.send(sender=Case, case=case, from_status=current.status, to_status=to_status,
                                     version=new_version, by=by, notify=notify)
    return case


def case_timeline_add(*, case: Case, text: str, by: User | None = None) -> CaseEvent:
    """A public line on the timeline that changes no status (e.g. an offer answered while the
    case is being looked at again)."""
    return CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.UPDATE, from_status=case.status,
                                    to_status=case.status, public=True, text=text, actor=by)


@transaction.atomic
def case_assign(*, case: Case, assignee: User | None, by: User, expected_version: int | None = None) -> Case:
    """Assign the case to a caseworker of its department (or to nobody). Internal event."""
    _check_may_act(case=case, by=by, role=CASEWORKER)
    if assignee is not None and not (
        assignee.is_active and assignee.is_staff
        and (assignee.is_superuser or assignee.departments.filter(pk=case.department_id).exists())
    ):
        raise ValidationError(_("%(name)s does not work in this case's department.") % {"name": assignee},
                              code="not_in_department")
    expected = case.version if expected_version is None else expected_version
    _conditional_update(case=case, expected_version=expected, assigned_to=assignee)
    text = (_("Assigned to %(name)s.") % {"name": assignee.get_full_name() or assignee.email}) if assignee else _("Unassigned.")
    CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.ASSIGNED, public=False, internal_text=text, actor=by)
    case.refresh_from_db()
    return case


def case_note_add(*, case: Case, by: User, text: str) -> CaseEvent:
    """An internal note on the timeline: staff only, never shown to the citizen."""
    _check_may_act(case=case, by=by, role=CASEWORKER)
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Write the note before saving it."), code="empty")
    with transaction.atomic():
        event = CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.NOTE, public=False, internal_text=text, actor=by)
        signals.note_added.send(sender=Case, case=case, event=event, by=by)
    return event


def _letter_language(case: Case) -> str:
    return case.applicant.preferred_language or "nb"


@transaction.atomic
def case_request_information(
    *, case: Case, by: User, text: str, documents_requested: str, due_date: datetime.date,
    expected_version: int | None = None,
) -> InformationRequest:
    """Ask the citizen for information: a task on their case page, a letter (written by
    correspondence on cases.signals.information_requested; PDF after commit) and the case
    waits for them, its deadline paused."""
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Say what information you need."), code="empty")
    if due_date is None or due_date <= timezone.localdate():
        raise ValidationError(_("The answer date must be after today."), code="due_date")
    case = case_transition(
        case=case, to_status=Case.Status.AWAITING_INFORMATION, by=by, expected_version=expected_version,
        public_text=text, kind=CaseEvent.Kind.INFORMATION_REQUESTED, notify=False,  # the letter notifies
    )
    request = InformationRequest.objects.create(
        case=case, text=text, documents_requested=(documents_requested or "").strip(), due_date=due_date,
        requested_by=by,
    )
    signals.information_requested.send(sender=Case, case=case, information_request=request, by=by)
    return request


def information_request_letter_attach(*, information_request: InformationRequest, letter_id) -> None:
    """Record which letter carries the request (called by correspondence when it writes it)."""
    InformationRequest.objects.filter(pk=information_request.pk).update(letter_id=letter_id, updated_at=timezone.now())
    information_request.letter_id = letter_id


@transaction.atomic
def case_information_submit(
    *, information_request: InformationRequest, by: User, files: Iterable = (), comment: str = "",
) -> list[CaseDocument]:
    """The citizen answers a request: files (checked by content, stored under generated names)
    and/or a comment. The case goes back to review and its deadline runs again. Raises
    ValidationError naming the rule a file broke; then nothing is kept."""
    request = InformationRequest.objects.select_for_update().select_related("case").get(pk=information_request.pk)
    case = request.case
    _check_may_act(case=case, by=by, role=CITIZEN)
    if request.status != InformationRequest.Status.OPEN:
        raise ValidationError(_("This request has already been answered."), code="answered")
    files = [f for f in files if f]
    comment = (comment or "").strip()
    if not files and not comment:
        raise ValidationError(_("Choose at least one file to upload, or write a comment."), code="empty")
    rules = UploadRules(max_count=MAX_DOCUMENTS_PER_ANSWER)
    validated = [upload_validate(f, rules=rules, existing_count=i) for i, f in enumerate(files)]

    stored: list[str] = []
    try:
        documents = []
        for upload in validated:
            name = upload_store(upload=upload, prefix=f"cases/{case.pk}")
            stored.append(name)
            documents.append(CaseDocument.objects.create(
                case=case, information_request=request, file=name, original_name=upload.original_name,
                content_type=upload.content_type, size=upload.size, uploaded_by=by,
            ))
        request.status = InformationRequest.Status.ANSWERED
        request.answer_text = comment
        request.answered_at = timezone.now()
        request.answered_by = by
        request.save(update_fields=["status", "answer_text", "answered_at", "answered_by", "updated_at"])
        still_open = case.information_requests.filter(status=InformationRequest.Status.OPEN).exists()
        public_text = ngettext("%(count)d document received.", "%(count)d documents received.",
                               len(documents)) % {"count": len(documents)}
        if case.status == Case.Status.AWAITING_INFORMATION and not still_open:
            case_transition(case=case, to_status=Case.Status.UNDER_REVIEW, by=by, public_text=public_text,
                            kind=CaseEvent.Kind.INFORMATION_RECEIVED)
        else:
            CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.INFORMATION_RECEIVED, public=True,
                                     text=public_text, actor=by)
        signals.documents_received.send(sender=Case, case=case, information_request=request, documents=documents, by=by)
    except BaseException:
        # The files are not covered by the transaction: remove what was stored.
        for name in stored:
            upload_delete(stored_name=name)
        raise
    return documents


@transaction.atomic
def case_decide(
    *, case: Case, by: User, outcome: str, reasoning: str, legal_basis: str,
    expected_version: int | None = None, public_text: str | None = None, send_letter: bool = True,
) -> Decision:
    """The decision (vedtak): the case is decided with the outcome, and the citizen gets the
    decision with the appeal deadline and how to appeal: correspondence writes the decision
    letter on cases.signals.case_decided (PDF after commit). A service that writes its own
    letter (the kindergarten offer) passes `send_letter=False` and attaches it with
    decision_letter_attach(). `public_text` is the timeline line (default: the type's wording of
    the outcome). A case decided again (a type may allow it, e.g. a new offer) gets a new
    Decision; the latest one counts."""
    if outcome not in Decision.Outcome.values:
        raise ValidationError(_("Choose an outcome."), code="outcome")
    reasoning, legal_basis = (reasoning or "").strip(), (legal_basis or "").strip()
    if not reasoning:
        raise ValidationError(_("Give the reasons for the decision."), code="reasoning")
    if not legal_basis:
        raise ValidationError(_("Give the legal basis for the decision."), code="legal_basis")
    today = timezone.localdate()
    if public_text is None:
        with translation.override(_letter_language(case)):
            public_text = citizen_wording(application_type=case.application_type, status=Case.Status.DECIDED,
                                          outcome=outcome)
    case = case_transition(case=case, to_status=Case.Status.DECIDED, by=by, expected_version=expected_version,
                           public_text=public_text, kind=CaseEvent.Kind.DECISION, outcome=outcome,
                           notify=False)  # the letter notifies
    decision = Decision.objects.create(case=case, outcome=outcome, reasoning=reasoning, legal_basis=legal_basis,
                                       appeal_deadline=deadlines.appeal_deadline(decided=today), decided_by=by)
    signals.case_decided.send(sender=Case, case=case, decision=decision, by=by, send_letter=send_letter)
    return decision


def decision_letter_attach(*, decision: Decision, letter_id) -> None:
    """Record which letter carries the decision (the citizen's case page links to it)."""
    Decision.objects.filter(pk=decision.pk).update(letter_id=letter_id)
    decision.letter_id = letter_id


def case_close(*, case: Case, by: User | None, expected_version: int | None = None, internal_text: str = "") -> Case:
    return case_transition(case=case, to_status=Case.Status.CLOSED, by=by, expected_version=expected_version,
                           internal_text=internal_text)


def case_start_review(*, case: Case, by: User | None, expected_version: int | None = None, internal_text: str = "",
                      notify: bool = True) -> Case:
    return case_transition(case=case, to_status=Case.Status.UNDER_REVIEW, by=by, expected_version=expected_version,
                           internal_text=internal_text, notify=notify)


def case_reopen_on_appeal(*, case: Case, by: User, expected_version: int | None = None, internal_text: str = "") -> Case:
    """An appealed case is reviewed again (and gets a new deadline and, later, a new decision)."""
    if case.status != Case.Status.APPEALED:
        raise TransitionNotAllowed(case.status, Case.Status.UNDER_REVIEW, actor_role(by))
    return case_transition(case=case, to_status=Case.Status.UNDER_REVIEW, by=by, expected_version=expected_version,
                           public_text=_("Your appeal is being processed."), internal_text=internal_text)


@transaction.atomic
def case_withdraw(*, case: Case, by: User, reason: str = "") -> Case:
    """The citizen withdraws the application (only before a decision; the table says when).
    Open requests for information are cancelled."""
    case = case_transition(case=case, to_status=Case.Status.WITHDRAWN, by=by, public_text=(reason or "").strip())
    case.information_requests.filter(status=InformationRequest.Status.OPEN).update(
        status=InformationRequest.Status.CANCELLED, updated_at=timezone.now()
    )
    return case


def appeal_deadline_for(case: Case) -> datetime.date | None:
    """The last day to appeal the latest decision, or None if there is no decision."""
    decision = case.decisions.order_by("-created_at").first()
    return decision.appeal_deadline if decision else None


@transaction.atomic
def case_appeal(*, case: Case, by: User, text: str) -> Case:
    """The citizen appeals the decision, before the appeal deadline."""
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Explain why you appeal the decision."), code="empty")
    deadline = appeal_deadline_for(case)
    if deadline is None or timezone.localdate() > deadline:
        raise ValidationError(_("The deadline for appealing this decision has passed."), code="too_late")
    return case_transition(case=case, to_status=Case.Status.APPEALED, by=by, public_text=text)


def case_access_record(*, case: Case, user: User, channel: str = CaseAccessLog.Channel.ADMIN) -> CaseAccessLog:
    """Staff opened a citizen's case: who, when, which case (shown to the citizen)."""
    return CaseAccessLog.objects.create(case=case, user=user, channel=channel)


def information_requests_expire(*, today: datetime.date | None = None) -> int:
    """Requests whose due date has passed without an answer: marked expired, and a case that
    waits for nothing else goes back to review (its deadline runs again). One transaction per
    request; a case someone is changing right now is left for the next run. Returns how many
    requests expired."""
    today = today or timezone.localdate()
    expired = 0
    due = InformationRequest.objects.filter(status=InformationRequest.Status.OPEN, due_date__lt=today)
    for pk in due.values_list("pk", flat=True).iterator():
        with transaction.atomic():
            request = (InformationRequest.objects.select_for_update(skip_locked=True)
                       .filter(pk=pk, status=InformationRequest.Status.OPEN).select_related("case").first())
            if request is None:
                continue  # answered meanwhile, or another worker has it
            request.status = InformationRequest.Status.EXPIRED
            request.save(update_fields=["status", "updated_at"])
            case = request.case
            waits_for_more = case.information_requests.filter(status=InformationRequest.Status.OPEN).exists()
            if case.status == Case.Status.AWAITING_INFORMATION and not waits_for_more:
                with translation.override(_letter_language(case)):
                    text = _("No answer came by the due date. We continue processing with the information we have.")
                try:
                    case_transition(case=case, to_status=Case.Status.UNDER_REVIEW, by=None, public_text=text)
                except CaseChanged:
                    transaction.set_rollback(True)
                    continue
            expired += 1
    return expired


# --- Automated steps after submission (completeness check, eligibility rules) ----------------
# The check event records the outcome in its to_status: "under_review" when everything required
# passed and the system moved the case on (or the case's status when a caseworker had already
# moved it), "" when something needs a caseworker's attention. internal_text holds one line per
# check, marked passed/failed/note (staff only; cases.selectors.automated_check_results reads
# them); text is the short line the citizen reads.
def _check_line(result: CheckResult) -> str:
    mark = CHECK_PASSED if result.passed else (CHECK_FAILED if result.required else CHECK_NOTE)
    return f"{mark} {result.message}"


def case_has_automated_check(*, case: Case) -> bool:
    return case.events.filter(kind=CaseEvent.Kind.AUTOMATED_CHECK).exists()


def case_automated_check_record(*, case: Case, results: list[CheckResult], public_text: str) -> CaseEvent | None:
    """Record the automated checks of a case once: one AUTOMATED_CHECK event (internal: each
    check with its result, in the caseworkers' language; public: `public_text`, the short line
    for the citizen in theirs) and, when every required check passed and the case is still
    `received`, the move to `under_review` as the system (no notice: the receipt just went out).
    Otherwise the case stays where it is for a caseworker. Idempotent: a case with a check event
    is left alone (returns None), also when two workers race (the case row is locked)."""
    internal_text = "\n".join(_check_line(r) for r in results)
    complete = all(r.passed for r in results if r.required)
    with transaction.atomic():
        current = Case.objects.select_for_update().get(pk=case.pk)
        if case_has_automated_check(case=current):
            return None  # another worker was first
        if complete and current.status == Case.Status.RECEIVED and is_allowed(
                current.status, Case.Status.UNDER_REVIEW, SYSTEM, application_type=current.application_type):
            case_transition(case=current, to_status=Case.Status.UNDER_REVIEW, by=None, public_text=public_text,
                            internal_text=internal_text, kind=CaseEvent.Kind.AUTOMATED_CHECK, notify=False)
            event = current.events.filter(kind=CaseEvent.Kind.AUTOMATED_CHECK).get()
        else:
            event = CaseEvent.objects.create(
                case=current, kind=CaseEvent.Kind.AUTOMATED_CHECK, from_status=current.status,
                to_status=current.status if complete else "", public=True, text=public_text,
                internal_text=internal_text, actor=None)
    case.refresh_from_db()
    return event
