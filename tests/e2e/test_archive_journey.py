"""archive: a caseworker opens a case whose case file the archive rejected, reads the archive's
reason in the case page's archive section, sends it again after the archivist fixed the cause,
and then sees the archive's case number and registry entry numbers. axe-core on each state."""

import re

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from archive.models import ArchiveRecord
from correspondence.services import letter_create
from registers.archive import archive_control
from tests.archive.conftest import drain
from tests.browser import assert_accessible
from tests.factories import CaseFactory, DepartmentFactory, StaffFactory

PASSWORD = "correct-horse-battery"


@pytest.mark.django_db(transaction=True)
def test_caseworker_sees_a_rejection_resends_and_reads_the_archive_references(page, live_url, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.LOCAL_PROVIDER_SPOOL_DIR = str(tmp_path / "spool")
    cache.clear()  # login rate limits live in the cache
    byggesak = DepartmentFactory(code="byggesak", name="Byggesak")
    caseworker = StaffFactory(email="bygg@kommune.example", departments=[byggesak])
    case = CaseFactory(department=byggesak, title="Byggesøknad: garasje, 12/34")
    letter_create(recipient=case.applicant, kind="general", title=f"Informasjon i sak {case.case_number}",
                  template="correspondence/pdf/general.html", context={"body": "Vi ser på saken."}, case=case)
    archive_control(known_units=["Barnehage"])  # the archive does not know the building department
    drain()

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_url}/saksbehandling/")
    page.get_by_label(re.compile("e-post|email", re.I)).fill(caseworker.email)
    page.get_by_label(re.compile("passord|password", re.I)).fill(PASSWORD)
    page.get_by_role("button", name=re.compile("Logg inn|Log in")).click()
    expect(page).to_have_url(re.compile("/saksbehandling/$"))
    page.goto(f"{live_url}/saksbehandling/cases/case/{case.pk}/change/")
    archive = page.get_by_role("region", name="Arkiv")
    expect(archive.get_by_role("alert")).to_contain_text("Unknown administrativEnhet 'Byggesak'")
    assert_accessible(page, context="(archive rejected the case file)")

    archive_control()  # the archivist adds the unit
    archive.get_by_role("button", name="Send til arkivet igjen").click()
    expect(page.get_by_text("Dokumentet er på vei til arkivet igjen.")).to_be_visible()
    drain()  # what the worker does
    page.reload()
    folder = ArchiveRecord.objects.get(case=case, kind="case_file")
    entry = ArchiveRecord.objects.get(case=case, kind="registry_entry")
    archive = page.get_by_role("region", name="Arkiv")
    expect(archive).to_contain_text(re.compile(rf"Saksmappe i arkivet:\s*{re.escape(folder.archive_reference)}"))
    expect(archive.get_by_role("table", name="Journalposter")).to_contain_text(entry.archive_reference)
    expect(archive.get_by_role("alert")).to_have_count(0)
    assert_accessible(page, context="(archived)")
