"""Application operations: start a draft, save a step, attach and remove files, submit
(draft -> case), run the automated checks after submit, delete drafts (by the applicant, or
when they expire)."""

from __future__ import annotations

import datetime
import logging
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import Department, User
from accounts.selectors import Party
from accounts.tenancy import working_municipality_id
from cases.models import Case, CaseEvent
from cases.services import case_automated_check_record, case_create, case_has_automated_check
from core.uploads import UploadRules, upload_delete, upload_store, upload_validate
from correspondence.services import letter_create
from notifications.services import notification_create
from registers.population import RegisterUnavailable
from registers.snapshot import register_snapshot

from . import signals, tasks
from .models import Application, ApplicationTypeConfig, Attachment
from .types import ApplicationType, Problem, get_type

logger = logging.getLogger(__name__)
RECEIPT_TEMPLATE = "applications/pdf/receipt.html"


class ApplicationNotEditable(Exception):
    """The application is submitted: it can no longer change."""


class ApplicationIncomplete(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s)")


def type_config(*, type_key: str, municipality_id: int) -> ApplicationTypeConfig:
    """The municipality's settings for a service (made with the defaults on first use)."""
    config, _created = ApplicationTypeConfig.objects.get_or_create(type_key=type_key, municipality_id=municipality_id)
    return config


def upload_rules_for(*, application: Application) -> UploadRules:
    config = type_config(type_key=application.type_key, municipality_id=application.municipality_id)
    return UploadRules(max_size=config.max_attachment_mb * 1024 * 1024, max_count=config.max_attachments)


def application_start(*, type_key: str, party: Party, municipality=None) -> Application:
    """A new draft of the type, to `municipality` (the host's), for the person or the
    organisation they act for. The municipality must offer the type."""
    app_type = get_type(type_key)
    municipality_id = working_municipality_id(municipality)
    config = ApplicationTypeConfig.objects.filter(type_key=type_key, municipality_id=municipality_id).first()
    if app_type is None or (config is not None and not config.enabled):
        raise PermissionDenied("This application type is not offered.")
    if party.is_organisation and not app_type.organisations_may_apply:
        raise PermissionDenied("Organisations cannot apply for this.")
    if not party.is_organisation and not app_type.persons_may_apply:
        raise PermissionDenied("Only organisations can apply for this.")
    return Application.objects.create(municipality_id=municipality_id, type_key=type_key, applicant=party.person,
                                      organisation=party.organisation)


def _editable(application: Application) -> None:
    if not application.is_draft:
        raise ApplicationNotEditable()


def application_save_step(*, application: Application, step: str, data: dict) -> Application:
    """Keep what was typed on a step, valid or not (nothing typed is lost); touching the draft
    also pushes its deletion date out."""
    _editable(application)
    application.data = {**application.data, step: data}
    application.save(update_fields=["data", "updated_at"])
    return application


def attachment_add(*, application: Application, kind: str, file) -> Attachment:
    """Check the file (content type, size, count) and store it under a generated name.
    Raises ValidationError naming the rule broken."""
    _editable(application)
    app_type = application.app_type
    if kind not in {slot.kind for step in app_type.steps for slot in step.attachments}:
        raise ValidationError(_("Unknown kind of attachment."), code="unknown_kind")
    upload = upload_validate(file, rules=upload_rules_for(application=application),
                             existing_count=application.attachments.count())
    stored_name = upload_store(upload=upload, prefix=f"applications/{application.pk}")
    try:
        attachment = Attachment.objects.create(
            application=application, kind=kind, original_name=upload.original_name, stored_name=stored_name,
            content_type=upload.content_type, size=upload.size)
    except Exception:
        upload_delete(stored_name=stored_name)
        raise
    application.save(update_fields=["updated_at"])
    return attachment


def attachment_delete(*, attachment: Attachment) -> None:
    _editable(attachment.application)
    stored_name = attachment.stored_name
    attachment.delete()
    transaction.on_commit(lambda: upload_delete(stored_name=stored_name))


def application_delete(*, application: Application) -> None:
    """Delete a draft and its files (files after commit, so a rollback keeps them)."""
    _editable(application)
    stored = list(application.attachments.values_list("stored_name", flat=True))
    # In this transaction: statistics keep the abandoned draft in the completion rate.
    signals.draft_deleted.send(sender=Application, type_key=application.type_key, started_at=application.created_at,
                               municipality_id=application.municipality_id)
    application.delete()
    transaction.on_commit(lambda: [upload_delete(stored_name=name) for name in stored])


