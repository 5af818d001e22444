"""The sections of the Min Side home page. Each app that has something to show the citizen
adds a function here that returns a template name and its context (or None to show nothing),
so the home page stays one thin view."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest

Section = tuple[str, dict]
Provider = Callable[[HttpRequest], Section | None]
# (order, provider): lower order shows higher up the page.
SECTION_PROVIDERS: list[tuple[int, Provider]] = []


def section(func: Provider | None = None, *, order: int = 50):
    """Register a home-page section: `@section`, or `@section(order=10)` to place it; what the
    citizen must act on comes first (low numbers), settings last."""

    def register(provider: Provider) -> Provider:
        SECTION_PROVIDERS.append((order, provider))
        SECTION_PROVIDERS.sort(key=lambda item: item[0])
        return provider

    return register(func) if func is not None else register


def dashboard_sections(request: HttpRequest) -> list[Section]:
    return [s for s in (provider(request) for _order, provider in SECTION_PROVIDERS) if s]
