"""The kindergarten service's settings. The main-admission deadline is each municipality's own
choice: its "yearly application deadline" for the kindergarten service (admin → Application
types, applications.ApplicationTypeConfig.yearly_deadline); the environment (or Django settings)
gives only the default for a municipality that has not set one, and the technical threshold
for running admission in a worker."""

from __future__ import annotations

import environ
from django.conf import settings

from accounts.tenancy import current_municipality_id, on_cache_clear

_env = environ.Env()

DEFAULTS = {
    # Main admission (barnehageloven § 16): apply by this day (MM-DD) of the admission year to
    # have a statutory right to a place. The municipality sets it each year.
    "KINDERGARTEN_MAIN_ADMISSION_DEADLINE": _env.str("KINDERGARTEN_MAIN_ADMISSION_DEADLINE", default="03-01"),
    # Above this many waiting cases an admission run goes to a worker (the casework queue), so
    # the caseworker's request is not held open.
    "KINDERGARTEN_RUN_IN_WORKER_FROM": _env.int("KINDERGARTEN_RUN_IN_WORKER_FROM",
                                                default=_env.int("ADMISSIONS_RUN_IN_WORKER_FROM", default=200)),
}


def setting(name: str):
    return getattr(settings, name, DEFAULTS[name])


# municipality id -> its main-admission deadline (MM-DD), per process: the rules ask it for every
# child of an admission run, so it is read once (cleared when a municipality's settings change).
_deadlines: dict = {}


@on_cache_clear
def forget_deadlines() -> None:
    _deadlines.clear()


def main_admission_deadline_setting() -> str:
    """MM-DD: the main-admission deadline of the municipality being worked in (its scope);
    outside any municipality's scope (pure rule tests), the default."""
    from applications.models import ApplicationTypeConfig

    municipality_id = current_municipality_id()
    if municipality_id is None:
        return setting("KINDERGARTEN_MAIN_ADMISSION_DEADLINE")
    if municipality_id not in _deadlines:
        configured = (ApplicationTypeConfig.objects.filter(type_key="kindergarten", municipality_id=municipality_id)
                      .values_list("yearly_deadline", flat=True).first())
        _deadlines[municipality_id] = configured or setting("KINDERGARTEN_MAIN_ADMISSION_DEADLINE")
    return _deadlines[municipality_id]
