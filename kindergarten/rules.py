"""The kindergarten rules, each in one place: the right to a place (barnehageloven § 16), which
kindergarten takes a child of which age, and the processing deadline (who lives in the
municipality is applications.residence, shared with the other services). The application form, the automated checks, the admission run and the case's
deadline all ask these functions.

Barnehageloven (LOV-2005-06-17-64): § 16 the right to a place, § 18 priority (disability, a
child-welfare decision), § 17 admission."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .conf import main_admission_deadline_setting
from .models import Kindergarten

# The municipal rule for answering: main-admission applications by 30 April of the admission
# year, other applications within 6 weeks of receipt.
MAIN_ADMISSION_ANSWER_BY = (4, 30)
PROCESSING_WEEKS = 6


@dataclass(frozen=True)
class PlaceRight:
    """Whether a child has a statutory right to a place for a chosen start.

    status: "right" (right to a place from `right_from`), "right_later" (a right, but from a
    later date than the chosen start), "too_young" (turns 1 after November: continuous
    admission, right from next August), "late" (applied after the main-admission deadline)."""

    status: str
    admission_year: int
    deadline: datetime.date
    right_from: datetime.date | None

    @property
    def has_right(self) -> bool:
        return self.status == "right"

    @property
    def deadline_passed(self) -> bool:
        return self.status == "late"


def main_admission_deadline(year: int) -> datetime.date:
    month, day = (int(x) for x in main_admission_deadline_setting().split("-"))
    return datetime.date(year, month, day)


def admission_year_for(start: datetime.date) -> int:
    """The kindergarten year runs from August to July; its main admission is that spring."""
    return start.year if start.month >= 8 else start.year - 1


def _add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # born 29 February
        return day.replace(year=day.year + years, day=28)


def place_right(*, birth_date: datetime.date, start: datetime.date, applied_on: datetime.date) -> PlaceRight:
    """The right to a place (§ 16), for one child, start date and day of applying.

    A child who turns 1 by the end of August has a right from August of the admission year; a
    child who turns 1 in September, October or November has a right from that month (a place
    by the end of it). Only when the application is in by the main-admission deadline."""
    year = admission_year_for(start)
    deadline = main_admission_deadline(year)
    first_birthday = _add_years(birth_date, 1)
    if first_birthday <= datetime.date(year, 8, 31):
        right_from = datetime.date(year, 8, 1)
    elif first_birthday <= datetime.date(year, 11, 30):
        right_from = first_birthday.replace(day=1)
    else:
        return PlaceRight("too_young", year, deadline, datetime.date(year + 1, 8, 1))
    if applied_on > deadline:
        return PlaceRight("late", year, deadline, None)
    if start < right_from:
        return PlaceRight("right_later", year, deadline, right_from)
    return PlaceRight("right", year, deadline, right_from)


def place_right_message(right: PlaceRight, child_name: str) -> tuple[str, str]:
    """(Designsystemet alert colour, plain-language message) for the family."""
    month = lambda d: date_format(d, "YEAR_MONTH_FORMAT")  # noqa: E731
    deadline = date_format(right.deadline, "DATE_FORMAT")
    if right.status == "right":
        return "success", _("%(child)s has a statutory right to a kindergarten place from %(month)s, if you apply by %(deadline)s.") % {
            "child": child_name, "month": month(right.right_from), "deadline": deadline}
    if right.status == "right_later":
        return "info", _("%(child)s has a statutory right to a place from %(month)s, which is later than your chosen start. You may still be offered an earlier place if one is free.") % {
            "child": child_name, "month": month(right.right_from)}
    if right.status == "too_young":
        return "info", _("%(child)s turns 1 after November and has no statutory right to a place for this start. The application is considered in continuous admission; the right applies from %(month)s.") % {
            "child": child_name, "month": month(right.right_from)}
    return "warning", _("The main-admission deadline for this kindergarten year (%(deadline)s) has passed. %(child)s has no statutory right to a place for this start; the application is considered in continuous admission as places become free.") % {
        "child": child_name, "deadline": deadline}


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    """Completed years on `day`."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def kindergarten_takes_child(kindergarten, *, birth_date: datetime.date | None, on: datetime.date) -> bool:
    """Whether the kindergarten's age groups take the child on `on` (the start of the place):
    "0–2" takes children under 3, "3–5" children of 3 and over, "0–5" every child. With the
    birth date unknown only a kindergarten for all ages can be sure to take the child."""
    if kindergarten.age_groups == Kindergarten.AgeGroups.ALL:
        return True
    if birth_date is None:
        return False
    age = age_on(birth_date, on)
    return age < 3 if kindergarten.age_groups == Kindergarten.AgeGroups.SMALL else age >= 3


def processing_deadline(*, start: datetime.date | None, received: datetime.date) -> datetime.date:
    """When a kindergarten case is answered: by 30 April of the admission year when it came in
    by the main-admission deadline of the year of the wished start; otherwise 6 weeks after it
    came in (or after an appeal reopened it)."""
    if start is not None:
        year = admission_year_for(start)
        if received <= main_admission_deadline(year):
            return datetime.date(year, *MAIN_ADMISSION_ANSWER_BY)
    return received + datetime.timedelta(weeks=PROCESSING_WEEKS)
