"""The building permit rules: the § 21-7 track is the deadline at submit and after an appeal."""

import datetime

import pytest
from django.utils import timezone

from building_permit.rules import SHORT_TRACK_WEEKS, objection_period_over, processing_deadline, track_21_7
from cases import services
from cases.models import Case
from tests.factories import CitizenFactory, DepartmentFactory, StaffFactory

D = datetime.date


def _data(*, plan="yes", objections="no", authority="no"):
    return {"project": {"follows_zoning_plan": plan, "other_authority": authority},
            "neighbours": {"objections": objections}}


def test_track_is_short_only_when_every_condition_holds():
    assert track_21_7(_data()) == (3, [])
    assert track_21_7(_data(plan="no", objections="yes", authority="yes")) == (
        12, ["zoning_plan", "objections", "other_authority"])
    assert track_21_7({}) == (12, ["zoning_plan", "objections", "other_authority"])  # nothing known: the long track


def test_neighbours_have_fourteen_days():
    assert objection_period_over(notified_on=D(2026, 11, 1), on=D(2026, 11, 15))
    assert not objection_period_over(notified_on=D(2026, 11, 1), on=D(2026, 11, 14))


def test_processing_deadline_is_the_track():
    assert processing_deadline(track_weeks=3, received=D(2026, 11, 2)) == D(2026, 11, 23)
    assert processing_deadline(track_weeks=None, received=D(2026, 11, 2)) == D(2027, 1, 25)


@pytest.mark.django_db
def test_an_appeal_is_processed_within_the_cases_own_track():
    # Regression: the deadline after an appeal was 84 days for every building permit, whatever
    # its § 21-7 track; cases now asks the type's one rule with the facts frozen at submit.
    department = DepartmentFactory(code="byggesak")
    worker, applicant = StaffFactory(departments=[department]), CitizenFactory()
    case = services.case_create(application_type="building_permit", title="Garasje", department=department,
                                applicant=applicant, facts={"track_weeks": SHORT_TRACK_WEEKS, "track_reasons": []})
    assert case.deadline == timezone.localdate() + datetime.timedelta(weeks=3)
    services.case_start_review(case=case, by=worker)
    services.case_decide(case=case, by=worker, outcome="rejected", reasoning="Nei.", legal_basis="pbl. § 21-4")
    services.case_appeal(case=case, by=applicant, text="Jeg klager.")
    services.case_reopen_on_appeal(case=case, by=worker)
    case.refresh_from_db()
    assert (case.status, case.deadline) == (Case.Status.UNDER_REVIEW, timezone.localdate() + datetime.timedelta(weeks=3))
