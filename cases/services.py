"""Case operations. Every change of status goes through case_transition() (see the
transition table in cases/transitions.py); case_create() is called by
applications.services.application_submit() inside its transaction.

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

from . import deadlines
from .models import Case, CaseAccessLog, CaseDocument, CaseEvent, CaseNumberSequence, Decision, InformationRequest
from .transitions import CASEWORKER, CITIZEN, SYSTEM, TransitionNotAllowed, citizen_wording, is_allowed

logger = logging.getLogger(__name__)

INFORMATION_REQUEST_TEMPLATE = "cases/pdf/information_request.html"
DECISION_TEMPLATE = "cases/pdf/decision.html"
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


def case_number_next(*, year: int) -> str:
    """The next case number for the year, `YYYY/N`. Must run inside a transaction: the
    year's sequence row is locked until commit, so concurrent submits never share a number."""
    sequence, _created = CaseNumberSequence.objects.select_for_update().get_or_create(year=year)
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    return f"{year}/{sequence.last_number}"


@transaction.atomic
def case_create(
    *, application_type: str, title: str, department: Department, applicant: User,
    organisation: Organisation | None = None, deadline: datetime.date | None = None,
    received_text: str = "",
) -> Case:
    """Register a new case with its first (public) timeline event, status `received`. Without
    an explicit deadline, the type's processing rule sets it (cases/deadlines.py)."""
    now = timezone.now()
    if deadline is None:
        deadline = deadlines.processing_deadline(application_type=application_type, received=timezone.localdate(now))
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
        fields["deadline"] = deadlines.processing_deadline(
            application_type=case.application_type, received=timezone.localdate(now)
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
    notify: bool = True,
) -> Case:
    """Move the case to `to_status`, if the transition table allows it for this actor.

    `expected_version` is the version the actor saw (default: the one loaded in `case`).
    Writes one timeline event (public: the citizen sees the status change and `public_text`;
    `internal_text` is for staff only) and an outbox notification for the applicant, delivered
    after commit (`notify=False` when a letter sent in the same transaction carries the news,
    so the citizen gets one notice, not two). Raises TransitionNotAllowed, CaseChanged or
    PermissionDenied."""
    role = actor_role(by)
    expected = case.version if expected_version is None else expected_version
    current = Case.objects.get(pk=case.pk)
    if current.version != expected:
        raise CaseChanged(current)
    if not is_allowed(current.status, to_status, role):
        raise TransitionNotAllowed(current.status, to_status, role)
    _check_may_act(case=current, by=by, role=role)

    now = timezone.now()
    fields = {"status": to_status, **_deadline_fields(case=current, to_status=to_status, now=now)}
    new_version = _conditional_update(case=current, expected_version=expected, **fields)

    CaseEvent.objects.create(
        case=current, kind=kind, from_status=current.status, to_status=to_status, public=True,
        text=public_text, internal_text=internal_text, actor=by,
    )
    if notify:
        _notify_status_changed(case=current, to_status=to_status, version=new_version)
    case.refresh_from_db()
    return case


def _notify_status_changed(*, case: Case, to_status: str, version: int) -> None:
    from notifications.services import notification_create

    notification_create(
        recipient=case.applicant, template="case_status_changed", case=case,
        # One notice per version of the case: a retried request creates nothing twice.
        idempotency_key=f"case:{case.pk}:v{version}",
        context={"case_id": str(case.pk), "case_number": case.case_number, "title": case.title,
                 "application_type": case.application_type, "status": to_status},
    )


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
    return CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.NOTE, public=False, internal_text=text, actor=by)


def _letter_language(case: Case) -> str:
    return case.applicant.preferred_language or "nb"


