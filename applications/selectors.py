"""Reads: which applications a party may see (a miss is a 404), the catalogue, the summary
of what was entered or submitted, and what Min Side shows."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from accounts.models import User
from accounts.selectors import Party
from cases.models import Case
from correspondence.models import Letter

from .models import Application, ApplicationTypeConfig, Attachment
from .types import SummarySection, all_types, attachment_dict, get_type


def applications_for_party(*, party: Party) -> QuerySet[Application]:
    """A person's own applications, or — when acting for an organisation — the organisation's
    (made by any of its representatives)."""
    if party.is_organisation:
        return Application.objects.filter(organisation=party.organisation)
    return Application.objects.filter(applicant=party.person, organisation__isnull=True)


def drafts_for_party(*, party: Party) -> QuerySet[Application]:
    return applications_for_party(party=party).filter(status=Application.Status.DRAFT).order_by("-updated_at")


def cases_for_party(*, party: Party) -> QuerySet[Case]:
    """Submitted cases for Min Side, newest first, each with its receipt letter prefetched."""
    if party.is_organisation:
        cases = Case.objects.filter(organisation=party.organisation)
    else:
        cases = Case.objects.filter(applicant=party.person, organisation__isnull=True)
    receipts = Letter.objects.filter(kind=Letter.Kind.RECEIPT).order_by("created_at")
    return cases.order_by("-received_at").prefetch_related(Prefetch("letters", queryset=receipts, to_attr="receipts"))


def attachment_for_user(*, user: User, party: Party | None, pk) -> Attachment:
    """An attachment the user may download: the applicant's party, or a caseworker in the
    department of the application's case. Raises Attachment.DoesNotExist otherwise."""
    attachment = Attachment.objects.select_related("application__case").get(pk=pk)
    application = attachment.application
    if party is not None and applications_for_party(party=party).filter(pk=application.pk).exists():
        return attachment
    if user.is_staff and application.case_id and (
        user.is_superuser or user.departments.filter(pk=application.case.department_id).exists()
    ):
        return attachment
    raise Attachment.DoesNotExist()


def offered_types() -> list[dict]:
    """The catalogue: types switched on in the admin (or not configured yet), with their
    texts; the admin's texts win over the type's own."""
    configs = {c.type_key: c for c in ApplicationTypeConfig.objects.all()}
    offered = []
    for app_type in all_types():
        config = configs.get(app_type.key)
        if config is not None and not config.enabled:
            continue
        offered.append({
            "type": app_type, "key": app_type.key, "title": app_type.title, "summary": app_type.summary_text,
            "who_may_apply": (config and config.who_may_apply) or app_type.who_may_apply,
            "what_you_need": (config and config.what_you_need) or app_type.what_you_need,
            "processing_time": (config and config.processing_time) or app_type.processing_time,
            "position": config.position if config else 0,
        })
    return sorted(offered, key=lambda t: (t["position"], str(t["title"])))


def application_summary(*, application: Application) -> list[SummarySection]:
    """What is entered now, step by step, as the summary page and the receipt show it."""
    app_type = application.app_type
    attachments = list(application.attachments.all())
    sections = []
    for step in app_type.steps:
        labels = {slot.kind: slot.label for slot in step.attachments}
        files = [attachment_dict(a, labels) for a in attachments if a.kind in labels]
        form = app_type.bound_form(step=step, application=application)
        if step.name in application.data and form.is_valid():
            rows, complete = form.summary_rows(), True
        else:
            rows, complete = [], not form.fields and step.name in application.data
        sections.append(SummarySection(step=step.name, title=str(step.title), rows=rows, attachments=files,
                                       complete=complete))
    return sections


def application_summary_for_case(*, case: Case) -> list[SummarySection]:
    """What was submitted for the case, as the applicant confirmed it (frozen at submit).
    Empty for a case that did not come from an application."""
    application = Application.objects.filter(case=case).only("submitted_summary").first()
    if application is None:
        return []
    return [SummarySection.from_dict(s) for s in application.submitted_summary]


def attachments_for_case(*, case: Case) -> QuerySet[Attachment]:
    """The files submitted with the case's application (download:
    applications:attachment-download, which checks who may see it)."""
    return Attachment.objects.filter(application__case=case).order_by("created_at", "pk")


def attachment_kind_label(*, attachment: Attachment) -> str:
    app_type = get_type(attachment.application.type_key)
    for step in app_type.steps if app_type else []:
        for slot in step.attachments:
            if slot.kind == attachment.kind:
                return str(slot.label)
    return attachment.kind
