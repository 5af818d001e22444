"""The SFO rules, each in one place: a child's grade in a school year, who may have SFO, whether a
school's SFO takes the grade, and the free hours. The application form, the automated checks and
what is frozen on the case all ask these functions. Who lives in the municipality is
applications.residence, shared with the other services.

Sources:
- Opplæringslova (LOV-2023-06-09-30) § 4-5 "Skolefritidsordninga", in force 1 August 2024
  (replaces § 13-7 of the old act): the municipality shall offer SFO before and after school for
  grades 1–4, and for pupils with special needs (særskilde behov) grades 1–7; during the school
  year only; there is no individual right to a place; the municipality's regulations (forskrift)
  set admission criteria, the admission period, payment and opening hours. Udir, "Rundskriv om
  skolefritidsordninga": https://www.udir.no/regelverk-og-tilsyn/skole-og-opplaring/rundskriv-om-
  skolefritidsordninga/forskrifter-om-skolefritidsordninga/ ; Udir, "Tilbud om
  skolefritidsordning": https://www.udir.no/regelverkstolkninger/opplaring/Leksehjelp/Regelverk-
  for-skolefritidsordningen-SFO/Tilbud-om-skolefritidsordning/
- Opplæringslova § 2-1: "Grunnskoleopplæringa skal til vanleg ta til det kalenderåret barnet
  fyller 6 år", so by default a child is in grade Y − birth year − 5 in the school year starting
  in August of year Y. Early or late school start exists: the grade here is computed from the
  birth date, and the caseworker corrects it by asking the family for information.
- Free hours: opplæringsforskrifta § 2-2, 12 hours of free SFO a week for pupils in grades 1–3
  who have a place (Innst. 78 L (2025–2026)). Phased in: grade 1 from August 2022, grade 2 from
  1 August 2023, grade 3 from 1 August 2024 (e.g. Bamble kommune, https://www.bamble.kommune.no/
  aktuelt/nyhetsarkiv-2024/3.-trinn-far-12-timers-gratis-sfo); no source found for grade 4.
  The municipality decides the days and times; food may be charged.
- Pupils with special needs in grades 5–7 have SFO free of charge (the old forskrift § 1B-3,
  from August 2020).
- Not here (a later issue): the reduced payment, at most 6 % of the household's income for
  grades 1–4 (the old forskrift §§ 1B-1, 1B-2); there is no national maximum price.
- Admission and the processing deadline: no statutory deadline; each place is an individual
  decision (enkeltvedtak) under forvaltningsloven, appealed to the municipality. Forvaltningsloven
  § 11 a (a preliminary answer when a case cannot be decided within a month) gives the deadline:
  cases.types.CaseType's default of a month, which SfoPlace keeps.
"""

from __future__ import annotations

import datetime

from .models import School

FIRST_GRADE = 1
LAST_GRADE = 4  # § 4-5: SFO for grades 1–4 …
LAST_SPECIAL_NEEDS_GRADE = 7  # … and 1–7 for pupils with special needs
SCHOOL_YEAR_STARTS = (8, 1)  # the school year runs from August

FREE_HOURS_PER_WEEK = 12
# Which grades have the free hours, from which school year (the phasing-in): the newest line on
# or before the start of the school year applies.
FREE_HOURS_GRADES = [
    (datetime.date(2022, 8, 1), frozenset({1})),
    (datetime.date(2023, 8, 1), frozenset({1, 2})),
    (datetime.date(2024, 8, 1), frozenset({1, 2, 3})),
]
# Pupils with special needs in grades 5–7: SFO free of charge from this day.
SPECIAL_NEEDS_FREE_FROM = datetime.date(2020, 8, 1)


def school_year_of(day: datetime.date) -> int:
    """The year the school year of `day` starts in (August to July)."""
    return day.year if (day.month, day.day) >= SCHOOL_YEAR_STARTS else day.year - 1


def school_year_start(school_year: int) -> datetime.date:
    return datetime.date(school_year, *SCHOOL_YEAR_STARTS)


def school_year_label(school_year: int) -> str:
    """2027 → "2027/28"."""
    return f"{school_year}/{(school_year + 1) % 100:02d}"


def school_years_open(*, today: datetime.date) -> tuple[int, int]:
    """The school years a start within a year can fall in: this one and the next."""
    current = school_year_of(today)
    return current, current + 1


def grade_in(*, birth_date: datetime.date, school_year: int) -> int:
    """The child's grade in the school year starting in August of `school_year` (§ 2-1: school
    starts the calendar year the child turns 6). 0 or less: not at school yet."""
    return school_year - birth_date.year - 5


def first_school_year(birth_date: datetime.date) -> int:
    """The school year of grade 1: the calendar year the child turns 6."""
    return birth_date.year + 6


def grade_on(*, birth_date: datetime.date, day: datetime.date) -> int:
    return grade_in(birth_date=birth_date, school_year=school_year_of(day))


def may_apply(grade: int) -> bool:
    """A grade that can have SFO at all: 1–7 (5–7 only with special needs)."""
    return FIRST_GRADE <= grade <= LAST_SPECIAL_NEEDS_GRADE


def needs_special_needs(grade: int) -> bool:
    """Grades 5–7 have SFO only for pupils with special needs."""
    return LAST_GRADE < grade <= LAST_SPECIAL_NEEDS_GRADE


def may_have_sfo(*, grade: int, special_needs: bool) -> bool:
    """§ 4-5: grades 1–4, and grades 5–7 for pupils with special needs."""
    last = LAST_SPECIAL_NEEDS_GRADE if special_needs else LAST_GRADE
    return FIRST_GRADE <= grade <= last


def school_offers_sfo(school: School, *, grade: int, special_needs: bool) -> bool:
    """Whether the school's SFO takes a pupil of the grade."""
    highest = school.special_needs_highest_grade if special_needs else school.highest_grade
    return school.lowest_grade <= grade <= highest


def free_hours_grades(*, school_year: int) -> frozenset[int]:
    """The grades with free hours in the school year (FREE_HOURS_GRADES)."""
    start = school_year_start(school_year)
    grades: frozenset[int] = frozenset()
    for valid_from, in_force in FREE_HOURS_GRADES:
        if valid_from <= start:
            grades = in_force
    return grades


def free_hours(*, grade: int, school_year: int) -> int:
    """Free hours of SFO a week for a pupil of the grade who has a place (0: none)."""
    return FREE_HOURS_PER_WEEK if grade in free_hours_grades(school_year=school_year) else 0


def free_of_charge(*, grade: int, special_needs: bool, school_year: int) -> bool:
    """SFO free of charge: pupils with special needs in grades 5–7."""
    return (special_needs and needs_special_needs(grade)
            and school_year_start(school_year) >= SPECIAL_NEEDS_FREE_FROM)


def grades_display(grades: frozenset[int]) -> str:
    """{1, 2, 3} → "1–3"; {1} → "1"."""
    if not grades:
        return "–"
    low, high = min(grades), max(grades)
    return str(low) if low == high else f"{low}–{high}"