@transaction.atomic
def case_request_information(
    *, case: Case, by: User, text: str, documents_requested: str, due_date: datetime.date,
    expected_version: int | None = None,
) -> InformationRequest:
    """Ask the citizen for information: a task on their case page, a letter (PDF after
    commit) and the case waits for them, its deadline paused."""
    from correspondence.models import Letter
    from correspondence.services import letter_create

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
    language = _letter_language(case)
    with translation.override(language):
        title = _("Request for information in case %(number)s") % {"number": case.case_number}
    request.letter = letter_create(
        recipient=case.applicant, kind=Letter.Kind.INFORMATION_REQUEST, title=title,
        template=INFORMATION_REQUEST_TEMPLATE, case=case, organisation=case.organisation, language=language,
        needs_notice=True, created_by=by,
        context={"case_number": case.case_number, "case_title": case.title,
                 "applicant_name": case.applicant.get_full_name(), "text": text,
                 "documents_requested": request.documents_requested, "due_date": due_date.isoformat(),
                 "caseworker_name": by.get_full_name(), "department": case.department.name},
    )
    request.save(update_fields=["letter", "updated_at"])
    return request


@transaction.atomic
def case_information_submit(
    *, information_request: InformationRequest, by: User, files: Iterable = (), comment: str = "",
) -> list[CaseDocument]:
    """The citizen answers a request: files (checked by content, stored under generated names)
    and/or a comment. The case goes back to review and its deadline runs again. Raises
    ValidationError naming the rule a file broke; then nothing is kept."""
    from core.uploads import UploadRules, upload_delete, upload_store, upload_validate

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
    except BaseException:
        # The files are not covered by the transaction: remove what was stored.
        for name in stored:
            upload_delete(stored_name=name)
        raise
    return documents


@transaction.atomic
def case_decide(
    *, case: Case, by: User, outcome: str, reasoning: str, legal_basis: str,
    expected_version: int | None = None,
) -> Decision:
    """The decision (vedtak): the case is decided, and a decision letter with the appeal
    deadline and how to appeal goes to the citizen (PDF after commit)."""
    from correspondence.models import Letter
    from correspondence.services import letter_create

    if outcome not in Decision.Outcome.values:
        raise ValidationError(_("Choose an outcome."), code="outcome")
    reasoning, legal_basis = (reasoning or "").strip(), (legal_basis or "").strip()
    if not reasoning:
        raise ValidationError(_("Give the reasons for the decision."), code="reasoning")
    if not legal_basis:
        raise ValidationError(_("Give the legal basis for the decision."), code="legal_basis")
    today = timezone.localdate()
    appeal_deadline = deadlines.appeal_deadline(decided=today)
    language = _letter_language(case)
    with translation.override(language):
        public_text = citizen_wording(application_type=case.application_type, status=Case.Status.DECIDED, outcome=outcome)
        title = _("Decision in case %(number)s") % {"number": case.case_number}
    case = case_transition(case=case, to_status=Case.Status.DECIDED, by=by, expected_version=expected_version,
                           public_text=public_text, kind=CaseEvent.Kind.DECISION, notify=False)  # the letter notifies
    decision = Decision.objects.create(case=case, outcome=outcome, reasoning=reasoning, legal_basis=legal_basis,
                                       appeal_deadline=appeal_deadline, decided_by=by)
    Case.objects.filter(pk=case.pk).update(outcome=outcome)  # same transaction as the version bump
    case.outcome = outcome
    decision.letter = letter_create(
        recipient=case.applicant, kind=Letter.Kind.DECISION, title=title, template=DECISION_TEMPLATE,
        case=case, organisation=case.organisation, language=language, needs_notice=True, created_by=by,
        context={"case_number": case.case_number, "case_title": case.title,
                 "application_type": case.application_type,
                 "applicant_name": case.applicant.get_full_name(), "outcome": outcome,
                 "reasoning": reasoning, "legal_basis": legal_basis, "decided_on": today.isoformat(),
                 "appeal_deadline": appeal_deadline.isoformat(), "caseworker_name": by.get_full_name(),
                 "department": case.department.name},
    )
    decision.save(update_fields=["letter"])
    return decision


def case_close(*, case: Case, by: User | None, expected_version: int | None = None, internal_text: str = "") -> Case:
    return case_transition(case=case, to_status=Case.Status.CLOSED, by=by, expected_version=expected_version,
                           internal_text=internal_text)


def case_start_review(*, case: Case, by: User | None, expected_version: int | None = None, internal_text: str = "") -> Case:
    return case_transition(case=case, to_status=Case.Status.UNDER_REVIEW, by=by, expected_version=expected_version,
                           internal_text=internal_text)


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
# check, marked passed/failed/note (staff only); text is the short line the citizen reads.
CHECK_PASSED, CHECK_FAILED, CHECK_NOTE = "✓", "✗", "•"
DEFAULT_AUTOMATED_CHECK_SWEEP_MINUTES = 10


