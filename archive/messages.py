"""The arkivmelding we send (KS Fiks Arkiv V1): one case file or one registry entry per create
message (the protocol's rule: one record per message), or an update of a case file. Elements,
order and code values follow the specification (ks-no/fiks-arkiv-specification, Schema/V1:
`no.ks.fiks.arkiv.v1.arkivering.arkivmelding.opprett.xsd` / `.oppdater.xsd`, code lists in
`Schema/V1/kodelister/`): code-typed fields are `<x><n5mdk:kode>…</n5mdk:kode></x>`, subtypes
are chosen with xsi:type. Every record carries our external key (referanseEksternNoekkel), and a
registry entry refers to its case file by that key."""

from __future__ import annotations

import datetime
import hashlib

from django.utils import timezone
from lxml import etree

from cases.models import Case, CaseEvent
from correspondence.models import Letter, Message
from registers.archive import NS_MDK, NS_OPPDATER, NS_OPPRETT, NS_XSI, OPPDATER, OPPRETT, OutgoingMessage

from .conf import archive_identity
from .documents import record_documents
from .mapping import Screening, case_file_facts, correspondents, entry_public_title, screening_for
from .models import ArchiveMessage, ArchiveRecord

A, M = NS_OPPRETT, NS_MDK


def _el(parent, name: str, text=None, ns: str = A, **attrs):
    element = etree.SubElement(parent, f"{{{ns}}}{name}", {k.replace("xsi_", f"{{{NS_XSI}}}"): v for k, v in attrs.items()})
    if text is not None:
        element.text = text if isinstance(text, str) else str(text)
    return element


def _code(parent, name: str, code: str, ns: str = A, description: str = ""):
    element = _el(parent, name, ns=ns)
    _el(element, "kode", code, ns=M)
    if description:
        _el(element, "beskrivelse", description, ns=M)
    return element


def _external_key(parent, system: str, key: str, ns: str = A, name: str = "referanseEksternNoekkel"):
    element = _el(parent, name, ns=ns)
    _el(element, "fagsystem", system, ns=M)
    _el(element, "noekkel", key, ns=M)
    return element


def _dt(value: datetime.datetime) -> str:
    return timezone.localtime(value).isoformat(timespec="seconds")


def _date(value: datetime.datetime) -> str:
    return timezone.localdate(value).isoformat()


def _screening(parent, screening: Screening | None, ns: str = A) -> None:
    if screening is not None:
        element = _el(parent, "skjerming", ns=ns)
        _code(element, "tilgangsrestriksjon", screening.access_code, ns=ns)
        _el(element, "skjermingshjemmel", screening.legal_basis, ns=ns)


def _root(count: int):
    identity = archive_identity()
    root = etree.Element(f"{{{A}}}arkivmelding", nsmap={None: A, "n5mdk": M, "xsi": NS_XSI})
    _el(root, "system", identity.system)
    _el(root, "antallFiler", count)
    return root, identity


def case_file_message(record: ArchiveRecord, message: ArchiveMessage) -> OutgoingMessage:
    case = Case.objects.select_related("department", "applicant", "organisation", "assigned_to").get(pk=record.case_id)
    facts = case_file_facts(case, screening=screening_for(application_type=case.application_type))
    root, identity = _root(0)
    folder = _el(root, "mappe", xsi_type="saksmappe")
    _el(folder, "tittel", facts.title)
    _el(folder, "offentligTittel", facts.public_title)
    _code(folder, "dokumentmedium", "E", description="Elektronisk arkiv")
    _el(folder, "opprettetDato", _dt(facts.opened_at))
    _el(folder, "opprettetAv", facts.opened_by)
    if facts.closed_at:
        _el(folder, "avsluttetDato", _dt(facts.closed_at))
        _el(folder, "avsluttetAv", facts.closed_by)
    _code(folder, "arkivdel", identity.series_code)
    for party in facts.parties:
        element = _el(folder, "part")
        _el(element, "partNavn", party.name)
        if party.organisation_number:
            org = _el(element, "organisasjonID")
            _el(org, "identifikator", party.organisation_number)
            _el(org, "landkode", "NO")
        elif party.national_id:
            person = _el(element, "personID")
            _el(person, "landkode", "NO")
            _el(person, "identifikator", party.national_id)
    _screening(folder, facts.screening)
    _external_key(folder, identity.system, record.external_key)
    _el(folder, "saksdato", _date(case.received_at))
    _el(folder, "administrativEnhet", facts.unit)
    _el(folder, "saksansvarlig", facts.responsible)
    if identity.registry_unit:
        _el(folder, "journalenhet", identity.registry_unit)
    _code(folder, "saksstatus", facts.status)
    return OutgoingMessage(message_id=str(message.pk), message_type=OPPRETT,
                           payload=etree.tostring(root, xml_declaration=True, encoding="utf-8"))