def application_validate(*, application: Application) -> list[Problem]:
    """Everything that stops a submit, step by step: invalid or missing input, required
    attachments missing. Calls the registers (property), so never inside a transaction."""
    app_type: ApplicationType = application.app_type
    problems: list[Problem] = []
    kinds = set(application.attachments.values_list("kind", flat=True))
    for step in app_type.steps:
        form = app_type.bound_form(step=step, application=application)
        if step.name not in application.data and form.fields:
            problems.append(Problem(step.name, _("%(step)s: not filled in yet.") % {"step": step.title}))
            continue
        if not form.is_valid():
            for field, errors in form.errors.items():
                label = form.fields[field].label if field in form.fields else step.title
                for error in errors:
                    problems.append(Problem(step.name, f"{label}: {error}"))
            continue
        problems += [Problem(step.name, message) for message in
                     step_missing_attachments(step=step, cleaned=form.cleaned_data, attached_kinds=kinds).values()]
    return problems


def step_missing_attachments(*, step, cleaned: dict | None, attached_kinds: set[str]) -> dict[str, str]:
    """The attachment slots the step's answers make required that have no file yet:
    {kind: what to do}. The one rule for the step page and for submit."""
    return {slot.kind: _("%(label)s: attach at least one file.") % {"label": slot.label}
            for slot in step.attachments if slot.is_required(cleaned) and slot.kind not in attached_kinds}


def application_submit(*, application: Application, by: User) -> Case:
    """Validate the whole draft, then in one transaction: the case (with its first timeline
    event and the type's facts frozen on it), the receipt letter and the "received"
    notification. Register answers are fetched once for all of it (a register snapshot).
    Idempotent: submitting again (double click, retried request, two tabs) returns the same
    case."""
    if application.case_id:
        return application.case
    with register_snapshot():
        return _submit(application=application, by=by)


def _submit(*, application: Application, by: User) -> Case:
    problems = application_validate(application=application)
    if problems:
        raise ApplicationIncomplete(problems)
    from .selectors import application_summary  # selectors read this module's errors: imported here

    app_type = application.app_type
    language = by.preferred_language or translation.get_language() or settings.LANGUAGE_CODE
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    with translation.override(language):
        summary = [s.as_dict() for s in application_summary(application=application)]
        title = app_type.case_title(application=application)
        type_title = str(app_type.title)
        next_text = app_type.what_happens_next(application=application)
        facts = app_type.receipt_facts(application=application)
    case_facts = app_type.case_facts(application=application)
    # The municipality's department for the service; one is made the first time a municipality
    # gets an application of this kind, so a new municipality takes submissions at once.
    department, _created = Department.objects.get_or_create(
        municipality_id=application.municipality_id, code=app_type.department_code,
        defaults={"name": app_type.department_name or str(app_type.title)})

    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if locked.case_id:
            # The other request won: same case, nothing created twice.
            return Case.objects.get(pk=locked.case_id)
        now = timezone.now()
        # The person who submits is the applicant (for an organisation's draft, that may be
        # another representative than the one who started it); they get the receipt.
        applicant = by if locked.organisation_id else locked.applicant
        case = case_create(
            application_type=app_type.key, title=title, department=department, applicant=applicant,
            organisation=locked.organisation, facts=case_facts,
        )
        # In this transaction: the archive journals the application (after commit, in a worker).
        signals.application_submitted.send(sender=Application, case=case, application=locked)
        with translation.override(language):
            letter_title = _("Receipt for your application, case %(number)s") % {"number": case.case_number}
            # Dates as the reader reads them: the context is JSON and rendered later by a worker.
            received_display = date_format(timezone.localtime(now), "DATETIME_FORMAT")
            deadline_display = date_format(case.deadline, "DATE_FORMAT") if case.deadline else ""
        letter = letter_create(
            recipient=applicant, kind="receipt", title=letter_title, template=RECEIPT_TEMPLATE,
            context={"case_number": case.case_number, "type_title": type_title, "case_title": title,
                     "applicant_name": applicant.get_full_name(),
                     "organisation_name": locked.organisation.name if locked.organisation else "",
                     "received": now.isoformat(), "deadline": case.deadline.isoformat() if case.deadline else "",
                     "received_display": received_display, "deadline_display": deadline_display,
                     "summary": summary, "what_happens_next": next_text, **facts},
            case=case, organisation=locked.organisation, language=language, created_by=by,
        )
        notification_create(
            recipient=applicant, template="case_received", idempotency_key=f"case-received-{case.pk}",
            context={"case_number": case.case_number, "type_title": type_title}, case=case, letter=letter,
        )
        locked.status = Application.Status.SUBMITTED
        locked.case = case
        locked.submitted_at = now
        locked.submitted_summary = summary
        locked.language = language
        locked.save(update_fields=["status", "case", "submitted_at", "submitted_summary", "language", "updated_at"])
        transaction.on_commit(partial(tasks.automated_checks_enqueue, case_id=case.pk))  # completeness, eligibility
    application.refresh_from_db()
    return case


