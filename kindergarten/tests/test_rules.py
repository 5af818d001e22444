"""The right to a kindergarten place (barnehageloven § 16) at its boundaries."""

import datetime

import pytest

from kindergarten.rules import admission_year_for, main_admission_deadline, place_right

D = datetime.date
AUGUST_2027 = D(2027, 8, 1)
IN_TIME = D(2027, 2, 1)  # before the main-admission deadline, 1 March 2027


def test_born_31_august_has_right_from_august():
    right = place_right(birth_date=D(2026, 8, 31), start=AUGUST_2027, applied_on=IN_TIME)
    assert right.status == "right"
    assert right.right_from == D(2027, 8, 1)


def test_born_1_september_has_right_from_september_not_august():
    right = place_right(birth_date=D(2026, 9, 1), start=AUGUST_2027, applied_on=IN_TIME)
    assert right.status == "right_later"
    assert right.right_from == D(2027, 9, 1)
    assert place_right(birth_date=D(2026, 9, 1), start=D(2027, 9, 1), applied_on=IN_TIME).status == "right"


def test_born_30_november_has_right_from_november():
    right = place_right(birth_date=D(2026, 11, 30), start=D(2027, 11, 1), applied_on=IN_TIME)
    assert right.status == "right"
    assert right.right_from == D(2027, 11, 1)


def test_born_1_december_has_no_right_this_admission_year():
    right = place_right(birth_date=D(2026, 12, 1), start=D(2027, 12, 1), applied_on=IN_TIME)
    assert right.status == "too_young"
    assert not right.has_right
    assert right.right_from == D(2028, 8, 1)


def test_applying_after_the_deadline_loses_the_right():
    on_deadline = place_right(birth_date=D(2026, 3, 10), start=AUGUST_2027, applied_on=D(2027, 3, 1))
    day_after = place_right(birth_date=D(2026, 3, 10), start=AUGUST_2027, applied_on=D(2027, 3, 2))
    assert on_deadline.status == "right"
    assert day_after.status == "late" and day_after.deadline_passed


def test_deadline_is_a_setting(settings):
    settings.KINDERGARTEN_MAIN_ADMISSION_DEADLINE = "04-15"
    assert main_admission_deadline(2027) == D(2027, 4, 15)
    assert place_right(birth_date=D(2026, 3, 10), start=AUGUST_2027, applied_on=D(2027, 4, 1)).status == "right"


@pytest.mark.parametrize(("start", "year"), [(D(2027, 8, 1), 2027), (D(2027, 7, 31), 2026), (D(2027, 1, 4), 2026)])
def test_kindergarten_year_runs_august_to_july(start, year):
    assert admission_year_for(start) == year


def test_start_in_january_is_last_years_admission_so_deadline_passed():
    # Today is 2026-11-24: a start in January 2027 belongs to the 2026 admission (deadline 1 March 2026).
    right = place_right(birth_date=D(2025, 6, 1), start=D(2027, 1, 4), applied_on=D(2026, 11, 24))
    assert right.status == "late"


# --- Which kindergarten takes a child of which age: one rule for the form, the checks and the run ---

@pytest.mark.parametrize(("groups", "born", "expected"), [
    ("0-2", D(2025, 8, 2), True),    # 1 year old at the start
    ("0-2", D(2024, 8, 1), False),   # turns 3 on the start date: not under 3
    ("0-2", D(2024, 8, 2), True),    # 3 the day after the start
    ("3-5", D(2024, 8, 1), True),
    ("3-5", D(2024, 8, 2), False),
    ("0-5", D(2026, 3, 10), True),
    ("0-5", None, True),             # birth date unknown: only a kindergarten for all ages is sure
    ("0-2", None, False),
    ("3-5", None, False),
])
def test_one_age_rule(groups, born, expected):
    from kindergarten.models import Kindergarten
    from kindergarten.rules import kindergarten_takes_child

    assert kindergarten_takes_child(Kindergarten(age_groups=groups), birth_date=born, on=AUGUST_2027) is expected


def test_processing_deadline_main_admission_or_six_weeks():
    from kindergarten.rules import processing_deadline

    # In by the main-admission deadline for an August start: answered by 30 April.
    assert processing_deadline(start=AUGUST_2027, received=IN_TIME) == D(2027, 4, 30)
    # After it (or with no start known): 6 weeks, which is also the rule after an appeal.
    assert processing_deadline(start=AUGUST_2027, received=D(2027, 3, 2)) == D(2027, 4, 13)
    assert processing_deadline(start=None, received=D(2027, 3, 2)) == D(2027, 4, 13)


@pytest.mark.django_db
def test_each_municipality_has_its_own_main_admission_deadline():
    """Drammen keeps 1 March; Lier sets 15 February for its kindergarten service: the same
    application on the same day gives a statutory right in Drammen and none in Lier."""
    from accounts.tenancy import municipality_scope
    from applications.models import ApplicationTypeConfig
    from tests.factories import MunicipalityFactory

    drammen, lier = MunicipalityFactory(number="3301"), MunicipalityFactory(number="3312")
    ApplicationTypeConfig.objects.create(municipality=lier, type_key="kindergarten", yearly_deadline="02-15")
    child = dict(birth_date=datetime.date(2026, 3, 10), start=datetime.date(2027, 8, 1),
                 applied_on=datetime.date(2027, 2, 20))
    with municipality_scope(drammen):
        assert main_admission_deadline(2027) == datetime.date(2027, 3, 1)
        assert place_right(**child).has_right
    with municipality_scope(lier):
        assert main_admission_deadline(2027) == datetime.date(2027, 2, 15)
        assert place_right(**child).status == "late"
