"""The SFO rules (sfo/rules.py) at their boundaries: the grade in a school year, who may have SFO,
which school takes which grade, and the free hours by school year."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from sfo.models import School
from sfo.rules import (
    first_school_year,
    free_hours,
    free_hours_grades,
    free_of_charge,
    grade_in,
    grade_on,
    may_have_sfo,
    school_offers_sfo,
    school_year_label,
    school_year_of,
    school_years_open,
)

D = datetime.date


# --- The grade (opplæringslova § 2-1: school starts the calendar year the child turns 6) -----

def test_born_on_1_january_and_31_december_start_school_the_same_august():
    assert grade_in(birth_date=D(2021, 1, 1), school_year=2027) == 1
    assert grade_in(birth_date=D(2021, 12, 31), school_year=2027) == 1
    assert first_school_year(D(2021, 1, 1)) == first_school_year(D(2021, 12, 31)) == 2027


def test_a_day_either_side_of_new_year_is_a_grade_apart():
    assert grade_in(birth_date=D(2020, 12, 31), school_year=2027) == 2
    assert grade_in(birth_date=D(2022, 1, 1), school_year=2027) == 0  # not at school yet


def test_the_school_year_turns_on_1_august():
    assert school_year_of(D(2028, 7, 31)) == 2027
    assert school_year_of(D(2028, 8, 1)) == 2028
    sofie = D(2021, 6, 1)
    assert grade_on(birth_date=sofie, day=D(2027, 7, 31)) == 0
    assert grade_on(birth_date=sofie, day=D(2027, 8, 1)) == 1
    assert grade_on(birth_date=sofie, day=D(2028, 6, 20)) == 1


def test_the_school_years_one_can_apply_for_are_this_and_the_next():
    assert school_years_open(today=D(2026, 12, 2)) == (2026, 2027)
    assert school_years_open(today=D(2027, 8, 1)) == (2027, 2028)
    assert school_year_label(2027) == "2027/28"
    assert school_year_label(2099) == "2099/00"


# --- Who may have SFO (opplæringslova § 4-5) ------------------------------------------------

@pytest.mark.parametrize(("grade", "special_needs", "allowed"), [
    (0, True, False), (1, False, True), (4, False, True), (5, False, False),
    (5, True, True), (7, True, True), (8, True, False),
])
def test_grades_1_to_4_and_5_to_7_only_with_special_needs(grade, special_needs, allowed):
    assert may_have_sfo(grade=grade, special_needs=special_needs) is allowed


def test_a_schools_grades_decide_whether_it_takes_the_child():
    school = School(name="Skole", address="Vegen 1", lowest_grade=1, highest_grade=4, special_needs_highest_grade=7)
    assert school_offers_sfo(school, grade=4, special_needs=False)
    assert not school_offers_sfo(school, grade=5, special_needs=False)
    assert school_offers_sfo(school, grade=5, special_needs=True)
    assert not school_offers_sfo(school, grade=8, special_needs=True)
    small = School(name="Grendeskole", address="Vegen 2", lowest_grade=1, highest_grade=2, special_needs_highest_grade=2)
    assert not school_offers_sfo(small, grade=3, special_needs=True)


@pytest.mark.django_db
def test_a_school_with_grades_out_of_order_is_refused():
    school = School(name="Skole", address="Vegen 1", lowest_grade=3, highest_grade=2, special_needs_highest_grade=7)
    with pytest.raises(ValidationError, match="The grades must be in order"):
        school.full_clean()


# --- The free hours (opplæringsforskrifta § 2-2, phased in) ---------------------------------

def test_the_free_hours_were_phased_in_a_grade_a_year():
    assert free_hours_grades(school_year=2021) == frozenset()
    assert free_hours_grades(school_year=2022) == {1}
    assert free_hours_grades(school_year=2023) == {1, 2}
    assert free_hours_grades(school_year=2024) == {1, 2, 3}
    assert free_hours_grades(school_year=2027) == {1, 2, 3}


def test_grade_3_has_no_free_hours_in_2023_24_and_12_from_2024_25():
    assert free_hours(grade=3, school_year=2023) == 0
    assert free_hours(grade=3, school_year=2024) == 12
    assert free_hours(grade=1, school_year=2022) == 12
    assert free_hours(grade=2, school_year=2022) == 0


def test_grade_4_has_no_free_hours():
    assert free_hours(grade=4, school_year=2027) == 0


def test_special_needs_in_grades_5_to_7_is_free_of_charge():
    assert free_of_charge(grade=5, special_needs=True, school_year=2027)
    assert free_of_charge(grade=7, special_needs=True, school_year=2020)
    assert not free_of_charge(grade=7, special_needs=True, school_year=2019)  # from August 2020
    assert not free_of_charge(grade=4, special_needs=True, school_year=2027)  # the free hours apply instead
    assert not free_of_charge(grade=6, special_needs=False, school_year=2027)