def application_delete_expired_drafts(*, now: datetime.datetime | None = None) -> int:
    """Delete drafts untouched for APPLICATION_DRAFT_DAYS days, with their files."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.APPLICATION_DRAFT_DAYS)
    deleted = 0
    for application in Application.objects.filter(status=Application.Status.DRAFT, updated_at__lt=cutoff).iterator():
        with transaction.atomic():
            application_delete(application=application)
        deleted += 1
    if deleted:
        logger.info("Deleted %d expired application drafts", deleted)
    return deleted


# --- Automated steps after submission (completeness, eligibility) -----------------------------

def application_run_automated_checks(*, case_id) -> CaseEvent | None:
    """Run the type's automated checks on a submitted application's case, once, and record
    them on the case (cases.services.case_automated_check_record: a complete application goes
    straight to review). The checks are written in the caseworkers' language, the line for the
    citizen in theirs. Idempotent: a case already checked, or without an application, gives
    None. The checks may call the registers (once each: a register snapshot), so they run
    before any transaction; a register that does not answer raises RegisterUnavailable and
    nothing is written (retried later)."""
    application = (Application.objects.filter(case_id=case_id).select_related("case__applicant", "applicant")
                   .first())
    if application is None or application.app_type is None or case_has_automated_check(case=application.case):
        return None
    case, app_type = application.case, application.app_type
    with register_snapshot():
        with translation.override(settings.LANGUAGE_CODE):  # the caseworkers' language
            results = app_type.automated_checks(application)
        complete = all(r.passed for r in results if r.required)
        citizen_language = case.applicant.preferred_language or settings.LANGUAGE_CODE
        with translation.override(citizen_language):
            if complete:
                public_text = _("Your application is complete and has been sent to a caseworker.")
            else:
                if citizen_language != settings.LANGUAGE_CODE:
                    citizen_results = app_type.automated_checks(application)  # their messages in their language
                else:
                    citizen_results = results
                lines = [r.citizen_message for r in citizen_results
                         if r.required and not r.passed and r.citizen_message]
                public_text = "\n".join([_("A caseworker will go through your application. We will contact you "
                                           "if we need anything from you."), *lines])
    return case_automated_check_record(case=case, results=results, public_text=public_text)


DEFAULT_AUTOMATED_CHECK_SWEEP_MINUTES = 10


def automated_checks_sweep(*, older_than_minutes: int | None = None, limit: int = 200) -> int:
    """Submitted applications whose case is still `received` without a check event, received
    more than N minutes ago (the task after submit was lost: broker down, worker killed): run
    their checks now. A register that does not answer stops the run (the next run tries
    again). Returns how many cases got a check event."""
    minutes = older_than_minutes if older_than_minutes is not None else getattr(
        settings, "CASES_AUTOMATED_CHECK_SWEEP_MINUTES", DEFAULT_AUTOMATED_CHECK_SWEEP_MINUTES)
    cutoff = timezone.now() - datetime.timedelta(minutes=minutes)
    checked = CaseEvent.objects.filter(case=OuterRef("case"), kind=CaseEvent.Kind.AUTOMATED_CHECK)
    pending = (Application.objects.filter(status=Application.Status.SUBMITTED, case__status=Case.Status.RECEIVED,
                                          case__received_at__lt=cutoff)
               .exclude(Exists(checked)).order_by("case__received_at").values_list("case_id", flat=True)[:limit])
    done = 0
    for case_id in list(pending):
        try:
            if application_run_automated_checks(case_id=case_id) is not None:
                done += 1
        except RegisterUnavailable as error:
            logger.warning("Automated checks paused: a register does not answer (%s)", error)
            break
        except Exception:
            logger.exception("Automated checks failed for case %s", case_id)
    return done
