"""Live archiving: every document of a case's life ends up in the archive exactly once, also
when the archive is down for a while, answers slowly, times out after taking a message, or
rejects a message and is then fixed; the caseworker sees the archive's references and failures,
and resends."""

import datetime
import hashlib
import time
from collections import Counter

import pytest
from django.urls import reverse
from django.utils import timezone
from lxml import etree

from archive import services
from archive.documents import is_pdfa
from archive.models import ArchiveDocument, ArchiveMessage, ArchiveRecord
from registers.archive import NS_OPPRETT, OPPRETT, UGYLDIG, OutgoingMessage, archive_control, validate_message
from tests.factories import CitizenFactory, DepartmentFactory, StaffFactory

from .conftest import drain, pdfa_part

Status = ArchiveMessage.Status
pytestmark = pytest.mark.django_db
EXPECTED_ENTRIES = Counter({("application", "I"): 1, ("letter", "U"): 3, ("documents", "I"): 1, ("message", "I"): 1,
                            ("message", "U"): 1, ("note", "X"): 1})


def archived_once(local_archive, case) -> dict:
    """The archive's records for the case, checked to be there once each, with our numbers."""
    records = local_archive.records()
    keys = Counter(tuple(r["external_key"]) for r in records)
    assert all(n == 1 for n in keys.values()), keys
    ours = {r.external_key: r for r in ArchiveRecord.objects.filter(case=case)}
    theirs = {r["external_key"][1]: r for r in records if r["external_key"][1] in ours}
    assert set(theirs) == set(ours)
    return theirs


def make_due():
    ArchiveMessage.objects.filter(status=Status.RETRY).update(next_attempt_at=None)


def test_every_document_of_a_case_is_archived_exactly_once_with_the_archives_numbers(case_life, local_archive):
    case = case_life()
    assert drain()
    assert not ArchiveMessage.objects.exclude(status=Status.ARCHIVED).exists()
    theirs = archived_once(local_archive, case)
    entries = ArchiveRecord.objects.filter(case=case, kind=ArchiveRecord.Kind.REGISTRY_ENTRY)
    assert Counter((r.source, r.entry_type) for r in entries) == EXPECTED_ENTRIES
    folder = ArchiveRecord.objects.get(case=case, kind=ArchiveRecord.Kind.CASE_FILE)
    archived_folder = theirs[folder.external_key]
    # The archive's own case number and registry entry numbers are on our records.
    assert folder.archive_reference == f"{archived_folder['saksaar']}/{archived_folder['sakssekvensnummer']}"
    assert archived_folder["saksstatus"] == "A" and archived_folder["writes"] == 2  # created, then closed
    assert sorted(e.journal_number for e in entries) == list(range(1, 9))
    for entry in entries:
        archived = theirs[entry.external_key]
        assert archived["writes"] == 1
        assert entry.archive_reference == f"{archived['journalaar']}/{archived['journalsekvensnummer']}"
        assert archived["journalposttype"] == entry.entry_type
        # Every document the archive holds is the PDF/A we recorded, checksum for checksum.
        ours = {d.number: d for d in entry.documents.all()}
        assert len(archived["documents"]) == len(ours) >= 1
        for document in archived["documents"]:
            archival = next(o for o in document["objects"] if o["variant"] == "A")
            assert archival["sha256"] == ours[document["dokumentnummer"]].sha256
            assert archival["format"] == "RA-PDF"
    application = entries.get(source="application")
    assert application.documents.count() == 4  # the application and its three attachments
    assert [d.role for d in application.documents.order_by("number")] == ["H", "V", "V", "V"]
    # The case is screened (offentleglova § 13): the public title names no one.
    assert archived_folder["skjerming"].startswith("Offl. § 13")
    assert archived_folder["offentligTittel"] != archived_folder["tittel"]


