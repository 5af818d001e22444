"""The figures are exactly right: cases, letters and drafts with known dates and channels."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from applications.models import Application
from cases.models import Case
from correspondence.models import Letter
from insights import selectors
from insights.selectors import Scope
from tests.factories import ApplicationFactory, CaseFactory, LetterDeliveryFactory, LetterFactory, StaffFactory

from .conftest import at

D = datetime.date
pytestmark = pytest.mark.django_db


def scope(dept_ids, start="2026-01-01", end="2026-03-31"):
    return Scope(start=D.fromisoformat(start), end=D.fromisoformat(end),
                 department_ids=None if dept_ids is None else tuple(dept_ids))


def test_default_period_is_the_last_twelve_months():
    assert selectors.default_period(D(2026, 11, 24)) == (D(2025, 12, 1), D(2026, 11, 24))
    assert selectors.default_period(D(2026, 1, 5)) == (D(2025, 2, 1), D(2026, 1, 5))


def test_applications_per_month_and_type(barnehage, byggesak):
    for day in ("2026-01-01", "2026-01-31", "2026-03-15"):
        CaseFactory(department=barnehage, received_at=at(day, hour=0))
    CaseFactory(department=byggesak, application_type="building_permit", received_at=at("2026-01-10"))
    CaseFactory(department=byggesak, application_type="building_permit", received_at=at("2026-03-31", hour=23))
    CaseFactory(department=barnehage, received_at=at("2025-12-31", hour=23))  # before the period
    CaseFactory(department=barnehage, received_at=at("2026-04-01", hour=0))  # after it

    table = selectors.applications_per_month(scope=scope(None))
    assert sorted(table.types) == ["building_permit", "kindergarten"]
    col = {key: i for i, key in enumerate(table.types)}
    by_month = {month: values for month, values, _ in table.rows}
    assert list(by_month) == [D(2026, 1, 1), D(2026, 2, 1), D(2026, 3, 1)]
    assert by_month[D(2026, 1, 1)][col["kindergarten"]] == 2
    assert by_month[D(2026, 1, 1)][col["building_permit"]] == 1
    assert by_month[D(2026, 2, 1)] == [0, 0]
    assert by_month[D(2026, 3, 1)][col["kindergarten"]] == 1
    assert by_month[D(2026, 3, 1)][col["building_permit"]] == 1
    assert [total for _, _, total in table.rows] == [3, 0, 2]
    assert table.total == 5

    only_barnehage = selectors.applications_per_month(scope=scope([barnehage.pk]))
    assert only_barnehage.types == ["kindergarten"]
    assert only_barnehage.totals == [3]


def test_digital_share_against_the_prorated_paper_baseline(barnehage, byggesak):
    # 73 days: 365 paper kindergarten applications a year -> 73 in the period; 730 -> 146.
    for _ in range(27):
        CaseFactory(department=barnehage, received_at=at("2026-01-20"))
    CaseFactory(department=byggesak, application_type="building_permit", received_at=at("2026-02-01"))
    rows = {r.type_key: r for r in selectors.digital_share(scope=scope(None, "2026-01-01", "2026-03-14"))}
    assert rows["kindergarten"].digital == 27
    assert rows["kindergarten"].paper_estimate == 73
    assert rows["kindergarten"].share == pytest.approx(0.27)
    assert rows["building_permit"].paper_estimate == 146
    assert rows["building_permit"].share == pytest.approx(1 / 147)


def test_digital_share_without_a_baseline_is_unknown_not_a_hundred_percent(barnehage, settings, monkeypatch):
    from applications.types import get_type

    settings.INSIGHTS_PAPER_APPLICATIONS_PER_YEAR = {}
    monkeypatch.setattr(type(get_type("kindergarten")), "paper_applications_per_year", 0)  # no estimate of its own
    CaseFactory(department=barnehage, received_at=at("2026-01-20"))
    [row] = selectors.digital_share(scope=scope([barnehage.pk]))
    assert (row.digital, row.paper_estimate, row.share) == (1, None, None)


def test_digital_share_lists_a_baselined_type_of_the_viewers_department_with_no_applications(barnehage, byggesak):
    rows = selectors.digital_share(scope=scope([byggesak.pk]))
    assert [(r.type_key, r.digital, r.share) for r in rows] == [("building_permit", 0, 0.0)]


def _decided_case(department, received, days, deadline_days=None, application_type="kindergarten"):
    received_at = at(received)
    return CaseFactory(
        department=department, application_type=application_type, status=Case.Status.DECIDED,
        received_at=received_at, decided_at=received_at + datetime.timedelta(days=days),
        deadline=None if deadline_days is None else received_at.date() + datetime.timedelta(days=deadline_days),
    )


@pytest.mark.parametrize("portable", [False, True], ids=["database", "python"])
def test_processing_time_median_p90_and_within_deadline(barnehage, byggesak, portable):
    # Durations 1..10 days: median 5.5, 90th percentile 9.1 (linear interpolation).
    # Deadline 7 days after receipt: decided on day 1..7 are within, 8..10 are late.
    for days in range(1, 11):
        _decided_case(barnehage, "2026-02-01", days, deadline_days=7)
    _decided_case(barnehage, "2026-02-01", 4)  # no deadline: counted, but not in the deadline share
    _decided_case(barnehage, "2025-10-01", 200, deadline_days=7)  # decided 2026-04-19: outside
    _decided_case(byggesak, "2026-02-01", 30, deadline_days=84, application_type="building_permit")
    CaseFactory(department=barnehage, received_at=at("2026-02-01"))  # not decided

    rows = {r.type_key: r for r in selectors.processing_times(scope=scope(None), portable=portable)}
    kg = rows["kindergarten"]
    assert kg.decided == 11
    # With the case without a deadline (4 days): 1,2,3,4,4,5,...,10 -> median 5, p90 9.
    assert kg.median_days == pytest.approx(5.0)
    assert kg.p90_days == pytest.approx(9.0)
    assert (kg.with_deadline, kg.within_deadline) == (10, 7)
    assert kg.within_share == pytest.approx(0.7)
    bp = rows["building_permit"]
    assert (bp.decided, bp.median_days, bp.p90_days, bp.within_deadline) == (1, pytest.approx(30), pytest.approx(30), 1)

    only_byggesak = selectors.processing_times(scope=scope([byggesak.pk]), portable=portable)
    assert [r.type_key for r in only_byggesak] == ["building_permit"]


@pytest.mark.parametrize("portable", [False, True], ids=["database", "python"])
def test_processing_time_interpolates_between_ranks(barnehage, portable):
    for days in range(1, 11):
        _decided_case(barnehage, "2026-02-01", days)
    [row] = selectors.processing_times(scope=scope([barnehage.pk]), portable=portable)
    assert row.median_days == pytest.approx(5.5)
    assert row.p90_days == pytest.approx(9.1)
    assert row.within_share is None  # no deadlines at all


@pytest.mark.postgres
def test_postgresql_percentiles_agree_with_the_python_fallback(barnehage):
    assert connection.vendor == "postgresql"
    for i, hours in enumerate([5, 17, 30, 31, 49, 77, 200, 201, 500, 1000, 1001, 3000, 4]):
        received = at("2026-01-02") + datetime.timedelta(hours=i)
        CaseFactory(department=barnehage, status=Case.Status.DECIDED, received_at=received,
                    decided_at=received + datetime.timedelta(hours=hours))
    # 3000 hours after 2 January is in May: outside the period, leaving 12 cases.
    [db_row] = selectors.processing_times(scope=scope(None))
    [py_row] = selectors.processing_times(scope=scope(None), portable=True)
    assert db_row.decided == py_row.decided == 12
    assert db_row.median_days == pytest.approx(py_row.median_days)
    assert py_row.median_days == pytest.approx((49 + 77) / 2 / 24)
    assert db_row.p90_days == pytest.approx(py_row.p90_days)
    assert py_row.p90_days == pytest.approx((500 + 0.9 * (1000 - 500)) / 24)  # rank 9.9 of 0..11


def test_percentile_matches_percentile_cont():
    assert selectors.percentile([], 0.5) is None
    assert selectors.percentile([3.0], 0.9) == 3.0
    assert selectors.percentile([4.0, 1.0, 3.0, 2.0], 0.5) == 2.5
    assert selectors.percentile([float(x) for x in range(1, 11)], 0.9) == pytest.approx(9.1)


def test_open_and_overdue_now(barnehage, byggesak):
    today = D(2026, 11, 24)
    past, future = today - datetime.timedelta(days=1), today + datetime.timedelta(days=10)
    CaseFactory(department=barnehage, status=Case.Status.RECEIVED, deadline=past)  # overdue
    CaseFactory(department=barnehage, status=Case.Status.UNDER_REVIEW, deadline=past)  # overdue
    CaseFactory(department=barnehage, status=Case.Status.UNDER_REVIEW, deadline=future)
    CaseFactory(department=barnehage, status=Case.Status.AWAITING_INFORMATION, deadline=past,
                deadline_paused_at=timezone.now())  # paused: not overdue
    CaseFactory(department=barnehage, status=Case.Status.APPEALED, deadline=None)
    CaseFactory(department=barnehage, status=Case.Status.DECIDED, deadline=past)  # not open
    CaseFactory(department=barnehage, status=Case.Status.WITHDRAWN, deadline=past)
    CaseFactory(department=byggesak, application_type="building_permit", deadline=past)

    rows = {r.type_key: (r.open, r.overdue) for r in selectors.open_cases(scope=scope(None), today=today)}
    assert rows == {"kindergarten": (5, 2), "building_permit": (1, 1)}
    assert [(r.open, r.overdue) for r in selectors.open_cases(scope=scope([barnehage.pk]), today=today)] == [(5, 2)]


def _letter(case, day="2026-02-10", **kwargs):
    letter = LetterFactory(case=case, recipient=case.applicant if case else LetterFactory().recipient, **kwargs)
    Letter.objects.filter(pk=letter.pk).update(created_at=at(day))
    return letter


def test_letters_by_channel_count_each_letter_once_with_savings(barnehage, byggesak):
    case = CaseFactory(department=barnehage, received_at=at("2026-02-01"))
    other = CaseFactory(department=byggesak, application_type="building_permit", received_at=at("2026-02-01"))
    paper = _letter(case)
    LetterDeliveryFactory(letter=paper, channel="paper", status="sent")
    for _ in range(2):  # digital mailbox
        LetterDeliveryFactory(letter=_letter(case), channel="digital_mailbox", status="delivered")
    both = _letter(case)  # kept in Min Side, notice by e-mail and SMS: one letter
    LetterDeliveryFactory(letter=both, channel="email", status="sent")
    LetterDeliveryFactory(letter=both, channel="sms", status="delivered")
    LetterDeliveryFactory(letter=both, template="letter_reminder", channel="sms", status="delivered")
    told = _letter(case)  # in Min Side; the "case received" notice named it
    LetterDeliveryFactory(letter=told, channel="auto", status="cancelled")
    waiting = _letter(case)  # not routed yet
    LetterDeliveryFactory(letter=waiting, channel="auto", status="created")
    failing = _letter(case)  # the mailbox keeps failing: not delivered yet
    LetterDeliveryFactory(letter=failing, channel="digital_mailbox", status="temporary-failure")
    LetterDeliveryFactory(letter=_letter(case, day="2026-04-01"), channel="paper", status="sent")  # outside
    LetterDeliveryFactory(letter=_letter(other), channel="digital_mailbox", status="delivered")
    LetterDeliveryFactory(letter=_letter(None), channel="paper", status="sending")  # no case: superusers only

    mine = selectors.letters_by_channel(scope=scope([barnehage.pk]))
    assert mine.counts == {"digital_mailbox": 2, "min_side": 2, "paper": 1, "pending": 2}
    assert mine.total == 7
    assert mine.digital == 4
    assert mine.digital_share == pytest.approx(4 / 5)
    assert mine.savings == 100  # 4 letters x NOK 25

    everything = selectors.letters_by_channel(scope=scope(None))
    assert everything.counts == {"digital_mailbox": 3, "min_side": 2, "paper": 2, "pending": 2}
    assert everything.savings == 125


def test_letter_savings_use_the_configured_cost(barnehage, settings):
    settings.INSIGHTS_COST_PER_PAPER_LETTER_NOK = 31.5
    case = CaseFactory(department=barnehage)
    LetterDeliveryFactory(letter=_letter(case), channel="digital_mailbox", status="delivered")
    assert str(selectors.letters_by_channel(scope=scope([barnehage.pk])).savings) == "31.5"


def _application(type_key, status, created, updated):
    application = ApplicationFactory(type_key=type_key, status=status)
    Application.objects.filter(pk=application.pk).update(created_at=at(created), updated_at=at(updated))
    application.refresh_from_db()
    return application


def test_drafts_submitted_abandoned_and_in_progress(barnehage, byggesak):
    now = at("2026-03-31")
    for _ in range(3):
        _application("kindergarten", "submitted", "2026-01-05", "2026-01-06")
    _application("kindergarten", "draft", "2026-01-05", "2026-02-28")  # 31 days untouched: abandoned
    _application("kindergarten", "draft", "2026-02-01", "2026-02-01")  # abandoned
    _application("kindergarten", "draft", "2026-03-01", "2026-03-02")  # 29 days: in progress
    _application("kindergarten", "submitted", "2025-12-31", "2026-01-02")  # started before the period
    _application("building_permit", "draft", "2026-01-05", "2026-01-05")

    rows = {r.type_key: r for r in selectors.drafts_completion(scope=scope(None), now=now)}
    kg = rows["kindergarten"]
    assert (kg.started, kg.submitted, kg.abandoned, kg.in_progress) == (6, 3, 2, 1)
    assert kg.completion_rate == pytest.approx(3 / 5)
    assert rows["building_permit"].completion_rate == 0.0

    only_barnehage = selectors.drafts_completion(scope=scope([barnehage.pk]), now=now)
    assert [r.type_key for r in only_barnehage] == ["kindergarten"]


def test_scope_is_the_viewers_departments(barnehage, byggesak):
    caseworker = StaffFactory(departments=[barnehage])
    s = selectors.scope_for(user=caseworker, start=D(2026, 1, 1), end=D(2026, 1, 31))
    assert s.department_ids == (barnehage.pk,)
    # Asking for another department's figures narrows to nothing, never widens.
    s = selectors.scope_for(user=caseworker, start=D(2026, 1, 1), end=D(2026, 1, 31), departments=[byggesak])
    assert s.department_ids == ()
    boss = StaffFactory(is_superuser=True)
    assert selectors.scope_for(user=boss, start=D(2026, 1, 1), end=D(2026, 1, 31)).department_ids is None
    s = selectors.scope_for(user=boss, start=D(2026, 1, 1), end=D(2026, 1, 31), departments=[byggesak])
    assert s.department_ids == (byggesak.pk,)


def test_a_caseworker_sees_only_their_departments_figures(barnehage, byggesak):
    CaseFactory(department=barnehage, received_at=at("2026-01-10"))
    for _ in range(4):
        CaseFactory(department=byggesak, application_type="building_permit", received_at=at("2026-01-10"))
    caseworker = StaffFactory(departments=[barnehage])
    stats = selectors.statistics_for(scope=selectors.scope_for(user=caseworker, start=D(2026, 1, 1), end=D(2026, 1, 31)))
    assert stats.monthly.total == 1
    assert [r.type_key for r in stats.open] == ["kindergarten"]


def test_deleted_drafts_stay_in_the_completion_rate(barnehage, settings):
    from applications.services import application_delete, application_delete_expired_drafts
    from insights.models import AbandonedDraft

    settings.APPLICATION_DRAFT_DAYS = 90
    expired = _application("kindergarten", "draft", "2026-01-05", "2026-01-06")
    _application("kindergarten", "draft", "2026-03-20", "2026-03-20")  # recent: kept, in progress
    by_applicant = _application("kindergarten", "draft", "2026-02-01", "2026-02-02")
    _application("kindergarten", "submitted", "2026-01-10", "2026-01-11")

    assert application_delete_expired_drafts(now=at("2026-05-01")) == 1
    application_delete(application=by_applicant)
    assert not Application.objects.filter(pk__in=[expired.pk, by_applicant.pk]).exists()
    recorded = sorted((d.type_key, timezone.localtime(d.started_at).date()) for d in AbandonedDraft.objects.all())
    assert recorded == [("kindergarten", D(2026, 1, 5)), ("kindergarten", D(2026, 2, 1))]

    [row] = selectors.drafts_completion(scope=scope([barnehage.pk]), now=at("2026-03-31"))
    assert (row.started, row.submitted, row.abandoned, row.in_progress) == (4, 1, 2, 1)
    assert row.completion_rate == pytest.approx(1 / 3)
    # Another department's scope does not see them.
    assert selectors.drafts_completion(scope=scope([]), now=at("2026-03-31")) == []
