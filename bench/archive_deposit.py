"""archive: how long the Noark 5 deposit package of 10,000 closed cases takes, and that memory
stays flat (the package streams to storage). Each case has a case file and five registry
entries (the application with an attachment, the receipt, a request and its answer, the
decision): 60,000 documents of real PDF/A files. A 1,000-case package is built first, in the
same run, as the baseline the 10,000 are compared with. Prints figures; asserts only that the
packages were made. Run with pytest on PostgreSQL:

    DJANGO_ENV=test DATABASE_URL=postgres://postgres@127.0.0.1:5432/minside \\
        .venv/bin/pytest -p no:xdist -p no:playwright bench/archive_deposit.py -q -s
"""

import datetime
import hashlib
import resource
import time

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from accounts.models import User
from archive.deposit import deposit_build, deposit_request
from archive.documents import ARCHIVE_PDF_VARIANT
from archive.models import ArchiveDocument, ArchiveRecord
from cases.models import Case, CaseEvent
from correspondence.pdf import render_pdf
from tests.factories import CitizenFactory, DepartmentFactory

ENTRIES = [("application", "I", 2), ("letter", "U", 1), ("letter", "U", 1), ("documents", "I", 1), ("letter", "U", 1)]


def _files() -> list[tuple[str, str, int]]:
    """A few real PDF/A files in storage (name, sha256, size), shared by the documents."""
    files = []
    for n in range(4):
        content = render_pdf(template="archive/pdf/unreadable.html", pdf_variant=ARCHIVE_PDF_VARIANT,
                             context={"name": f"dokument-{n}" * (n + 1), "size": n, "sha256": "x" * 64,
                                      "content_type": "application/pdf"})
        name = default_storage.save(f"archive/bench/{n}.pdf", ContentFile(content))
        files.append((name, hashlib.sha256(content).hexdigest(), len(content)))
    return files


def _load(count: int, *, first: int, closed_on: datetime.datetime, department, citizens, files) -> None:
    cases = [Case(case_number=f"{closed_on.year}/{first + i}", application_type="building_permit",
                  title=f"Byggesøknad {first + i}", department=department, applicant=citizens[i % len(citizens)],
                  received_at=closed_on - datetime.timedelta(days=30), status=Case.Status.CLOSED)
             for i in range(count)]
    Case.objects.bulk_create(cases, batch_size=2000)
    CaseEvent.objects.bulk_create([CaseEvent(case=c, kind=CaseEvent.Kind.STATUS_CHANGED, from_status="decided",
                                             to_status="closed") for c in cases], batch_size=5000)
    CaseEvent.objects.filter(case__in=cases).update(created_at=closed_on)
    folders = ArchiveRecord.objects.bulk_create([
        ArchiveRecord(case=c, kind="case_file", source="case", source_id=str(c.pk), external_key=f"case:{c.pk}",
                      title=c.title, occurred_at=c.received_at) for c in cases], batch_size=5000)
    entries = ArchiveRecord.objects.bulk_create([
        ArchiveRecord(case=folder.case, case_file=folder, kind="registry_entry", source=source,
                      source_id=f"{folder.case_id}-{n}", external_key=f"{source}:{folder.case_id}-{n}",
                      entry_type=entry_type, title=f"Dokument {n}", occurred_at=folder.occurred_at)
        for folder in folders for n, (source, entry_type, _docs) in enumerate(ENTRIES)], batch_size=5000)
    documents = []
    for index, entry in enumerate(entries):
        for number in range(1, ENTRIES[index % len(ENTRIES)][2] + 1):
            name, sha, size = files[(index + number) % len(files)]
            documents.append(ArchiveDocument(record=entry, number=number, role="H" if number == 1 else "V",
                                             document_type="DOKUMENT", title=f"Dokument {number}", file=name,
                                             sha256=sha, size=size))
    ArchiveDocument.objects.bulk_create(documents, batch_size=5000)


def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@pytest.mark.django_db
def test_deposit_package_of_10000_cases(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    department = DepartmentFactory(code="byggesak", name="Byggesak")
    citizens = User.objects.bulk_create([CitizenFactory.build(national_id=None) for _ in range(500)])
    files = _files()
    now = timezone.now()
    baseline_day = now - datetime.timedelta(days=400)
    _load(1_000, first=1, closed_on=baseline_day, department=department, citizens=citizens, files=files)
    _load(10_000, first=2_000, closed_on=now, department=department, citizens=citizens, files=files)

    figures = {}
    for label, day in (("1,000", baseline_day), ("10,000", now)):
        date = timezone.localdate(day)
        before = _maxrss_mb()
        started = time.monotonic()
        deposit = deposit_build(deposit=deposit_request(start=date, end=date))
        elapsed = time.monotonic() - started
        assert deposit.status == "ready", deposit.last_error
        figures[label] = (elapsed, deposit, _maxrss_mb() - before)
    for label, (elapsed, deposit, grown) in figures.items():
        print(f"\n{label} cases: {deposit.registry_entries} registry entries, {deposit.documents} documents, "
              f"{deposit.size / 1e6:.0f} MB package in {elapsed:.1f} s "
              f"({deposit.case_files / elapsed:.0f} cases/s); peak memory grew {grown:.0f} MB")
    ratio = figures["10,000"][0] / figures["1,000"][0]
    print(f"10,000 / 1,000 cases: {ratio:.1f}x the time (10x = linear)")
