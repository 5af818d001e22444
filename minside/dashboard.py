"""The sections of the Min Side home page. Each app that has something to show the citizen
adds a function here that returns a template name and its context (or None to show nothing),
so the home page stays one thin view."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest

Section = tuple[str, dict]
SECTION_PROVIDERS: list[Callable[[HttpRequest], Section | None]] = []


def section(func: Callable[[HttpRequest], Section | None]):
    SECTION_PROVIDERS.append(func)
    return func


def dashboard_sections(request: HttpRequest) -> list[Section]:
    return [s for s in (provider(request) for provider in SECTION_PROVIDERS) if s]
