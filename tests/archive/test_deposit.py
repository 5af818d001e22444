"""The deposit package (arkivuttrekk): for a period, the closed cases as Noark 5 v5.0 XML that
keeps to the standard's structural rules (archive/schemas/: written from Arkivverket's v5.0
schemas; the official files are not redistributable here, see the README there), documents in
DOKUMENT/ as PDF/A whose SHA-256 checksums match, and an ADDML description whose checksums match
the files."""

import datetime
import hashlib
import io
import tarfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from lxml import etree

from archive.deposit import NS, NS_ADDML, deposit_build, deposit_request
from archive.models import ArchiveDeposit, ArchiveDocument, ArchiveScreening
from tests.factories import StaffFactory

from .conftest import drain, pdfa_part

pytestmark = pytest.mark.django_db
SCHEMAS = Path(__file__).resolve().parents[2] / "archive" / "schemas"
RULES = {
    "arkivstruktur.xml": "noark5-v5.0-arkivstruktur.xsd",
    "endringslogg.xml": "noark5-v5.0-endringslogg.xsd",
    "loependeJournal.xml": "noark5-v5.0-loependeJournal.xsd",
    "offentligJournal.xml": "noark5-v5.0-offentligJournal.xsd",
}


def period():
    today = timezone.localdate()
    return today - datetime.timedelta(days=1), today + datetime.timedelta(days=1)


def open_package(deposit) -> dict[str, bytes]:
    with deposit.package.open("rb") as fh:
        data = fh.read()
    assert hashlib.sha256(data).hexdigest() == deposit.sha256
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        members = {m.name.split("/", 1)[1]: tar.extractfile(m).read() for m in tar.getmembers() if m.isfile()}
    return members


@pytest.fixture
def package(case_life):
    case = case_life()
    drain()
    start, end = period()
    deposit = deposit_build(deposit=deposit_request(start=start, end=end))
    assert deposit.status == ArchiveDeposit.Status.READY, deposit.last_error
    return case, deposit, open_package(deposit)


def test_the_package_keeps_to_the_noark5_v5_structure_and_its_checksums_match(package):
    case, deposit, files = package
    for name, rules in RULES.items():
        schema = etree.XMLSchema(etree.parse(str(SCHEMAS / rules)))
        document = etree.fromstring(files[name])
        assert schema.validate(document), f"{name}: {schema.error_log.last_error}"
    structure = etree.fromstring(files["arkivstruktur.xml"])
    ns = {"a": NS}
    [folder] = structure.findall(".//a:mappe", ns)
    assert folder.findtext("a:mappeID", namespaces=ns) == case.case_number
    assert folder.findtext("a:saksstatus", namespaces=ns) == "Avsluttet"
    entries = folder.findall("a:registrering", ns)
    assert len(entries) == deposit.registry_entries == 8
    assert sorted(int(e.findtext("a:journalpostnummer", namespaces=ns)) for e in entries) == list(range(1, 9))
    assert {e.findtext("a:journalposttype", namespaces=ns) for e in entries} == {
        "Inngående dokument", "Utgående dokument", "Organinternt dokument uten oppfølging"}
    objects = structure.findall(".//a:dokumentobjekt", ns)
    assert len(objects) == deposit.documents == ArchiveDocument.objects.filter(record__case=case).count()
    for obj in objects:
        content = files[obj.findtext("a:referanseDokumentfil", namespaces=ns)]
        assert hashlib.sha256(content).hexdigest() == obj.findtext("a:sjekksum", namespaces=ns)
        assert int(obj.findtext("a:filstoerrelse", namespaces=ns)) == len(content)
        assert obj.findtext("a:sjekksumAlgoritme", namespaces=ns) == "SHA256"
        assert pdfa_part(content) == "2"
    assert {n for n in files if n.startswith("DOKUMENT/")} == {o.findtext("a:referanseDokumentfil", namespaces=ns)
                                                              for o in objects}


def test_the_addml_description_counts_and_checksums_the_files(package):
    _case, deposit, files = package
    addml = etree.fromstring(files["arkivuttrekk.xml"])
    ns = {"d": NS_ADDML}
    assert addml.tag == f"{{{NS_ADDML}}}addml"
    described = addml.findall(".//d:dataObject/d:dataObjects/d:dataObject", ns)
    assert {d.get("name") for d in described} == {"arkivstruktur", "loependeJournal", "offentligJournal", "endringslogg"}
    for data_object in described:
        file_props = data_object.find("d:properties/d:property[@name='file']/d:properties", ns)
        name = file_props.findtext("d:property[@name='name']/d:value", namespaces=ns)
        checksum = file_props.find("d:property[@name='checksum']/d:properties", ns)
        assert checksum.findtext("d:property[@name='algorithm']/d:value", namespaces=ns) == "SHA-256"
        assert checksum.findtext("d:property[@name='value']/d:value", namespaces=ns) == hashlib.sha256(files[name]).hexdigest()
    counts = {p.findtext("d:value", namespaces=ns): p.findtext("d:properties/d:property[@name='value']/d:value", namespaces=ns)
              for p in addml.iter(f"{{{NS_ADDML}}}property") if p.get("name") == "numberOfOccurrences"}
    assert counts["mappe"] == "1" and counts["registrering"] == str(deposit.registry_entries)
    documents = addml.find(".//d:property[@name='antallDokumentfiler']/d:value", ns).text
    assert documents == str(deposit.documents)
    version = addml.find(".//d:property[@name='type']/d:properties/d:property[@name='version']/d:value", ns).text
    assert version == "5.0"


