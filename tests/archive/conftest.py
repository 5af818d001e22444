"""Fixtures for the archive: a local archive of the test's own (spool in tmp_path), the life of
a demo case (every kind of document a case gets), and `drain` to run the outbox to the end."""

import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from accounts.selectors import Party
from archive import services
from archive.models import ArchiveMessage
from registers.archive import LocalArchive, archive_control
from tests.applications.conftest import building_data, kindergarten_data, pdf  # noqa: F401
from tests.factories import StaffFactory


@pytest.fixture(autouse=True)
def _archive_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.LOCAL_PROVIDER_SPOOL_DIR = str(tmp_path / "spool")
    settings.ARCHIVE_INTERNAL_NOTES = True
    archive_control()


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def local_archive():
    return LocalArchive()


def png_bytes(width=4, height=3) -> bytes:
    """A small, valid PNG (grey pixels)."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def pdfa_part(content: bytes) -> str:
    """The PDF/A part the file declares in its XMP metadata (pypdf), "" if none."""
    import io
    import re

    from pypdf import PdfReader

    xmp = PdfReader(io.BytesIO(content)).xmp_metadata
    raw = xmp.stream.get_data().decode("utf-8", "replace") if xmp else ""
    found = re.search(r"pdfaid:part(?:>|=\")(\d)", raw)
    return found.group(1) if found else ""


def real_pdf_bytes() -> bytes:
    from correspondence.pdf import render_pdf

    return render_pdf(template="archive/pdf/unreadable.html", context={"name": "vedlegg", "size": 1, "sha256": "x",
                                                                       "content_type": "application/pdf"})


def drain(*, rounds: int = 20) -> int:
    """Send every sendable message and apply the replies, until nothing moves (what Celery and
    the sweeper do, in this process). Returns how many sends were tried."""
    tried = 0
    for _round in range(rounds):
        pending = list(ArchiveMessage.objects.filter(status__in=ArchiveMessage.SENDABLE, next_attempt_at__isnull=True)
                       .order_by("created_at").values_list("pk", flat=True))
        moved = 0
        for pk in pending:
            result = services.archive_send(message_id=pk)
            tried += 1
            moved += result is not None
        services.archive_replies_process()
        if not moved:
            return tried
    return tried


@pytest.fixture
def case_life(db, kari, fees, departments):
    """The life of a building-permit case, every kind of document: the application with three
    attachments, the receipt, a request for information and the answer (a PDF), a message each
    way (the citizen's with a PNG), an internal note, the decision and the closing."""
    from applications.services import application_start, application_submit, attachment_add
    from cases import services as case_services
    from correspondence.services import message_create, thread_get_or_create_for_case

    def run(*, close: bool = True):
        application = application_start(type_key="building_permit", party=Party(person=kari))
        application.data = building_data()
        application.save()
        for kind in ("site_plan", "drawings", "neighbour_receipt"):
            attachment_add(application=application, kind=kind, file=pdf(f"{kind}.pdf"))
        case = application_submit(application=application, by=kari)
        caseworker = StaffFactory(departments=[case.department], first_name="Siri", last_name="Saksbehandler")
        import datetime

        from django.utils import timezone
        request = case_services.case_request_information(
            case=case, by=caseworker, text="Send a new site plan.", documents_requested="Site plan",
            due_date=timezone.localdate() + datetime.timedelta(days=14))
        case_services.case_information_submit(
            information_request=request, by=kari, comment="Here it is.",
            files=[SimpleUploadedFile("situasjonsplan.pdf", real_pdf_bytes(), content_type="application/pdf")])
        thread = thread_get_or_create_for_case(case=case)
        message_create(thread=thread, sender=kari, body="When will you decide?", from_municipality=False,
                       attachments=[SimpleUploadedFile("bilde.png", png_bytes(), content_type="image/png")])
        message_create(thread=thread, sender=caseworker, body="Within three weeks.", from_municipality=True)
        case_services.case_note_add(case=case, by=caseworker, text="Checked the zoning plan.")
        case.refresh_from_db()
        case_services.case_decide(case=case, by=caseworker, outcome="approved", reasoning="Follows the plan.",
                                  legal_basis="pbl. § 20-4")
        if close:
            case.refresh_from_db()
            case_services.case_close(case=case, by=caseworker)
        case.refresh_from_db()
        return case
    return run


@pytest.fixture
def kari(db):
    from registers import demo_data
    from tests.factories import CitizenFactory

    return CitizenFactory(national_id=demo_data.KARI, first_name="Kari", last_name="Nordmann")


@pytest.fixture
def departments(db):
    from tests.factories import DepartmentFactory

    return {code: DepartmentFactory(code=code, name=code.title()) for code in ("barnehage", "byggesak")}


@pytest.fixture
def fees(db):
    from building_permit.tests.factories import BuildingFeeFactory

    return [BuildingFeeFactory(permit_kind="20-4", category="garage", amount=8900)]


__all__ = ["archive_control", "drain", "kindergarten_data"]