def _sender_name(record: ArchiveRecord) -> str:
    """The caseworker who wrote what went out (the letter's author, the message's sender)."""
    user = None
    if record.source == ArchiveRecord.Source.LETTER:
        user = Letter.objects.filter(pk=record.source_id).values_list("created_by__first_name", "created_by__last_name",
                                                                       "created_by__is_staff").first()
    elif record.source == ArchiveRecord.Source.MESSAGE:
        user = Message.objects.filter(pk=record.source_id).values_list("sender__first_name", "sender__last_name",
                                                                        "sender__is_staff").first()
    elif record.source == ArchiveRecord.Source.NOTE:
        user = CaseEvent.objects.filter(pk=record.source_id).values_list("actor__first_name", "actor__last_name",
                                                                          "actor__is_staff").first()
    if user and user[2]:
        return " ".join(part for part in user[:2] if part)
    return ""


def registry_entry_message(record: ArchiveRecord, message: ArchiveMessage) -> OutgoingMessage:
    record = ArchiveRecord.objects.select_related(
        "case__department", "case__applicant", "case__organisation", "case__assigned_to", "case_file").get(pk=record.pk)
    case = record.case
    screening = screening_for(application_type=case.application_type)
    documents = record_documents(record=record)
    files: dict[str, bytes] = {}
    root, identity = _root(0)
    entry = _el(root, "registrering", xsi_type="journalpost")
    _el(entry, "opprettetDato", _dt(record.created_at))
    _el(entry, "opprettetAv", identity.system)
    parent = _el(entry, "referanseForelderMappe")
    _external_key(parent, identity.system, record.case_file.external_key, ns=M)
    _screening(entry, screening)
    for document in documents:
        described = _el(entry, "dokumentbeskrivelse")
        _code(described, "dokumenttype", document.document_type)
        _code(described, "dokumentstatus", "F", description="Dokumentet er ferdigstilt")
        _el(described, "tittel", document.title)
        _el(described, "opprettetDato", _dt(document.created_at))
        _code(described, "tilknyttetRegistreringSom", document.role)
        _el(described, "dokumentnummer", document.number)
        _el(described, "tilknyttetDato", _dt(document.created_at))
        _screening(described, screening)
        variants = [("A", "RA-PDF", "application/pdf", f"{document.number}-arkiv.pdf", document.file.name, document.title)]
        if document.original_file:
            extension = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg"}.get(document.original_content_type, "bin")
            variants.append(("P", extension.upper(), document.original_content_type,
                             f"{document.number}-produksjon.{extension}", document.original_file, document.original_name))
        for variant, file_format, mime, reference, stored_name, filename in variants:
            with document.file.storage.open(stored_name, "rb") as fh:
                content = fh.read()
            files[reference] = content
            obj = _el(described, "dokumentobjekt")
            _el(obj, "versjonsnummer", 1)
            _code(obj, "variantformat", variant)
            _code(obj, "format", file_format)
            _el(obj, "mimeType", mime)
            archival_name = document.title if document.title.lower().endswith(".pdf") else f"{document.title}.pdf"
            _el(obj, "filnavn", filename if variant == "P" else archival_name)
            _el(obj, "referanseDokumentfil", reference)
            _el(obj, "sjekksum", hashlib.sha256(content).hexdigest())
            _el(obj, "sjekksumAlgoritme", "SHA256")
            _el(obj, "filstoerrelse", len(content))
    _el(entry, "tittel", record.title)
    _el(entry, "offentligTittel", entry_public_title(record, screening=screening))
    _code(entry, "dokumentmedium", "E", description="Elektronisk arkiv")
    for correspondent in correspondents(record, sender_name=_sender_name(record)):
        part = _el(entry, "korrespondansepart")
        _code(part, "korrespondanseparttype", correspondent.kind)
        _el(part, "korrespondansepartNavn", correspondent.party.name)
        if correspondent.party.organisation_number:
            _el(part, "organisasjonid", correspondent.party.organisation_number)
        elif correspondent.party.national_id:
            _el(part, "personid", correspondent.party.national_id)
        if correspondent.unit:
            _el(part, "administrativEnhet", correspondent.unit)
        if correspondent.caseworker:
            _el(part, "saksbehandler", correspondent.caseworker)
        if screening is not None and correspondent.kind in ("EA", "EM"):
            _el(part, "erSkjermet", "true")
    _external_key(entry, identity.system, record.external_key)
    _code(entry, "journalposttype", record.entry_type)
    _code(entry, "journalstatus", "J", description="Journalført")
    _el(entry, "journaldato", _date(record.created_at))
    _el(entry, "dokumentetsDato", _date(record.occurred_at))
    if record.entry_type == ArchiveRecord.EntryType.INCOMING:
        _el(entry, "mottattDato", _dt(record.occurred_at))
    elif record.entry_type == ArchiveRecord.EntryType.OUTGOING:
        _el(entry, "sendtDato", _dt(record.occurred_at))
    _el(entry, "antallVedlegg", max(len(documents) - 1, 0))
    root.find(f"{{{A}}}antallFiler").text = str(len(files))
    return OutgoingMessage(message_id=str(message.pk), message_type=OPPRETT,
                           payload=etree.tostring(root, xml_declaration=True, encoding="utf-8"), files=files)