def test_screened_cases_hide_names_in_the_public_journal_and_no_national_id_is_in_the_package(package):
    case, _deposit, files = package
    national_id = case.applicant.national_id
    assert not any(national_id.encode() in content for name, content in files.items() if name.endswith(".xml"))
    public = files["offentligJournal.xml"].decode()
    assert "Kari Nordmann" not in public and "*****" in public and case.title not in public
    running = files["loependeJournal.xml"].decode()
    assert "Kari Nordmann" in running and "Skjerming navn avsender" in running
    structure = files["arkivstruktur.xml"].decode()
    assert "<tilgangsrestriksjon>Unntatt offentlighet</tilgangsrestriksjon>" in structure
    changes = etree.fromstring(files["endringslogg.xml"])
    values = [(e.findtext("{*}tidligereVerdi"), e.findtext("{*}nyVerdi")) for e in changes]
    assert ("Under behandling", "Avsluttet") in values


def test_a_public_case_type_is_not_screened(case_life):
    ArchiveScreening.objects.create(application_type="building_permit", restricted=False)
    case = case_life()
    start, end = period()
    deposit = deposit_build(deposit=deposit_request(start=start, end=end))
    files = open_package(deposit)
    assert "Kari Nordmann" in files["offentligJournal.xml"].decode()
    assert b"skjerming" not in files["arkivstruktur.xml"]
    assert case.title in files["offentligJournal.xml"].decode()


def test_open_cases_and_other_periods_stay_out(case_life):
    case_life(close=False)
    start, end = period()
    deposit = deposit_build(deposit=deposit_request(start=start, end=end))
    assert deposit.status == ArchiveDeposit.Status.FAILED and "No cases were closed" in deposit.last_error
    with pytest.raises(ValueError):
        deposit_request(start=end, end=start)


def test_a_document_changed_since_it_was_archived_stops_the_package(case_life):
    case = case_life()
    drain()
    document = ArchiveDocument.objects.filter(record__case=case).first()
    with document.file.storage.open(document.file.name, "wb") as fh:
        fh.write(b"%PDF-1.7 tampered" + b"\0" * (document.size - 17))
    start, end = period()
    deposit = deposit_build(deposit=deposit_request(start=start, end=end))
    assert deposit.status == ArchiveDeposit.Status.FAILED and "does not match the checksum" in deposit.last_error
    assert not deposit.package


def test_the_management_command_builds_the_package(case_life):
    case_life()
    start, end = period()
    out = io.StringIO()
    call_command("archive_deposit", "--from", start.isoformat(), "--to", end.isoformat(), stdout=out)
    assert "1 case files, 8 registry entries" in out.getvalue()
    with pytest.raises(CommandError, match="No cases were closed"):
        call_command("archive_deposit", "--from", "2001-01-01", "--to", "2001-12-31", stdout=io.StringIO())


def test_the_admin_action_builds_in_the_background_for_municipal_it_only(case_life, client, monkeypatch):
    from archive import tasks

    case = case_life()
    enqueued = []
    monkeypatch.setattr(tasks.deposit_build, "apply_async", lambda args, **kw: enqueued.append(args[0]))
    start, end = period()
    caseworker = StaffFactory(departments=[case.department])
    client.force_login(caseworker)
    assert client.get(reverse("caseworker:archive_archivedeposit_changelist")).status_code == 403
    admin = StaffFactory(is_superuser=True)
    client.force_login(admin)
    response = client.post(reverse("caseworker:archive_archivedeposit_add"),
                           {"period_start": start.isoformat(), "period_end": end.isoformat()})
    assert response.status_code == 302
    deposit = ArchiveDeposit.objects.get()
    assert deposit.requested_by == admin
    client.post(reverse("caseworker:archive_archivedeposit_changelist"),
                {"action": "build", "_selected_action": [str(deposit.pk)]})
    assert enqueued == [str(deposit.pk)]
    tasks.deposit_build.run(str(deposit.pk))  # what the worker does
    deposit.refresh_from_db()
    assert deposit.status == ArchiveDeposit.Status.READY
    download = client.get(reverse("caseworker:archive_deposit_download", args=[deposit.pk]))
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    client.force_login(caseworker)
    assert client.get(reverse("caseworker:archive_deposit_download", args=[deposit.pk])).status_code == 403
