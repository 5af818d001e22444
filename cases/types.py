"""Case types: what `cases` asks of each municipal service, and the registry services join.

`cases` never names a service. Each service package (kindergarten/, building_permit/, sfo/ …)
defines a CaseType (usually an applications.types.ApplicationType, which is one) and registers
it when its app is ready; cases asks the registry for
- `title`: the type's name in the queue, its filter and the statistics;
- `department_code`: whose queue its cases land in (the department is created by the
  service's data migration);
- `processing_deadline(facts, received)`: the one deadline rule, asked at submit and again
  when an appeal reopens the case (facts are what was frozen on the case at submit);
- `wording`: the citizen's words for a status, or for (status, outcome), where the service's
  words differ from the generic ones (cases.transitions.GENERIC_WORDING);
- `transitions`: status changes this type allows beyond the common table (e.g. a new
  kindergarten offer for a child on the waiting list decides a decided case again).

A case of a type that is no longer installed still works: `case_type()` answers a generic type.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext_lazy

# Forvaltningsloven § 11 a: without a decision within a month the party gets a preliminary
# answer; a month is the deadline for a type that sets none of its own.
DEFAULT_PROCESSING_DAYS = 30


class CaseType:
    key: str = ""
    title = gettext_lazy("Case")
    department_code: str = ""
    # The name of that department when a municipality gets it made (editable in the admin).
    department_name: str = ""
    # {status: text} or {(status, outcome): text}: the citizen's words where this type differs.
    wording: dict = {}
    # {(from_status, to_status): frozenset of actors}: allowed for this type on top of the table.
    transitions: dict = {}
    # The municipality's estimate of paper applications per year outside Min Side (statistics),
    # when it has not set one.
    paper_applications_per_year: int = 0

    def processing_deadline(self, *, facts: dict, received: datetime.date) -> datetime.date | None:
        """The day the case should be decided by, counted from `received` (the day the case
        came in, or the day an appeal reopened it)."""
        return received + datetime.timedelta(days=DEFAULT_PROCESSING_DAYS)

    def __str__(self) -> str:
        return str(self.title)


@dataclass(frozen=True)
class CheckResult:
    """One automated check of a case (after submit, or an automated decision's rule). `required`
    checks decide whether the case goes straight to a caseworker's review; the others are
    information for the caseworker. `message` is for the caseworker, `citizen_message` what the
    applicant may read (None: nothing)."""

    code: str
    passed: bool
    message: str
    citizen_message: str | None = None
    required: bool = True


# How a check is written on the timeline (cases.services) and read back (cases.selectors).
CHECK_PASSED, CHECK_FAILED, CHECK_NOTE = "✓", "✗", "•"

REGISTRY: dict[str, CaseType] = {}


def register_case_type(case_type: CaseType) -> CaseType:
    if not case_type.key:
        raise ValueError(f"{type(case_type).__name__} has no key")
    existing = REGISTRY.get(case_type.key)
    if existing is not None and type(existing) is not type(case_type):
        raise ValueError(f"Two case types with the key {case_type.key!r}: {existing!r} and {case_type!r}")
    REGISTRY[case_type.key] = case_type
    return case_type


class _UnknownType(CaseType):
    def __init__(self, key: str):
        self.key = key
        self.title = key


def case_type(key: str) -> CaseType:
    """The registered type, or a generic one (its key as title, the default deadline)."""
    return REGISTRY.get(key) or _UnknownType(key)


def case_types() -> list[CaseType]:
    return sorted(REGISTRY.values(), key=lambda t: str(t.title))