def case_file_update_message(record: ArchiveRecord, message: ArchiveMessage) -> OutgoingMessage:
    """The case file as it is now: status (closed or open again), when and by whom it closed,
    the responsible caseworker."""
    case = Case.objects.select_related("department", "applicant", "organisation", "assigned_to").get(pk=record.case_id)
    facts = case_file_facts(case, screening=screening_for(application_type=case.application_type))
    identity = archive_identity()
    root = etree.Element(f"{{{NS_OPPDATER}}}arkivmeldingOppdatering", nsmap={None: NS_OPPDATER, "n5mdk": M, "xsi": NS_XSI})
    update = _el(root, "mappeOppdateringer", ns=NS_OPPDATER, xsi_type="saksmappeOppdatering")
    reference = _el(update, "referanseTilMappe", ns=NS_OPPDATER)
    if record.archive_system_id:
        _el(reference, "systemID", record.archive_system_id, ns=M)
    _external_key(reference, identity.system, record.external_key, ns=M)
    if facts.closed_at:
        _el(update, "avsluttetDato", _dt(facts.closed_at), ns=NS_OPPDATER)
        _el(update, "avsluttetAv", facts.closed_by, ns=NS_OPPDATER)
    _el(update, "administrativEnhet", facts.unit, ns=NS_OPPDATER)
    _el(update, "saksansvarlig", facts.responsible, ns=NS_OPPDATER)
    _code(update, "saksstatus", facts.status, ns=NS_OPPDATER)
    return OutgoingMessage(message_id=str(message.pk), message_type=OPPDATER,
                           payload=etree.tostring(root, xml_declaration=True, encoding="utf-8"))


def build_message(message: ArchiveMessage) -> OutgoingMessage:
    record = message.record
    if message.operation == ArchiveMessage.Operation.UPDATE:
        return case_file_update_message(record, message)
    if record.kind == ArchiveRecord.Kind.CASE_FILE:
        return case_file_message(record, message)
    return registry_entry_message(record, message)
