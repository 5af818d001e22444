"""insights: the managers' statistics page at 100,000 cases, 100,000 letters (with their
delivery rows) and 30,000 applications. Prints timings and query counts; asserts only that the
query count is what it is at 10 cases. Run with pytest on PostgreSQL:

    DJANGO_ENV=test DATABASE_URL=postgres://postgres@127.0.0.1:5432/minside \\
        .venv/bin/pytest -p no:xdist bench/insights_statistics.py -q -s
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
from applications.models import Application
from cases.models import Case
from correspondence.models import Letter
from insights import selectors
from notifications.models import Notification
from tests.factories import CitizenFactory, DepartmentFactory, StaffFactory

N_CASES = 100_000
N_LETTERS = 100_000
N_APPLICATIONS = 30_000
RUNS = 5
PAGE = reverse("caseworker:insights_statistics")


def _load(departments):
    rng = random.Random(7)
    citizens = User.objects.bulk_create([CitizenFactory.build(national_id=None) for _ in range(2000)], batch_size=2000)
    now, today = timezone.now(), timezone.localdate()
    cases = []
    for i in range(N_CASES):
        received = now - datetime.timedelta(days=rng.randint(0, 700), hours=rng.randint(0, 23))
        decided = received + datetime.timedelta(days=rng.randint(1, 120)) if i % 3 else None
        dept, type_key = (departments[0], "kindergarten") if i % 2 else (departments[1], "building_permit")
        cases.append(Case(municipality_id=dept.municipality_id, case_number=f"B{i}", application_type=type_key, title="x", department=dept,
                          applicant=citizens[i % len(citizens)], received_at=received,
                          status=Case.Status.DECIDED if decided and decided < now else Case.Status.UNDER_REVIEW,
                          decided_at=decided if decided and decided < now else None,
                          deadline=received.date() + datetime.timedelta(days=rng.choice([30, 84]))
                          if i % 5 else None))
    Case.objects.bulk_create(cases, batch_size=5000)
    case_ids = list(Case.objects.values_list("pk", "applicant_id"))
    municipality_id = departments[0].municipality_id
    letters = [Letter(municipality_id=municipality_id, case_id=case_ids[i % len(case_ids)][0], recipient_id=case_ids[i % len(case_ids)][1],
                      kind="decision", title="t", template="x") for i in range(N_LETTERS)]
    Letter.objects.bulk_create(letters, batch_size=5000)
    channels = ["digital_mailbox", "email", "sms", "paper", "auto"]
    Notification.objects.bulk_create([
        Notification(municipality_id=municipality_id, recipient_id=letter.recipient_id, letter_id=letter.pk, case_id=letter.case_id, template="letter",
                     channel=channels[i % 5], status="cancelled" if i % 5 == 4 else "delivered",
                     idempotency_key=f"bench-{i}")
        for i, letter in enumerate(letters)
    ], batch_size=5000)
    Application.objects.bulk_create([
        Application(municipality_id=municipality_id, type_key="kindergarten" if i % 2 else "building_permit", applicant=citizens[i % len(citizens)],
                    status="submitted" if i % 3 else "draft")
        for i in range(N_APPLICATIONS)
    ], batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return today


@pytest.mark.django_db
def test_statistics_at_scale(client):
    if connection.vendor != "postgresql":
        pytest.skip("a benchmark for PostgreSQL")
    departments = [DepartmentFactory(code="barnehage", name="Barnehage"), DepartmentFactory(code="byggesak")]
    manager = StaffFactory(departments=[departments[0]])
    boss = StaffFactory(is_superuser=True)
    client.force_login(manager)
    with CaptureQueriesContext(connection) as small:
        assert client.get(PAGE).status_code == 200
    started = time.perf_counter()
    _load(departments)
    print(f"\nloaded {N_CASES} cases, {N_LETTERS} letters, {N_APPLICATIONS} applications "
          f"in {time.perf_counter() - started:.1f} s")

    for who, user in (("one department", manager), ("superuser, all", boss)):
        client.force_login(user)
        timings = []
        for _ in range(RUNS):
            with CaptureQueriesContext(connection) as captured:
                t = time.perf_counter()
                response = client.get(PAGE)
                timings.append((time.perf_counter() - t) * 1000)
            assert response.status_code == 200
        print(f"page ({who}): median {statistics.median(timings):.0f} ms, queries {len(captured)}")
        assert len(captured) == len(small) or who != "one department"
        scope = selectors.scope_for(user=user, **dict(zip(("start", "end"), selectors.default_period(), strict=True)))
        for name in ("applications_per_month", "processing_times", "open_cases", "letters_by_channel",
                     "drafts_completion"):
            func = getattr(selectors, name)
            t = time.perf_counter()
            func(scope=scope)
            print(f"  {name}: {(time.perf_counter() - t) * 1000:.0f} ms")
        t = time.perf_counter()
        selectors.processing_times(scope=scope, portable=True)
        print(f"  processing_times (Python percentiles): {(time.perf_counter() - t) * 1000:.0f} ms")
