"""insights: a manager logs in to the caseworker site, opens the statistics from the index,
picks a period (a wrong one first), and downloads a table as CSV. axe-core on every page,
including the error state."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import expect

from cases.models import Case
from tests.browser import assert_accessible
from tests.factories import CaseFactory, DepartmentFactory, StaffFactory

PASSWORD = "correct-horse-battery"


@pytest.mark.django_db(transaction=True)
def test_manager_reads_the_statistics_and_downloads_a_table(page, live_url):
    cache.clear()  # login rate limits live in the cache
    barnehage = DepartmentFactory(code="barnehage", name="Barnehage")
    manager = StaffFactory(email="leder@kommune.example", departments=[barnehage])
    now = timezone.now()
    for days in (2, 4, 9):
        CaseFactory(department=barnehage, status=Case.Status.DECIDED, received_at=now - datetime.timedelta(days=20),
                    decided_at=now - datetime.timedelta(days=20 - days))
    CaseFactory(department=barnehage, received_at=now, deadline=timezone.localdate() - datetime.timedelta(days=1))

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_url}/saksbehandling/")
    page.get_by_label(re.compile("e-post|email", re.I)).fill(manager.email)
    page.get_by_label(re.compile("passord|password", re.I)).fill(PASSWORD)
    page.get_by_role("button", name=re.compile("Logg inn|Log in")).click()
    expect(page).to_have_url(re.compile("/saksbehandling/$"))

    page.get_by_role("link", name="Statistikk: gevinster av digitalisering").click()
    expect(page.get_by_role("heading", name="Søknader sendt inn per måned")).to_be_visible()
    processing = page.get_by_role("table", name="Saker avgjort i perioden: dager fra mottatt til vedtak")
    expect(processing).to_contain_text("Barnehageplass")
    expect(processing.get_by_role("row", name=re.compile("Barnehageplass"))).to_contain_text("4,0")  # median of 2, 4, 9
    assert_accessible(page, context="(statistics)")

    # A period that ends before it starts: a clear error, and no figures for it.
    page.get_by_label("Fra").fill("2026-06-01")
    page.get_by_label("Til").fill("2026-05-01")
    page.get_by_role("button", name="Vis tall").click()
    expect(page.get_by_role("alert")).to_contain_text("Starten av perioden må være før eller lik slutten.")
    assert_accessible(page, context="(statistics, bad period)")

    page.get_by_label("Til").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Vis tall").click()
    expect(page.get_by_role("table", name=re.compile("Søknader sendt inn i Min Side"))).to_contain_text("4")
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("Last ned som CSV.*saksbehandlingstid")).click()
    download = download_info.value
    assert download.suggested_filename.startswith("statistikk-behandlingstid-2026-06-01-")
    text = open(download.path(), encoding="utf-8-sig").read()
    assert text.splitlines()[1].startswith("Barnehageplass;3;4,0;")
