"""App discovery: what each installed app contributes, found by asking the app itself, never
from a hand-written list of apps (a forgotten entry is a silent bug: admission offers once
never expired because one list of apps left them out).

An app contributes
- URLs: `urls = {"soknad/": "urls"}` on its AppConfig: URL prefix -> its module with
  `urlpatterns` (see `app_url_patterns`);
- periodic work: `beat_schedule = {...}` in its `tasks.py` (see `beat_schedule`), and the
  queue of each of its tasks: `task_queues = {"<task name>": "<queue>"}` (see `route_task`);
- demo data: `load() -> int` in its `demo.py`;
- home-page sections (`dashboard.py`, core.dashboard) and template values (`context.py`,
  core.context), imported when core is ready.

A module that exists but fails to import raises: nothing here swallows ImportError, so a typo
stops the start-up instead of making a feature vanish.
"""

from __future__ import annotations

import importlib
import re
from functools import cache
from types import ModuleType

from django.apps import AppConfig, apps
from django.utils.module_loading import module_has_submodule


def app_modules(name: str) -> list[tuple[AppConfig, ModuleType]]:
    """(app config, module) for every installed app that has a submodule `name`, in
    INSTALLED_APPS order."""
    found = []
    for config in apps.get_app_configs():
        if module_has_submodule(config.module, name):
            found.append((config, importlib.import_module(f"{config.name}.{name}")))
    return found


def import_app_modules(name: str) -> None:
    """Import `name` from every app that has it (registration happens on import)."""
    app_modules(name)


def app_url_patterns() -> list:
    """`path(prefix, include("<app>.<module>"))` for every prefix an app declares in `urls`."""
    from django.urls import include, path

    return [path(prefix, include(f"{config.name}.{module}"))
            for config in apps.get_app_configs() for prefix, module in getattr(config, "urls", {}).items()]


def beat_schedule() -> dict:
    """Every app's periodic work, merged: `beat_schedule` in each app's tasks module. Two apps
    declaring the same entry name is an error, not a silent overwrite."""
    schedule: dict = {}
    for config, module in app_modules("tasks"):
        for name, entry in getattr(module, "beat_schedule", {}).items():
            if name in schedule:
                raise ValueError(f"Two apps declare the periodic task {name!r} ({config.name} and another)")
            schedule[name] = entry
    return schedule


PERIODIC_TASK = re.compile(r"\.tasks\.periodic_")


@cache
def _task_queues() -> dict[str, str]:
    queues: dict[str, str] = {}
    for _config, module in app_modules("tasks"):
        queues.update(getattr(module, "task_queues", {}))
    return queues


def route_task(name, args, kwargs, options, task=None, **kw):
    """Celery router (settings.CELERY_TASK_ROUTES): the queue an app declares for the task in
    its `task_queues`; periodic work (`<app>.tasks.periodic_*`) on "periodic"; else Celery's
    default queue."""
    queue = _task_queues().get(name) or ("periodic" if PERIODIC_TASK.search(name) else None)
    return {"queue": queue} if queue else None
