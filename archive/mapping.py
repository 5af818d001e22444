"""What the archive is told about a case and its documents: titles (and the public titles the
public journal shows), parties, the responsible unit and caseworker, status and screening.
One mapping for the live messages (archive.messages) and the deposit package (archive.deposit),
in the municipality's language."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import translation

from cases.models import Case, CaseEvent

from .models import ArchiveRecord, ArchiveScreening

CLOSED_STATUSES = (Case.Status.CLOSED, Case.Status.WITHDRAWN)


@dataclass(frozen=True)
class Screening:
    access_code: str  # Fiks Arkiv tilgangsrestriksjon code, e.g. "13"
    legal_basis: str  # skjermingshjemmel


def screening_for(*, application_type: str, rules: dict[str, ArchiveScreening] | None = None) -> Screening | None:
    """The case type's screening rule (or the rule for every type), None when public."""
    if rules is None:
        rules = {r.application_type: r for r in ArchiveScreening.objects.filter(application_type__in=[application_type, ""])}
    rule = rules.get(application_type) or rules.get("")
    if rule is None or not rule.restricted:
        return None
    return Screening(access_code=rule.access_code or "13", legal_basis=rule.legal_basis or "Offl. § 13")


@dataclass(frozen=True)
class Party:
    name: str
    national_id: str = ""  # only where the standard carries it (Fiks Arkiv personid/personID)
    organisation_number: str = ""


@dataclass(frozen=True)
class Correspondent:
    kind: str  # Fiks Arkiv korrespondanseparttype code: EA, EM, IA, IM
    party: Party
    unit: str = ""
    caseworker: str = ""


@dataclass
class CaseFileFacts:
    title: str
    public_title: str
    unit: str
    responsible: str
    status: str  # Fiks Arkiv saksstatus code: B (under behandling) or A (avsluttet)
    opened_at: datetime.datetime
    opened_by: str
    closed_at: datetime.datetime | None = None
    closed_by: str = ""
    parties: list[Party] = field(default_factory=list)
    screening: Screening | None = None


def _name(user) -> str:
    return (user.get_full_name() or user.email or str(user.pk)) if user else ""


def applicant_party(case: Case) -> Party:
    if case.organisation_id:
        return Party(name=case.organisation.name, organisation_number=case.organisation.organisation_number)
    return Party(name=_name(case.applicant), national_id=case.applicant.national_id or "")


def case_closing(case: Case) -> tuple[datetime.datetime | None, str]:
    """When and by whom the case was closed (the latest move to closed/withdrawn)."""
    if case.status not in CLOSED_STATUSES:
        return None, ""
    event = (CaseEvent.objects.filter(case=case, to_status__in=CLOSED_STATUSES).select_related("actor")
             .order_by("-created_at", "-pk").first())
    if event is None:
        return case.updated_at, ""
    return event.created_at, _name(event.actor)


def case_file_facts(case: Case, *, screening: Screening | None = None, closing=None) -> CaseFileFacts:
    closed_at, closed_by = closing if closing is not None else case_closing(case)
    with translation.override(settings.LANGUAGE_CODE):
        type_title = str(case.type.title) if case.type else case.application_type
        return CaseFileFacts(
            title=case.title, public_title=type_title if screening else case.title,
            unit=case.department.name, responsible=_name(case.assigned_to) or case.department.name,
            status="A" if case.status in CLOSED_STATUSES else "B",
            opened_at=case.received_at, opened_by=_name(case.applicant),
            closed_at=closed_at, closed_by=closed_by or case.department.name,
            parties=[applicant_party(case)], screening=screening,
        )


def entry_public_title(record: ArchiveRecord, *, screening: Screening | None) -> str:
    """A letter's title is written to be non-sensitive (it goes in notices); other titles may
    name a child, so a screened case shows what kind of document it is."""
    if screening is None or record.source == ArchiveRecord.Source.LETTER:
        return record.title
    with translation.override(settings.LANGUAGE_CODE):
        return f"{ArchiveRecord.Source(record.source).label} – {record.case.case_number}"


def correspondents(record: ArchiveRecord, *, sender_name: str = "") -> list[Correspondent]:
    """The registry entry's parties: the citizen (or organisation) as sender of what came in and
    recipient of what went out; the department (and caseworker) on the municipality's side."""
    case = record.case
    citizen = applicant_party(case)
    unit, caseworker = case.department.name, _name(case.assigned_to)
    us = Party(name=unit)
    if record.entry_type == ArchiveRecord.EntryType.INCOMING:
        return [Correspondent(kind="EA", party=citizen),
                Correspondent(kind="IM", party=us, unit=unit, caseworker=caseworker)]
    if record.entry_type == ArchiveRecord.EntryType.OUTGOING:
        return [Correspondent(kind="EM", party=citizen),
                Correspondent(kind="IA", party=Party(name=sender_name or unit), unit=unit, caseworker=sender_name or caseworker)]
    return [Correspondent(kind="IA", party=Party(name=sender_name or unit), unit=unit, caseworker=sender_name)]