def test_documents_are_pdfa_and_converted_files_keep_their_original(case_life, local_archive):
    case = case_life(close=False)
    drain()
    for document in ArchiveDocument.objects.filter(record__case=case):
        content = document.file.read()
        assert is_pdfa(content), document.title
        assert pdfa_part(content) == "2", document.title
        assert hashlib.sha256(content).hexdigest() == document.sha256
    png = ArchiveDocument.objects.get(record__source="message", title="bilde.png")
    assert png.original_content_type == "image/png" and "PDF/A-2b" in png.conversion
    pdf = ArchiveDocument.objects.get(record__source="documents", title="situasjonsplan.pdf")
    assert "rasterised" in pdf.conversion and pdf.original_file
    # The tests' fake attachments are not readable PDFs: a page says so, the original stays.
    unreadable = ArchiveDocument.objects.filter(record__source="application", role="V").first()
    assert "could not be read" in unreadable.conversion
    entry = next(r for r in local_archive.records() if r["external_key"][1].startswith("message:")
                 and any(d["tittel"] == "bilde.png" for d in r["documents"]))
    variants = {o["variant"] for d in entry["documents"] if d["tittel"] == "bilde.png" for o in d["objects"]}
    assert variants == {"A", "P"}  # the archive got the PNG too, as the production format


def test_the_messages_carry_the_national_id_only_where_fiks_arkiv_has_a_field(case_life, settings, monkeypatch):
    sent = []
    from registers.archive import LocalArchive

    original = LocalArchive.send
    monkeypatch.setattr(LocalArchive, "send", lambda self, message: (sent.append(message), original(self, message))[1])
    case = case_life(close=False)
    drain()
    national_id = case.applicant.national_id
    folder = next(m for m in sent if b"saksmappe" in m.payload)
    root = validate_message(folder.payload)
    assert root.find(f".//{{{NS_OPPRETT}}}personID/{{{NS_OPPRETT}}}identifikator").text == national_id
    for message in sent:
        root = validate_message(message.payload)  # our structural rules of the specification
        if root.find(f".//{{{NS_OPPRETT}}}registrering") is not None:
            citizen = [p for p in root.iter(f"{{{NS_OPPRETT}}}korrespondansepart")
                       if p.findtext(f"{{{NS_OPPRETT}}}personid")]
            # The citizen is a party of what came in and went out; an internal note has none.
            assert [p.findtext(f"{{{NS_OPPRETT}}}personid") for p in citizen] in ([national_id], [])
            assert root.findtext(f".//{{{NS_OPPRETT}}}antallFiler") == str(len(message.files))
        # Nowhere else: not in titles, not in file names.
        text = etree.tostring(root, encoding="unicode")
        assert text.count(national_id) <= 1


def test_archive_down_for_a_while_then_everything_arrives_once(case_life, local_archive, settings):
    case = case_life()
    archive_control(mode="down")
    drain()
    folder_message = ArchiveMessage.objects.get(record__kind="case_file", operation="create")
    assert folder_message.status == Status.RETRY and "Connection refused" in folder_message.last_error
    assert folder_message.next_attempt_at > timezone.now()
    # Entries wait for their case file: nothing was sent for them.
    assert set(ArchiveMessage.objects.exclude(pk=folder_message.pk).values_list("status", flat=True)) == {Status.CREATED}
    assert local_archive.records() == []
    # Still down at the next attempts: backoff grows.
    first_delay = folder_message.next_attempt_at - timezone.now()
    make_due()
    drain()
    folder_message.refresh_from_db()
    assert folder_message.attempts == 2 and folder_message.status == Status.RETRY
    assert folder_message.next_attempt_at - timezone.now() > first_delay * 0.5
    # The archive is back; the sweeper picks up what is due.
    archive_control()
    ArchiveMessage.objects.filter(status=Status.RETRY).update(next_attempt_at=timezone.now() - datetime.timedelta(seconds=1))
    settings.ARCHIVE_REQUEUE_AFTER_SECONDS = 0
    swept = services.archive_sweep()
    assert swept["requeued"] >= 1
    make_due()
    drain()
    assert not ArchiveMessage.objects.exclude(status=Status.ARCHIVED).exists()
    archived_once(local_archive, case)