def _check_line(result) -> str:
    mark = CHECK_PASSED if result.passed else (CHECK_FAILED if result.required else CHECK_NOTE)
    return f"{mark} {result.message}"


def case_run_automated_checks(*, case: Case) -> CaseEvent | None:
    """Run the application type's automated checks on a submitted application's case, once.

    Writes one AUTOMATED_CHECK event (internal: each check with its result; public: a short
    line for the citizen) and, when every required check passed and the case is still
    `received`, moves it to `under_review` as the system (through case_transition; no notice:
    the receipt just went out). Otherwise the case stays where it is for a caseworker.
    Idempotent: a case with a check event is left alone (returns None), also when two workers
    race (the case row is locked while writing). Returns None for a case without an application.
    The type's checks may call the registers, so they run before the transaction; a register
    that does not answer raises RegisterUnavailable and nothing is written (retried later)."""
    from django.conf import settings

    from applications.models import Application

    if case.events.filter(kind=CaseEvent.Kind.AUTOMATED_CHECK).exists():
        return None
    application = Application.objects.filter(case=case).first()
    app_type = application.app_type if application else None
    if app_type is None:
        return None
    with translation.override(settings.LANGUAGE_CODE):  # the caseworkers' language
        results = app_type.automated_checks(application)
        internal_text = "\n".join(_check_line(r) for r in results)
    complete = all(r.passed for r in results if r.required)
    citizen_language = _letter_language(case)
    with translation.override(citizen_language):
        if not complete and citizen_language != settings.LANGUAGE_CODE:
            results = app_type.automated_checks(application)  # the citizen's messages in their language
        if complete:
            public_text = _("Your application is complete and has been sent to a caseworker.")
        else:
            lines = [r.citizen_message for r in results if r.required and not r.passed and r.citizen_message]
            public_text = "\n".join([_("A caseworker will go through your application. We will contact you if "
                                       "we need anything from you."), *lines])

    with transaction.atomic():
        current = Case.objects.select_for_update().get(pk=case.pk)
        if current.events.filter(kind=CaseEvent.Kind.AUTOMATED_CHECK).exists():
            return None  # another worker was first
        if complete and current.status == Case.Status.RECEIVED and is_allowed(current.status, Case.Status.UNDER_REVIEW, SYSTEM):
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


def automated_check_results(event: CaseEvent | None) -> list[dict]:
    """The check lines of an AUTOMATED_CHECK event, for the caseworker's page:
    [{"state": "passed"|"failed"|"note", "message": ...}]."""
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


def automated_checks_sweep(*, older_than_minutes: int | None = None, limit: int = 200) -> int:
    """Cases still `received` that have an application but no check event, received more than
    N minutes ago (the task after submit was lost: broker down, worker killed): run their
    checks now. A register that does not answer stops the run (the next run tries again).
    Returns how many cases got a check event."""
    from django.conf import settings
    from django.db.models import Exists, OuterRef

    from registers.population import RegisterUnavailable

    minutes = older_than_minutes if older_than_minutes is not None else getattr(
        settings, "CASES_AUTOMATED_CHECK_SWEEP_MINUTES", DEFAULT_AUTOMATED_CHECK_SWEEP_MINUTES)
    cutoff = timezone.now() - datetime.timedelta(minutes=minutes)
    checked = CaseEvent.objects.filter(case=OuterRef("pk"), kind=CaseEvent.Kind.AUTOMATED_CHECK)
    pending = (Case.objects.filter(status=Case.Status.RECEIVED, received_at__lt=cutoff, application__isnull=False)
               .exclude(Exists(checked)).order_by("received_at")[:limit])
    done = 0
    for case in pending:
        try:
            if case_run_automated_checks(case=case) is not None:
                done += 1
        except RegisterUnavailable as error:
            logger.warning("Automated checks paused: a register does not answer (%s)", error)
            break
        except Exception:
            logger.exception("Automated checks failed for case %s", case.case_number)
    return done
