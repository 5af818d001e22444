"""The caseworker's queue at 100,000 cases: prints timings and query counts, asserts only that
the query count stays what it is at 10 cases. Run with pytest (it uses pytest-django fixtures) on
PostgreSQL:

    DJANGO_ENV=test DATABASE_URL=postgres://postgres@127.0.0.1:5432/minside \\
        .venv/bin/pytest -p no:xdist bench/caseworker_queue.py -q -s
"""

import datetime
import random
import statistics
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from cases.models import Case
from tests.factories import CitizenFactory, DepartmentFactory, StaffFactory

N_CASES = 100_000
N_CITIZENS = 5_000
RUNS = 7
EXPLAIN = __import__('os').environ.get('EXPLAIN') == '1'


def _bulk_cases(departments, staff):
    rng = random.Random(4)
    citizens = User.objects.bulk_create([
        CitizenFactory.build(national_id=None, first_name=rng.choice(["Kari", "Ola", "Nora", "Emil", "Sara", "Jonas"]),
                             last_name=f"Etternavn{i}") for i in range(N_CITIZENS)
    ], batch_size=2000)
    statuses = Case.Status.values
    now = timezone.now()
    today = timezone.localdate()
    batch = []
    for i in range(N_CASES):
        batch.append(Case(
            municipality_id=departments[i % len(departments)].municipality_id,
            case_number=f"2025/{i + 1}", application_type=rng.choice(["kindergarten", "building_permit"]),
            title="Søknad", department=departments[i % len(departments)], applicant=citizens[i % N_CITIZENS],
            status=rng.choice(statuses), assigned_to=staff if i % 7 == 0 else None,
            received_at=now - datetime.timedelta(minutes=i), deadline=today + datetime.timedelta(days=rng.randint(-30, 90)),
        ))
        if len(batch) == 10_000:
            Case.objects.bulk_create(batch)
            batch = []
    Case.objects.bulk_create(batch)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE cases_case; ANALYZE accounts_user;")


def _time(client, params):
    timings = []
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("caseworker:cases_case_changelist"), params)
    assert response.status_code == 200
    queries = len(captured)
    sql_ms = sum(float(q["time"]) for q in captured.captured_queries) * 1000
    for _ in range(RUNS):
        start = time.perf_counter()
        client.get(reverse("caseworker:cases_case_changelist"), params)
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings), max(timings), queries, len(response.context["cl"].result_list), sql_ms


@pytest.mark.postgres
@pytest.mark.django_db
def test_queue_at_100k_cases(client):
    departments = [DepartmentFactory(code="barnehage"), DepartmentFactory(code="byggesak")]
    staff = StaffFactory(departments=[departments[0]])
    client.force_login(staff)
    small = _time(client, {})
    start = time.perf_counter()
    _bulk_cases(departments, staff)
    print(f"\ncreated {N_CASES} cases in {time.perf_counter() - start:.1f} s (bulk_create)")
    scenarios = {
        "queue, newest first": {},
        "overdue": {"overdue": "yes"},
        "assigned to me": {"assigned": "me"},
        "unassigned, under review": {"assigned": "none", "status": "under_review"},
        "type building_permit": {"type": "building_permit"},
        "sorted by deadline": {"o": "7"},
        "search case number": {"q": "2025/4243"},
        "search applicant name": {"q": "Etternavn4242"},
        "page 100": {"p": "100"},
    }
    print(f"{'scenario':28} {'median ms':>10} {'max ms':>8} {'SQL ms':>7} {'queries':>8} {'rows':>5}")
    print(f"{'(empty queue, before)':28} {small[0]:10.1f} {small[1]:8.1f} {small[4]:7.1f} {small[2]:8d} {small[3]:5d}")
    for name, params in scenarios.items():
        median, worst, queries, rows, sql_ms = _time(client, params)
        print(f"{name:28} {median:10.1f} {worst:8.1f} {sql_ms:7.1f} {queries:8d} {rows:5d}")
        assert queries == small[2]
    if EXPLAIN:
        for params in ({}, {"assigned": "me"}, {"type": "building_permit"}):
            with CaptureQueriesContext(connection) as captured:
                client.get(reverse("caseworker:cases_case_changelist"), params)
            for q in captured.captured_queries:
                if "cases_case" in q["sql"]:
                    print(q["time"], q["sql"][:300])
                    with connection.cursor() as cursor:
                        cursor.execute("EXPLAIN ANALYZE " + q["sql"])
                        print("\n".join(r[0] for r in cursor.fetchall()))