def test_archive_down_for_good_ends_in_failed_after_the_last_attempt(case_life, settings):
    settings.ARCHIVE_MAX_ATTEMPTS = 2
    case_life(close=False)
    archive_control(mode="down")
    drain()
    make_due()
    drain()
    message = ArchiveMessage.objects.get(record__kind="case_file")
    assert message.status == Status.FAILED and "after 2 attempts" in message.last_error


def test_a_slow_archive_answers_later_and_nothing_is_sent_twice(case_life, local_archive):
    case = case_life(close=False)
    archive_control(mode="slow", delay=1.0)
    drain()
    folder_message = ArchiveMessage.objects.get(record__kind="case_file")
    assert folder_message.status == Status.RECEIVED  # mottatt, no receipt yet
    assert ArchiveMessage.objects.filter(status=Status.CREATED).count() == 8  # entries wait for the case file
    time.sleep(1.1)
    services.archive_replies_process()
    folder_message.refresh_from_db()
    assert folder_message.status == Status.ARCHIVED
    drain()
    time.sleep(1.1)
    services.archive_replies_process()
    assert not ArchiveMessage.objects.exclude(status=Status.ARCHIVED).exists()
    assert all(r["writes"] == 1 for r in archived_once(local_archive, case).values())


def test_a_timeout_after_the_archive_took_the_message_does_not_duplicate(case_life, local_archive):
    case = case_life(close=False)
    archive_control(mode="timeout")
    drain()
    folder_message = ArchiveMessage.objects.get(record__kind="case_file")
    # The call timed out, but the archive had taken it and answered: the replies win.
    assert folder_message.status == Status.ARCHIVED
    archive_control()
    # A retry of the same message after a timeout (a worker that never saw the replies).
    ArchiveMessage.objects.filter(pk=folder_message.pk).update(status=Status.RETRY, next_attempt_at=None)
    services.archive_send(message_id=folder_message.pk)
    drain()
    assert any(c["outcome"] == "duplicate message id" for c in local_archive.calls())
    assert all(r["writes"] == 1 for r in archived_once(local_archive, case).values())


