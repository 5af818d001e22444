"""The deposit package (arkivuttrekk) of the cases closed in a period, in Noark 5 v5.0 form.

One tar file in storage, holding a folder with
    arkivstruktur.xml    arkiv → arkivdel → saksmappe → journalpost → dokumentbeskrivelse → dokumentobjekt
    loependeJournal.xml  the running journal of the registry entries in the package
    offentligJournal.xml the public journal: screened titles and names replaced
    endringslogg.xml     changes to the case files' metadata after registration (status)
    arkivuttrekk.xml     the ADDML description: counts and SHA-256 checksums of the files
    DOKUMENT/            every document in its archival format (PDF/A), SHA-256 checked
Element names, order, required elements and the text values (the deposit uses words, not the
codes of Fiks Arkiv: "Inngående dokument", "Arkivformat", SHA256 …) follow Arkivverket's Noark 5
v5.0 schemas (github.com/arkivverket/schemas, N5/v5.0: arkivstruktur.xsd, metadatakatalog.xsd,
endringslogg.xsd, loependeJournal.xsd, offentligJournal.xsd) and the standard's text
(arkivverket/noark5-standard, metadatakatalog: M705 sjekksum hexadecimal, M706 "SHA256").
The package does not carry the official XSD files (no licence is stated for them, so we do not
redistribute them); archive/schemas/ holds our own structural rules, which the test suite
validates every package against.

Streaming: cases are read in chunks, the XML files are written element by element
(lxml.etree.xmlfile) to temporary files, documents are copied into the tar in blocks while
their checksums are computed and compared with the ones recorded when they were archived; the
finished tar goes to storage (Django's storage API) in chunks. Memory stays flat whatever the
period (bench/archive_deposit.py: 10,000 cases).

Numbering is Min Side's own throughout the package: the case number (YYYY/N) as saksaar/
sakssekvensnummer, registry entries numbered by year in the order they were registered.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import os
import tarfile
import tempfile
import time
import uuid
from contextlib import ExitStack
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db.models import F, OuterRef, Subquery, Window
from django.db.models.functions import ExtractYear, RowNumber
from django.utils import timezone, translation
from lxml import etree

from accounts.tenancy import working_municipality_id
from cases.models import Case, CaseEvent

from .conf import archive_identity
from .documents import record_documents
from .mapping import CLOSED_STATUSES, case_file_facts, correspondents, entry_public_title, screening_for
from .models import ArchiveDeposit, ArchiveDocument, ArchiveRecord, ArchiveScreening

logger = logging.getLogger(__name__)

NS = "http://www.arkivverket.no/standarder/noark5/arkivstruktur"
NS_ENDRINGSLOGG = "http://www.arkivverket.no/standarder/noark5/endringslogg"
NS_LOEPENDE = "http://www.arkivverket.no/standarder/noark5/loependeJournal"
NS_OFFENTLIG = "http://www.arkivverket.no/standarder/noark5/offentligJournal"
NS_ADDML = "http://www.arkivverket.no/standarder/addml"
NS_XSI = "http://www.w3.org/2001/XMLSchema-instance"
CHUNK = 1024 * 1024
CASES_PER_QUERY = 500
SCREENED_NAME = "*****"

# Fiks Arkiv codes (what we keep) -> the deposit's words (Noark 5 v5.0 metadatakatalog).
ENTRY_TYPES = {"I": "Inngående dokument", "U": "Utgående dokument", "N": "Organinternt dokument for oppfølging",
               "X": "Organinternt dokument uten oppfølging"}
CORRESPONDENT_TYPES = {"EA": "Avsender", "EM": "Mottaker", "IA": "Intern avsender", "IM": "Intern mottaker"}
ROLES = {"H": "Hoveddokument", "V": "Vedlegg"}
DOCUMENT_TYPES = {"SØKNAD": "Søknad", "VEDTAK": "Vedtak", "KORR": "Korrespondanse", "NOTAT": "Notat",
                  "DOKUMENT": "Dokument", "VEDLEGG": "Vedlegg"}
CASE_STATUS = {"B": "Under behandling", "A": "Avsluttet"}
RESTRICTED = "Unntatt offentlighet"


class DepositError(Exception):
    """The package cannot be made (nothing to deposit, a document changed since archiving)."""


# --- What goes in -------------------------------------------------------------------------------

def _closing_events():
    return CaseEvent.objects.filter(case=OuterRef("pk"), to_status__in=CLOSED_STATUSES).order_by("-created_at", "-pk")


def deposit_cases(*, start: datetime.date, end: datetime.date):
    """The cases closed (or withdrawn) in the period, by the date they were closed."""
    zone = timezone.get_current_timezone()
    since = datetime.datetime.combine(start, datetime.time.min, tzinfo=zone)
    until = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone)
    return (Case.objects.filter(status__in=CLOSED_STATUSES)
            .annotate(closed_at=Subquery(_closing_events().values("created_at")[:1]),
                      closed_by_first=Subquery(_closing_events().values("actor__first_name")[:1]),
                      closed_by_last=Subquery(_closing_events().values("actor__last_name")[:1]))
            .filter(closed_at__gte=since, closed_at__lt=until)
            .select_related("department", "applicant", "organisation", "assigned_to")
            .order_by("received_at", "pk"))


def _journal_numbers(years: list[int]) -> dict:
    """{record id: sequence within its year}: registry entries numbered per year in the order
    they were registered (stable: rows are never deleted and new ones come later)."""
    if not years:
        return {}
    rows = (ArchiveRecord.objects.filter(kind=ArchiveRecord.Kind.REGISTRY_ENTRY, created_at__year__in=years)
            .annotate(sequence=Window(RowNumber(), partition_by=[ExtractYear("created_at")],
                                      order_by=[F("created_at").asc(), F("pk").asc()]))
            .values_list("pk", "sequence"))
    return dict(rows.iterator(chunk_size=5000))


def _iso(value: datetime.datetime) -> str:
    return timezone.localtime(value).isoformat(timespec="seconds")


def _day(value: datetime.datetime) -> str:
    return timezone.localdate(value).isoformat()


# --- Writing ------------------------------------------------------------------------------------

class _Writer:
    """Element-by-element XML writing into an lxml xmlfile context."""

    def __init__(self, xf, namespace: str):
        self.xf, self.ns = xf, namespace

    def leaf(self, name: str, value) -> None:
        # Inside the element context, so the element uses the namespaces already declared.
        with self.xf.element(f"{{{self.ns}}}{name}"):
            self.xf.write(value if isinstance(value, str) else str(value))

    def open(self, name: str, **attrs):
        return self.xf.element(f"{{{self.ns}}}{name}", {k.replace("xsi_", f"{{{NS_XSI}}}"): v for k, v in attrs.items()})


class _HashingReader:
    def __init__(self, fh):
        self.fh, self.sha = fh, hashlib.sha256()

    def read(self, size=-1):
        data = self.fh.read(size)
        self.sha.update(data)
        return data


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def _skjerming(w: _Writer, screening, metadata: list[str], document: bool = False) -> None:
    if screening is None:
        return
    with w.open("skjerming"):
        w.leaf("tilgangsrestriksjon", RESTRICTED)
        w.leaf("skjermingshjemmel", screening.legal_basis)
        for value in metadata:
            w.leaf("skjermingMetadata", value)
        if document:
            w.leaf("skjermingDokument", "Skjerming av hele dokumentet")


class DepositBuilder:
    def __init__(self, *, start: datetime.date, end: datetime.date, created_by: str = ""):
        self.start, self.end = start, end
        self.identity = archive_identity()
        self.created_by = created_by or self.identity.system
        self.now = timezone.now()
        self.counts = {"case_files": 0, "registry_entries": 0, "documents": 0}
        self.rules = {r.application_type: r for r in ArchiveScreening.objects.all()}
        self.restricted_any = False

    def build(self, *, tar_path: Path, work: Path) -> dict:
        cases = deposit_cases(start=self.start, end=self.end)
        total_entries = ArchiveRecord.objects.filter(case__in=cases.values("pk"),
                                                     kind=ArchiveRecord.Kind.REGISTRY_ENTRY).count()
        if not cases.exists():
            raise DepositError(f"No cases were closed between {self.start} and {self.end}")
        years = sorted({y for y in ArchiveRecord.objects.filter(case__in=cases.values("pk"), kind=ArchiveRecord.Kind.REGISTRY_ENTRY)
                        .annotate(y=ExtractYear("created_at")).values_list("y", flat=True).distinct()})
        self.journal_numbers = _journal_numbers(years)
        folder = f"uttrekk-{self.identity.creator_id}-{self.start}-{self.end}"
        paths = {name: work / name for name in ("arkivstruktur.xml", "loependeJournal.xml", "offentligJournal.xml",
                                                "endringslogg.xml", "arkivuttrekk.xml")}
        with tarfile.open(tar_path, "w", format=tarfile.PAX_FORMAT) as tar, ExitStack() as stack:
            structure = stack.enter_context(etree.xmlfile(str(paths["arkivstruktur.xml"]), encoding="utf-8"))
            running = stack.enter_context(etree.xmlfile(str(paths["loependeJournal.xml"]), encoding="utf-8"))
            public = stack.enter_context(etree.xmlfile(str(paths["offentligJournal.xml"]), encoding="utf-8"))
            changes = stack.enter_context(etree.xmlfile(str(paths["endringslogg.xml"]), encoding="utf-8"))
            for xf in (structure, running, public, changes):
                xf.write_declaration()
            s = _Writer(structure, NS)
            journals = [(_Writer(running, NS_LOEPENDE), False), (_Writer(public, NS_OFFENTLIG), True)]
            c = _Writer(changes, NS_ENDRINGSLOGG)
            with ExitStack() as roots:
                roots.enter_context(structure.element(f"{{{NS}}}arkiv", nsmap={None: NS, "xsi": NS_XSI}))
                roots.enter_context(changes.element(f"{{{NS_ENDRINGSLOGG}}}endringslogg", nsmap={None: NS_ENDRINGSLOGG}))
                for w, _public in journals:
                    roots.enter_context(w.xf.element(f"{{{w.ns}}}{'offentligJournal' if _public else 'loependeJournal'}",
                                                     nsmap={None: w.ns}))
                    self._journal_head(w, total_entries)
                self._archive_head(s)
                with s.open("arkivdel"):
                    self._series_head(s)
                    for chunk in self._chunks(cases):
                        for case in chunk:
                            self._case_file(s, journals, c, tar, folder, case)
            stack.close()  # the XML files are complete on disk only when their writers are closed
            if self.counts["registry_entries"] != total_entries:
                raise DepositError("The registry entries changed while the package was built; build it again")
            checksums = {name: _sha256_file(paths[name]) for name in
                         ("arkivstruktur.xml", "loependeJournal.xml", "offentligJournal.xml", "endringslogg.xml")}
            self._addml(paths["arkivuttrekk.xml"], checksums)
            for name, path in paths.items():
                tar.add(str(path), arcname=f"{folder}/{name}")
        return {**self.counts, "folder": folder}

    def _chunks(self, cases):
        batch = []
        for case in cases.iterator(chunk_size=CASES_PER_QUERY):
            batch.append(case)
            if len(batch) >= CASES_PER_QUERY:
                yield self._with_records(batch)
                batch = []
        if batch:
            yield self._with_records(batch)

    def _with_records(self, cases: list[Case]) -> list[Case]:
        """One query for the chunk's registry entries with their documents, one for the
        changes of status."""
        ids = [case.pk for case in cases]
        entries: dict = {pk: [] for pk in ids}
        for record in (ArchiveRecord.objects.filter(case_id__in=ids, kind=ArchiveRecord.Kind.REGISTRY_ENTRY)
                       .prefetch_related("documents").order_by("occurred_at", "created_at", "pk")):
            entries[record.case_id].append(record)
        events: dict = {pk: [] for pk in ids}
        for event in (CaseEvent.objects.filter(case_id__in=ids, kind=CaseEvent.Kind.STATUS_CHANGED)
                      .select_related("actor").order_by("created_at", "pk")):
            events[event.case_id].append(event)
        for case in cases:
            case.deposit_entries, case.deposit_events = entries[case.pk], events[case.pk]
            for record in case.deposit_entries:
                record.case = case  # already loaded with its department and people: no query per entry
        return cases

    def _archive_head(self, s: _Writer) -> None:
        s.leaf("systemID", str(uuid.uuid5(uuid.NAMESPACE_URL, f"minside:arkiv:{self.identity.creator_id}")))
        s.leaf("tittel", self.identity.archive_title)
        s.leaf("dokumentmedium", "Elektronisk arkiv")
        s.leaf("opprettetDato", _iso(self.now))
        s.leaf("opprettetAv", self.created_by)
        s.leaf("avsluttetDato", _iso(self.now))
        s.leaf("avsluttetAv", self.created_by)
        with s.open("arkivskaper"):
            s.leaf("arkivskaperID", self.identity.creator_id)
            s.leaf("arkivskaperNavn", self.identity.creator_name)

    def _series_head(self, s: _Writer) -> None:
        s.leaf("systemID", str(uuid.uuid5(uuid.NAMESPACE_URL, f"minside:arkivdel:{self.identity.creator_id}:{self.identity.series_code}")))
        s.leaf("tittel", self.identity.series_title)
        s.leaf("arkivdelstatus", "Avsluttet periode")
        s.leaf("dokumentmedium", "Elektronisk arkiv")
        s.leaf("opprettetDato", _iso(self.now))
        s.leaf("opprettetAv", self.created_by)
        s.leaf("avsluttetDato", _iso(self.now))
        s.leaf("avsluttetAv", self.created_by)
        s.leaf("arkivperiodeStartDato", self.start.isoformat())
        s.leaf("arkivperiodeSluttDato", self.end.isoformat())

    def _journal_head(self, w: _Writer, total: int) -> None:
        with w.open("journalhode"):
            w.leaf("journalStartDato", self.start.isoformat())
            w.leaf("journalSluttDato", self.end.isoformat())
            w.leaf("antallJournalposter", total)
            with w.open("arkivskaper"):
                w.leaf("arkivskaperID", self.identity.creator_id)
                w.leaf("arkivskaperNavn", self.identity.creator_name)

    def _case_file(self, s: _Writer, journals, c: _Writer, tar, folder: str, case: Case) -> None:
        screening = screening_for(application_type=case.application_type, rules=self.rules)
        self.restricted_any |= screening is not None
        closed_by = " ".join(p for p in (case.closed_by_first, case.closed_by_last) if p)
        facts = case_file_facts(case, screening=screening, closing=(case.closed_at, closed_by))
        year, sequence = (int(part) for part in case.case_number.split("/"))
        folder_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"minside:case:{case.pk}"))
        with s.open("mappe", xsi_type="saksmappe"):
            s.leaf("systemID", folder_id)
            s.leaf("mappeID", case.case_number)
            s.leaf("tittel", facts.title)
            s.leaf("offentligTittel", facts.public_title)
            s.leaf("dokumentmedium", "Elektronisk arkiv")
            s.leaf("opprettetDato", _iso(facts.opened_at))
            s.leaf("opprettetAv", facts.opened_by)
            s.leaf("avsluttetDato", _iso(facts.closed_at))
            s.leaf("avsluttetAv", facts.closed_by)
            for party in facts.parties:
                with s.open("part"):
                    s.leaf("partNavn", party.name)
                    s.leaf("partRolle", "Søker")
            _skjerming(s, screening, ["Skjerming tittel mappe - utvalgte ord", "Skjerming navn part i sak"])
            for number, record in enumerate(case.deposit_entries, start=1):
                self._entry(s, journals, tar, folder, case, facts, record, number, screening, year, sequence)
            s.leaf("saksaar", year)
            s.leaf("sakssekvensnummer", sequence)
            s.leaf("saksdato", _day(case.received_at))
            s.leaf("administrativEnhet", facts.unit)
            s.leaf("saksansvarlig", facts.responsible)
            if self.identity.registry_unit:
                s.leaf("journalenhet", self.identity.registry_unit)
            s.leaf("saksstatus", CASE_STATUS[facts.status])
        self.counts["case_files"] += 1
        for event in case.deposit_events:
            was, now = event.from_status in CLOSED_STATUSES, event.to_status in CLOSED_STATUSES
            if was == now or not event.from_status:
                continue
            with c.open("endring"):
                c.leaf("referanseArkivenhet", folder_id)
                c.leaf("referanseMetadata", "saksstatus")
                c.leaf("endretDato", _iso(event.created_at))
                c.leaf("endretAv", (event.actor.get_full_name() if event.actor else "") or self.identity.system)
                c.leaf("tidligereVerdi", CASE_STATUS["A" if was else "B"])
                c.leaf("nyVerdi", CASE_STATUS["A" if now else "B"])

    def _entry(self, s: _Writer, journals, tar, folder, case, facts, record: ArchiveRecord, number: int, screening,
               case_year: int, case_sequence: int) -> None:
        documents = list(record.documents.all()) or record_documents(record=record)
        entry_id = str(record.pk)
        journal_year = timezone.localdate(record.created_at).year
        journal_sequence = self.journal_numbers.get(record.pk) or 0
        public_title = entry_public_title(record, screening=screening)
        people = correspondents(record)
        with s.open("registrering", xsi_type="journalpost"):
            s.leaf("systemID", entry_id)
            s.leaf("opprettetDato", _iso(record.created_at))
            s.leaf("opprettetAv", self.identity.system)
            s.leaf("arkivertDato", _iso(record.archived_at or record.created_at))
            s.leaf("arkivertAv", self.identity.system)
            _skjerming(s, screening, ["Skjerming tittel registrering - utvalgte ord", "Skjerming navn avsender",
                                      "Skjerming navn mottaker"])
            for document in documents:
                self._document(s, tar, folder, record, document, screening)
            s.leaf("tittel", record.title)
            s.leaf("offentligTittel", public_title)
            s.leaf("dokumentmedium", "Elektronisk arkiv")
            for person in people:
                with s.open("korrespondansepart"):
                    s.leaf("korrespondanseparttype", CORRESPONDENT_TYPES[person.kind])
                    s.leaf("korrespondansepartNavn", person.party.name)
                    if person.unit:
                        s.leaf("administrativEnhet", person.unit)
                    if person.caseworker:
                        s.leaf("saksbehandler", person.caseworker)
            s.leaf("journalaar", journal_year)
            s.leaf("journalsekvensnummer", journal_sequence)
            s.leaf("journalpostnummer", number)
            s.leaf("journalposttype", ENTRY_TYPES[record.entry_type])
            s.leaf("journalstatus", "Arkivert")
            s.leaf("journaldato", _day(record.created_at))
            s.leaf("dokumentetsDato", _day(record.occurred_at))
            if record.entry_type == "I":
                s.leaf("mottattDato", _iso(record.occurred_at))
            elif record.entry_type == "U":
                s.leaf("sendtDato", _iso(record.occurred_at))
            s.leaf("antallVedlegg", max(len(documents) - 1, 0))
        self.counts["registry_entries"] += 1
        for w, public in journals:
            with w.open("journalregistrering"):
                with w.open("saksmappe"):
                    w.leaf("saksaar", case_year)
                    w.leaf("sakssekvensnummer", case_sequence)
                    if public:
                        w.leaf("offentligTittel", facts.public_title)
                    else:
                        w.leaf("tittel", facts.title)
                        w.leaf("offentligTittel", facts.public_title)
                with w.open("journalpost"):
                    w.leaf("systemID", entry_id)
                    w.leaf("journalaar", journal_year)
                    w.leaf("journalsekvensnummer", journal_sequence)
                    w.leaf("journalpostnummer", number)
                    if not public:
                        w.leaf("tittel", record.title)
                    w.leaf("offentligTittel", public_title)
                    if screening is not None:
                        w.leaf("skjermingMetadata", "Skjerming tittel registrering - utvalgte ord")
                    w.leaf("journaldato", _day(record.created_at))
                    w.leaf("dokumentetsDato", _day(record.occurred_at))
                    if not public:
                        w.leaf("antallVedlegg", max(len(documents) - 1, 0))
                    if screening is not None:
                        w.leaf("tilgangsrestriksjon", RESTRICTED)
                        w.leaf("skjermingshjemmel", screening.legal_basis)
                    for person in people:
                        with w.open("korrespondansepart"):
                            w.leaf("korrespondanseparttype", CORRESPONDENT_TYPES[person.kind])
                            hidden = public and screening is not None and person.kind in ("EA", "EM")
                            w.leaf("korrespondansepartNavn", SCREENED_NAME if hidden else person.party.name)
                            if not public and screening is not None and person.kind in ("EA", "EM"):
                                w.leaf("skjermingMetadata", "Skjerming navn avsender" if person.kind == "EA"
                                       else "Skjerming navn mottaker")

    def _document(self, s: _Writer, tar, folder: str, record: ArchiveRecord, document: ArchiveDocument, screening) -> None:
        reference = f"DOKUMENT/{record.pk}/{document.number}.pdf"
        self._copy(tar, f"{folder}/{reference}", document)
        with s.open("dokumentbeskrivelse"):
            s.leaf("systemID", str(uuid.uuid5(uuid.NAMESPACE_URL, f"minside:dokumentbeskrivelse:{document.pk}")))
            s.leaf("dokumenttype", DOCUMENT_TYPES.get(document.document_type, "Dokument"))
            s.leaf("dokumentstatus", "Dokumentet er ferdigstilt")
            s.leaf("tittel", document.title)
            s.leaf("opprettetDato", _iso(document.created_at))
            s.leaf("opprettetAv", self.identity.system)
            s.leaf("tilknyttetRegistreringSom", ROLES[document.role])
            s.leaf("dokumentnummer", document.number)
            s.leaf("tilknyttetDato", _iso(document.created_at))
            s.leaf("tilknyttetAv", self.identity.system)
            _skjerming(s, screening, ["Skjerming tittel dokumentbeskrivelse"], document=True)
            with s.open("dokumentobjekt"):
                s.leaf("systemID", str(document.pk))
                s.leaf("versjonsnummer", 1)
                s.leaf("variantformat", "Arkivformat")
                s.leaf("format", "RA-PDF")
                s.leaf("formatDetaljer", "PDF/A-2b")
                s.leaf("opprettetDato", _iso(document.created_at))
                s.leaf("opprettetAv", self.identity.system)
                s.leaf("referanseDokumentfil", reference)
                s.leaf("sjekksum", document.sha256)
                s.leaf("sjekksumAlgoritme", "SHA256")
                s.leaf("filstoerrelse", document.size)
                if document.conversion:
                    with s.open("konvertering"):
                        s.leaf("konvertertDato", _iso(document.created_at))
                        s.leaf("konvertertAv", self.identity.system)
                        s.leaf("konvertertFraFormat", document.original_content_type or "ukjent")
                        s.leaf("konvertertTilFormat", "PDF/A-2b")
                        s.leaf("konverteringsverktoey", "WeasyPrint, poppler pdftoppm")
                        s.leaf("konverteringskommentar", document.conversion)
        self.counts["documents"] += 1

    def _copy(self, tar, arcname: str, document: ArchiveDocument) -> None:
        """Stream the stored file into the tar, checking it is the file that was archived."""
        info = tarfile.TarInfo(arcname)
        info.size = document.size
        info.mtime = int(document.created_at.timestamp())
        with default_storage.open(document.file.name, "rb") as fh:
            reader = _HashingReader(fh)
            tar.addfile(info, reader)
        if reader.sha.hexdigest() != document.sha256:
            raise DepositError(f"Document {document.pk} ({document.file.name}) does not match the checksum "
                               "recorded when it was archived")

    def _addml(self, path: Path, checksums: dict[str, str]) -> None:
        """arkivuttrekk.xml: the ADDML description of the package (Arkivverket's Noark 5 template:
        the dataset, the archive creator, the period, and per XML file its checksum and counts)."""
        A = NS_ADDML

        def el(parent, tag, **attrs):
            return etree.SubElement(parent, f"{{{A}}}{tag}", attrs)

        def prop(parent, name, value=None):
            element = el(parent, "property", name=name)
            if value is not None:
                el(element, "value").text = str(value)
            return element

        def props(parent):
            return el(parent, "properties")

        def extra(parent, name, value=None):
            element = el(parent, "additionalElement", name=name)
            if value is not None:
                el(element, "value").text = str(value)
            return element

        root = etree.Element(f"{{{A}}}addml", nsmap={None: A})
        dataset = el(root, "dataset", name="Noark 5-arkivuttrekk")
        el(dataset, "description").text = "Noark 5-arkivuttrekk fra Min Side"
        reference = el(dataset, "reference")
        context = el(el(reference, "context"), "additionalElements")
        creators = el(extra(context, "recordCreators"), "additionalElements")
        extra(creators, "recordCreator", self.identity.creator_name)
        extra(context, "systemType", "Noark 5")
        extra(context, "systemName", "Min Side")
        extra(context, "archive", self.identity.archive_title)
        content = el(el(reference, "content"), "additionalElements")
        period = props(extra(content, "archivalPeriod"))
        prop(period, "startDate", self.start.isoformat())
        prop(period, "endDate", self.end.isoformat())
        objects = el(dataset, "dataObjects")
        package = el(objects, "dataObject", name="Noark 5-arkivuttrekk")
        info = props(prop(props(package), "info"))
        kind = prop(info, "type", "Noark 5")
        prop(props(kind), "version", "5.0")
        additional = props(prop(info, "additionalInfo"))
        split = props(prop(additional, "periode"))
        prop(split, "inngaaendeSkille", "skarp")
        prop(split, "utgaaendeSkille", "skarp")
        prop(additional, "inneholderSkjermetInformasjon", str(self.restricted_any).lower())
        prop(additional, "omfatterDokumenterSomErKassert", "false")
        prop(additional, "inneholderDokumenterSomSkalKasseres", "false")
        prop(additional, "inneholderVirksomhetsspesifikkeMetadata", "false")
        prop(additional, "antallDokumentfiler", self.counts["documents"])
        files = el(package, "dataObjects")
        occurrences = {"arkivstruktur.xml": [("mappe", "//mappe", self.counts["case_files"]),
                                             ("registrering", "//registrering", self.counts["registry_entries"])],
                       "loependeJournal.xml": [("journalregistrering", "//journalregistrering", self.counts["registry_entries"])],
                       "offentligJournal.xml": [("journalregistrering", "//journalregistrering", self.counts["registry_entries"])],
                       "endringslogg.xml": []}
        for name, checksum in checksums.items():
            data_object = el(files, "dataObject", name=name.removesuffix(".xml"))
            properties = props(data_object)
            file_props = props(prop(properties, "file"))
            prop(file_props, "name", name)
            file_format = prop(file_props, "format", "XML")
            prop(props(file_format), "version", "1.0")
            check = props(prop(file_props, "checksum"))
            prop(check, "algorithm", "SHA-256")
            prop(check, "value", checksum)
            if occurrences[name]:
                info = props(prop(properties, "info"))
                for label, element_path, count in occurrences[name]:
                    occurrence = props(prop(info, "numberOfOccurrences", label))
                    prop(occurrence, "elementPath", element_path)
                    prop(occurrence, "value", count)
        path.write_bytes(etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True))


# --- The operation (management command, admin action, task) -------------------------------------

def deposit_request(*, start: datetime.date, end: datetime.date, by=None) -> ArchiveDeposit:
    if end < start:
        raise ValueError("The period ends before it starts")
    # The municipality whose archive this is: the one being worked in (its scope).
    return ArchiveDeposit.objects.create(municipality_id=working_municipality_id(), period_start=start,
                                         period_end=end, requested_by=by)


def deposit_build(*, deposit: ArchiveDeposit) -> ArchiveDeposit:
    """Build the package for a requested deposit, into storage. Idempotent: a package that is
    ready is left alone; one being built by another worker is too."""
    if not ArchiveDeposit.objects.filter(pk=deposit.pk, status__in=[ArchiveDeposit.Status.REQUESTED,
                                                                     ArchiveDeposit.Status.FAILED]).update(
            status=ArchiveDeposit.Status.BUILDING, last_error="", updated_at=timezone.now()):
        deposit.refresh_from_db()
        return deposit
    started = time.monotonic()
    by = deposit.requested_by.get_full_name() if deposit.requested_by_id else ""
    with tempfile.TemporaryDirectory(prefix="deposit-") as tmp, translation.override(settings.LANGUAGE_CODE):
        work, tar_path = Path(tmp), Path(tmp) / "package.tar"
        try:
            counts = DepositBuilder(start=deposit.period_start, end=deposit.period_end, created_by=by).build(
                tar_path=tar_path, work=work)
            digest = _sha256_file(tar_path)
            with open(tar_path, "rb") as fh:
                name = default_storage.save(f"archive/deposits/{counts['folder']}-{deposit.pk.hex[:8]}.tar", File(fh))
        except Exception as error:
            # Never left "being built": the archivist sees why, and can build it again.
            if isinstance(error, DepositError | OSError):
                logger.warning("Deposit package %s failed: %s", deposit.pk, error)
            else:
                logger.exception("Deposit package %s failed", deposit.pk)
            ArchiveDeposit.objects.filter(pk=deposit.pk).update(status=ArchiveDeposit.Status.FAILED,
                                                                last_error=str(error)[:1000], updated_at=timezone.now())
            deposit.refresh_from_db()
            return deposit
        ArchiveDeposit.objects.filter(pk=deposit.pk).update(
            status=ArchiveDeposit.Status.READY, package=name, size=os.path.getsize(tar_path), sha256=digest,
            case_files=counts["case_files"], registry_entries=counts["registry_entries"],
            documents=counts["documents"], seconds=round(time.monotonic() - started, 2), updated_at=timezone.now())
    deposit.refresh_from_db()
    logger.info("Deposit package %s: %s case files, %s entries, %s documents in %.1f s", deposit.pk,
                deposit.case_files, deposit.registry_entries, deposit.documents, deposit.seconds)
    return deposit


def deposit_build_by_id(*, deposit_id) -> ArchiveDeposit | None:
    deposit = ArchiveDeposit.objects.filter(pk=deposit_id).first()
    return deposit_build(deposit=deposit) if deposit else None
