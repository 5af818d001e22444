"""The kindergarten service's settings: read from the environment here, not in minside/settings.py
(a service brings its own). Each can still be overridden in Django settings (tests do). They are
municipal choices: the municipalities issue moves them onto the municipality."""

from __future__ import annotations

import environ
from django.conf import settings

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