def test_a_rejected_message_is_shown_to_the_caseworker_and_a_resend_after_the_fix_archives_it(
        case_life, local_archive, client):
    case = case_life()
    archive_control(known_units=["Barnehage"])  # the archive does not know the building department yet
    drain()
    folder_message = ArchiveMessage.objects.get(record__kind="case_file", operation="create")
    assert folder_message.status == Status.FAILED
    assert "Unknown administrativEnhet 'Byggesak'" in folder_message.last_error
    assert ArchiveMessage.objects.filter(status=Status.CREATED).count() == 9  # entries and the update wait

    caseworker = StaffFactory(departments=[case.department])
    client.force_login(caseworker)
    page = client.get(reverse("caseworker:cases_case_change", args=[case.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Unknown administrativEnhet" in html
    resend_url = reverse("caseworker:archive_message_resend", args=[folder_message.pk])
    assert resend_url in html

    archive_control(known_units=["Barnehage", "Byggesak"])  # the archivist adds the unit
    response = client.post(resend_url)
    assert response.status_code == 302
    drain()
    assert ArchiveMessage.objects.filter(status=Status.FAILED).count() == 1  # the original stays as the record
    assert not ArchiveMessage.objects.exclude(status__in=[Status.ARCHIVED, Status.FAILED]).exists()
    archived_once(local_archive, case)
    page = client.get(reverse("caseworker:cases_case_change", args=[case.pk])).content.decode()
    folder = ArchiveRecord.objects.get(case=case, kind="case_file")
    assert folder.archive_reference in page and "Unknown administrativEnhet" not in page


def test_resend_only_of_a_failed_message_and_only_by_the_cases_caseworkers(case_life, client):
    case = case_life(close=False)
    archive_control(known_units=[])
    drain()
    failed = ArchiveMessage.objects.get(status=Status.FAILED)
    url = reverse("caseworker:archive_message_resend", args=[failed.pk])
    other_department = DepartmentFactory(code="andre", name="Andre")
    client.force_login(StaffFactory(departments=[other_department]))
    assert client.post(url).status_code == 404
    client.force_login(CitizenFactory())
    assert client.post(url).status_code == 302 and not failed.resends.exists()  # to the staff login
    client.force_login(StaffFactory(departments=[case.department]))
    assert client.get(url).status_code == 405
    client.post(url)
    client.post(url)  # a double click: the second finds nothing to resend (the first is the resend)
    assert failed.resends.count() == 1
    with pytest.raises(services.NotResendable):
        services.archive_message_resend(message=ArchiveMessage.objects.get(record__kind="registry_entry",
                                                                           record__source="application"),
                                        by=StaffFactory())


def test_the_archive_rejects_an_invalid_message_with_its_reason(local_archive):
    payload = (f'<arkivmelding xmlns="{NS_OPPRETT}"><system>MinSide</system><antallFiler>0</antallFiler>'
               "<mappe><offentligTittel>x</offentligTittel></mappe></arkivmelding>").encode()
    local_archive.send(OutgoingMessage(message_id="m-1", message_type=OPPRETT, payload=payload))
    [reply] = local_archive.replies()
    assert reply.message_type == UGYLDIG and reply.in_reply_to == "m-1"
    assert b"tittel" in reply.payload  # the reason names what is wrong
    local_archive.acknowledge(reply.reply_id)
    assert local_archive.replies() == [] and local_archive.records() == []


def test_an_unacknowledged_reply_is_delivered_again(local_archive, monkeypatch):
    payload = b"<not-xml"
    local_archive.send(OutgoingMessage(message_id="m-2", message_type=OPPRETT, payload=payload))
    [first] = local_archive.replies()
    assert local_archive.replies() == []
    monkeypatch.setattr(type(local_archive), "REDELIVER_AFTER", -1)
    local_archive.replies()  # releases what was claimed and not acknowledged
    [again] = local_archive.replies()
    assert again.reply_id == first.reply_id


def test_the_same_event_twice_is_archived_once(case_life):
    from correspondence.models import Letter

    case = case_life(close=False)
    letter = Letter.objects.filter(case=case).first()
    before = ArchiveMessage.objects.count()
    services.archive_letter(letter=letter)
    assert ArchiveMessage.objects.count() == before


def test_letters_and_messages_outside_a_case_are_not_archived(db):
    from correspondence.services import letter_create, message_create, thread_get_or_create_general

    citizen = CitizenFactory()
    letter_create(recipient=citizen, kind="general", title="Info", template="correspondence/pdf/general.html", context={})
    message_create(thread=thread_get_or_create_general(citizen=citizen), sender=citizen, body="Hei",
                   from_municipality=False)
    assert not ArchiveRecord.objects.exists()


def test_internal_notes_are_archived_only_when_the_municipality_wants_them(case_life, settings):
    settings.ARCHIVE_INTERNAL_NOTES = False
    case = case_life(close=False)
    assert not ArchiveRecord.objects.filter(case=case, source="note").exists()


def test_the_case_page_shows_the_archive_with_a_flat_number_of_queries(case_life, client, django_assert_max_num_queries):
    from archive.panels import archive_references

    case = case_life(close=False)
    drain()
    caseworker = StaffFactory(departments=[case.department])
    request = type("R", (), {"user": caseworker})()
    # Two queries: the case's records, and their messages (prefetched), however many there are.
    with django_assert_max_num_queries(2):
        template, panel = archive_references(request, case)
    assert len(panel["entries"]) == 8 and panel["case_file"].archive_reference
    client.force_login(caseworker)
    html = client.get(reverse("caseworker:cases_case_change", args=[case.pk])).content.decode()
    assert "Journalposter" in html  # the page is in bokmål
    for entry in ArchiveRecord.objects.filter(case=case, kind="registry_entry"):
        assert entry.archive_reference in html


def test_the_caseworkers_archive_message_list_shows_only_their_departments(case_life, client):
    case = case_life(close=False)
    other = StaffFactory(departments=[DepartmentFactory(code="andre", name="Andre")])
    client.force_login(other)
    response = client.get(reverse("caseworker:archive_archivemessage_changelist"))
    assert response.status_code == 200 and f">{case.case_number}<" not in response.content.decode()
    client.force_login(StaffFactory(departments=[case.department]))
    assert f">{case.case_number}<" in client.get(reverse("caseworker:archive_archivemessage_changelist")).content.decode()


def test_submitting_enqueues_the_archive_after_commit(db, kari, fees, departments, django_capture_on_commit_callbacks,
                                                      monkeypatch):
    from accounts.selectors import Party
    from applications.services import application_start, application_submit, attachment_add
    from archive import tasks

    from .conftest import building_data, pdf

    enqueued = []
    monkeypatch.setattr(tasks.archive_send, "apply_async", lambda args, **kw: enqueued.append(args[0]))
    application = application_start(type_key="building_permit", party=Party(person=kari))
    application.data = building_data()
    application.save()
    for kind in ("site_plan", "drawings", "neighbour_receipt"):
        attachment_add(application=application, kind=kind, file=pdf(f"{kind}.pdf"))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        application_submit(application=application, by=kari)
        assert enqueued == []  # nothing before commit
    for callback in callbacks:
        callback()
    assert set(enqueued) == {str(pk) for pk in ArchiveMessage.objects.values_list("pk", flat=True)}
    assert len(enqueued) == 3  # the case file, the application, the receipt



def test_the_sweeper_leaves_entries_of_a_rejected_case_file_alone(case_life, settings, monkeypatch):
    from archive import tasks

    case_life(close=False)
    archive_control(known_units=[])
    drain()
    settings.ARCHIVE_REQUEUE_AFTER_SECONDS = 0
    enqueued = []
    monkeypatch.setattr(tasks.archive_send, "apply_async", lambda args, **kw: enqueued.append(args[0]))
    assert services.archive_sweep()["requeued"] == 0 and enqueued == []
    failed = ArchiveMessage.objects.get(status=Status.FAILED)
    archive_control()
    services.archive_message_resend(message=failed, by=StaffFactory())
    assert services.archive_sweep()["requeued"] == 1  # the resend of the case file, not the waiting entries


def test_a_deposit_that_breaks_unexpectedly_is_marked_failed(case_life, monkeypatch):
    from archive import deposit as deposit_module

    case_life()
    monkeypatch.setattr(deposit_module.DepositBuilder, "_archive_head", lambda self, s: 1 / 0)
    today = timezone.localdate()
    deposit = deposit_module.deposit_build(deposit=deposit_module.deposit_request(start=today, end=today))
    assert deposit.status == "failed" and "division by zero" in deposit.last_error


def test_the_archive_message_list_costs_the_same_queries_for_more_cases(db, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from archive.services import case_file_record
    from tests.factories import CaseFactory

    department = DepartmentFactory(code="byggesak", name="Byggesak")
    client.force_login(StaffFactory(departments=[department]))
    url = reverse("caseworker:archive_archivemessage_changelist")

    def queries_for_page() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    case_file_record(case=CaseFactory(department=department))
    one = queries_for_page()
    for _ in range(5):
        case_file_record(case=CaseFactory(department=department))
    # Session, user, the user's departments, the messages with their records and cases in one
    # query (list_select_related), the filters: the same count for 1 row as for 6.
    assert queries_for_page() == one


def test_archive_work_has_its_own_queue_and_a_sweeper_every_minute():
    from core.discovery import beat_schedule, route_task

    assert route_task("archive.tasks.archive_send", (), {}, {}) == {"queue": "archive"}
    assert route_task("archive.tasks.periodic_archive_sweep", (), {}, {}) == {"queue": "periodic"}
    assert beat_schedule()["archive-sweep"]["schedule"] == 60.0
