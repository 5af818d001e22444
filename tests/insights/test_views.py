"""The statistics page on the caseworker site: who may see it, what it shows, its CSV files."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import Case
from insights import selectors
from tests.factories import (
    ApplicationFactory,
    CaseFactory,
    CitizenFactory,
    LetterDeliveryFactory,
    LetterFactory,
    StaffFactory,
)

from .conftest import at

PAGE = reverse("caseworker:insights_statistics")
pytestmark = pytest.mark.django_db


def csv_url(table):
    return reverse("caseworker:insights_statistics_csv", args=[table])


def read_csv(response):
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def test_anonymous_is_sent_to_login(client):
    response = client.get(PAGE)
    assert response.status_code == 302 and "login" in response["Location"]
    assert client.get(csv_url("brev")).status_code == 302


def test_a_citizen_gets_no_statistics(client):
    client.force_login(CitizenFactory())
    response = client.get(PAGE)
    assert response.status_code == 302 and "login" in response["Location"]
    assert client.get(csv_url("soknader-per-maned")).status_code == 302


def test_staff_without_a_department_gets_no_statistics(client):
    client.force_login(StaffFactory())
    assert client.get(PAGE).status_code == 302


def test_the_caseworker_index_links_to_the_statistics(client, manager):
    client.force_login(manager)
    assert PAGE in client.get(reverse("caseworker:index")).content.decode()


def test_the_page_shows_only_the_viewers_departments(client, manager, barnehage, byggesak):
    today = timezone.localdate()
    received = timezone.now() - datetime.timedelta(days=3)
    CaseFactory(department=barnehage, received_at=received, deadline=today - datetime.timedelta(days=1))
    CaseFactory(department=barnehage, received_at=received, status=Case.Status.DECIDED,
                decided_at=received + datetime.timedelta(days=2), deadline=today)
    for _ in range(7):
        CaseFactory(department=byggesak, application_type="building_permit", received_at=received)
    client.force_login(manager)
    response = client.get(PAGE)
    assert response.status_code == 200
    stats = response.context["stats"]
    assert stats.monthly.total == 2
    assert [(r.type_key, r.open, r.overdue) for r in stats.open] == [("kindergarten", 1, 1)]
    assert [(r.type_key, r.decided, r.median_days) for r in stats.processing] == [("kindergarten", 1, 2.0)]
    body = response.content.decode()
    assert '<caption>' in body and 'scope="col"' in body and 'scope="row"' in body
    assert "Byggesak" not in body  # not offered as a choice either

    # A superuser sees every department.
    client.force_login(StaffFactory(is_superuser=True))
    assert client.get(PAGE).context["stats"].monthly.total == 9


def test_choosing_another_department_than_ones_own_is_refused(client, manager, byggesak):
    CaseFactory(department=byggesak, application_type="building_permit")
    client.force_login(manager)
    response = client.get(PAGE, {"department": byggesak.pk})
    assert response.status_code == 400
    assert response.context["stats"] is None
    assert "department" in response.context["form"].errors


def test_a_bad_period_gets_a_clear_error_and_no_figures(client, manager):
    client.force_login(manager)
    response = client.get(PAGE, {"start": "2026-05-01", "end": "2026-04-01"})
    assert response.status_code == 400
    body = response.content.decode()
    assert response.context["stats"] is None
    assert "ds-error-summary" in body
    assert response.context["form"].non_field_errors() == ["Starten av perioden må være før eller lik slutten."]
    response = client.get(PAGE, {"start": "not a date", "end": "2026-04-01"})
    assert response.status_code == 400 and "start" in response.context["form"].errors
    response = client.get(PAGE, {"start": "2016-01-01", "end": "2026-04-01"})
    assert response.status_code == 400 and response.context["form"].errors
    response = client.get(csv_url("brev"), {"start": "2026-05-01", "end": "2026-04-01"})
    assert response.status_code == 400
    assert "Starten av perioden" in response.content.decode()


def test_the_page_in_nynorsk(client, manager):
    client.cookies["django_language"] = "nn"
    client.force_login(manager)
    body = client.get(PAGE).content.decode()
    assert 'lang="nn"' in body
    assert "Søknader sende inn per månad" in body
    assert "Last ned som CSV" in body


def test_csv_of_applications_per_month(client, manager, barnehage):
    CaseFactory(department=barnehage, received_at=at("2026-01-10"))
    CaseFactory(department=barnehage, received_at=at("2026-03-10"))
    client.force_login(manager)
    response = client.get(csv_url("soknader-per-maned"), {"start": "2026-01-01", "end": "2026-03-31"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="statistikk-soknader-per-maned-2026-01-01-2026-03-31.csv"' in response["Content-Disposition"]
    assert read_csv(response) == [
        ["Måned", "Barnehageplass", "Totalt"],
        ["2026-01", "1", "1"],
        ["2026-02", "0", "0"],
        ["2026-03", "1", "1"],
        ["Totalt", "2", "2"],
    ]


def test_csv_of_letters_has_counts_and_savings_and_no_personal_data(client, manager, barnehage):
    citizen = CitizenFactory(first_name="Kari", last_name="Nordmann")
    case = CaseFactory(department=barnehage, applicant=citizen)
    for channel, status in (("digital_mailbox", "delivered"), ("paper", "sent"), ("email", "sent")):
        LetterDeliveryFactory(letter=LetterFactory(case=case, recipient=citizen, title="Vedtak om plass"),
                              channel=channel, status=status)
    client.force_login(manager)
    response = client.get(csv_url("brev"))
    rows = read_csv(response)
    assert rows == [
        ["Leveringskanal", "Brev"],
        ["Digital postkasse", "1"],
        ["Min Side med varsel", "1"],
        ["Papir", "1"],
        ["Ikke levert ennå", "0"],
        ["Totalt", "3"],
        ["Anslått innsparing (kr)", "50"],
    ]
    text = response.content.decode()
    for personal in ("Kari", "Nordmann", citizen.national_id, "Vedtak om plass", case.case_number):
        assert personal not in text


def test_csv_of_processing_time_uses_decimal_comma(client, manager, barnehage):
    received = at("2026-02-01")
    for hours in (36, 60):
        CaseFactory(department=barnehage, status=Case.Status.DECIDED, received_at=received,
                    decided_at=received + datetime.timedelta(hours=hours),
                    deadline=datetime.date(2026, 2, 3))
    client.force_login(manager)
    rows = read_csv(client.get(csv_url("behandlingstid"), {"start": "2026-01-01", "end": "2026-03-31"}))
    assert rows[0] == ["Søknadstype", "Saker avgjort", "Median (dager)", "90-persentil (dager)", "Med frist",
                       "Avgjort innen fristen", "Innen fristen (%)"]
    assert rows[1] == ["Barnehageplass", "2", "2,0", "2,4", "2", "1", "50,0"]


@pytest.mark.parametrize("table", ["soknader-per-maned", "digital-andel", "behandlingstid", "apne-saker", "brev", "utkast"])
def test_every_table_downloads(client, manager, barnehage, table):
    now = timezone.now()
    CaseFactory(department=barnehage, status=Case.Status.DECIDED, received_at=now - datetime.timedelta(days=2),
                decided_at=now)
    CaseFactory(department=barnehage)  # open
    ApplicationFactory(type_key="kindergarten")
    client.force_login(manager)
    response = client.get(csv_url(table))
    assert response.status_code == 200
    rows = read_csv(response)
    assert len(rows) >= 2
    assert "Barnehageplass" in {cell for row in rows for cell in row} or table == "brev"


def test_an_unknown_table_is_404(client, manager):
    client.force_login(manager)
    assert client.get(csv_url("personnummer")).status_code == 404


def _bulk_cases(n, department):
    applicants = CitizenFactory.create_batch(5)
    start = Case.objects.count()
    now = timezone.now()
    Case.objects.bulk_create([
        CaseFactory.build(department=department, applicant=applicants[i % 5], case_number=f"2026/{50000 + start + i}",
                          received_at=now - datetime.timedelta(days=i % 300),
                          status=Case.Status.DECIDED if i % 2 else Case.Status.RECEIVED,
                          decided_at=now - datetime.timedelta(days=i % 300) + datetime.timedelta(days=i % 40) if i % 2 else None)
        for i in range(n)
    ])


def test_query_count_is_flat_from_10_to_500_cases(client, manager, barnehage, django_assert_max_num_queries):
    client.force_login(manager)
    counts = []
    for n in (10, 500):
        _bulk_cases(n - Case.objects.count(), barnehage)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(PAGE)
        assert response.status_code == 200
        assert response.context["stats"].monthly.total == n
        counts.append(len(captured))
    print(f"statistics page queries: 10 cases={counts[0]}, 500 cases={counts[1]}")
    assert counts[0] == counts[1]


def test_the_figures_take_a_fixed_number_of_queries(manager, barnehage, django_assert_num_queries):
    # One query per table (the digital share reuses the monthly counts; drafts: live and
    # deleted ones), the scope's department codes once, the municipality's own paper baselines
    # once; without PostgreSQL's percentile_cont one more for the durations.
    expected = 8 if connection.vendor == "postgresql" else 9
    for n in (10, 500):
        _bulk_cases(n - Case.objects.count(), barnehage)
        scope = selectors.scope_for(user=manager, start=datetime.date(2025, 12, 1), end=timezone.localdate())
        with django_assert_num_queries(expected):
            stats = selectors.statistics_for(scope=scope)
        assert stats.monthly.total == n


# --- compared with the other municipalities ---------------------------------------------------

def _decided_case(municipality, *, days: int, within: bool):
    from tests.factories import CaseFactory, DepartmentFactory

    department = DepartmentFactory(municipality=municipality, code="barnehage", name="Barnehage")
    now = timezone.now()
    received = now - datetime.timedelta(days=days)
    deadline = (now + datetime.timedelta(days=1)) if within else (now - datetime.timedelta(days=1))
    return CaseFactory(department=department, status=Case.Status.DECIDED, received_at=received, decided_at=now,
                       deadline=timezone.localdate(deadline))


@pytest.fixture
def peers(db):
    from tests.factories import MunicipalityFactory, MunicipalityHostFactory

    own = MunicipalityFactory(number="3301")
    lier = MunicipalityFactory(number="3312", name="Lier kommune", publish_statistics=True)
    eiker = MunicipalityFactory(number="3314", name="Øvre Eiker kommune", publish_statistics=False)
    for municipality, host in ((own, "drammen.localhost"), (lier, "lier.localhost"), (eiker, "ovre-eiker.localhost")):
        MunicipalityHostFactory(municipality=municipality, host=host)
    _decided_case(own, days=10, within=True)
    _decided_case(lier, days=20, within=True)
    _decided_case(eiker, days=40, within=False)
    return own, lier, eiker


def test_own_figures_stand_next_to_the_median_and_only_published_peers_by_name(client, peers):
    from insights.selectors import comparison_for

    own, lier, eiker = peers
    today = timezone.localdate()
    comparison = comparison_for(municipality_id=own.pk, start=today - datetime.timedelta(days=30), end=today)
    assert comparison.municipalities == 3
    assert round(comparison.own.median_days) == 10 and round(comparison.median.median_days) == 20
    assert comparison.own.within_share == 1.0 and comparison.median.within_share == 1.0
    assert [name for name, _figures in comparison.published] == ["Lier kommune"]

    manager = StaffFactory(departments=list(own.departments.all()))
    client.force_login(manager)
    html = client.get(reverse("caseworker:insights_statistics"), HTTP_HOST="drammen.localhost").content.decode()
    assert "Median of the municipalities" in html or "Median" in html
    assert "Lier kommune" in html and "Øvre Eiker kommune" not in html


def test_no_median_with_too_few_municipalities_to_hide_the_other(db):
    from insights.selectors import comparison_for
    from tests.factories import MunicipalityFactory

    own = MunicipalityFactory(number="3301")
    other = MunicipalityFactory(number="3312")
    _decided_case(own, days=10, within=True)
    _decided_case(other, days=30, within=False)
    today = timezone.localdate()
    comparison = comparison_for(municipality_id=own.pk, start=today - datetime.timedelta(days=30), end=today)
    assert comparison.median is None and comparison.published == []
    assert round(comparison.own.median_days) == 10
