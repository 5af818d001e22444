"""Sections other apps add to the case pages, so cases never names them.

Citizen's case page (/saker/<id>/): `@citizen_panel(order=…, position=…)` on a function
`(request, case) -> (template, context) | None`, in the app's `panels.py` (imported when cases
is ready). `position` is "before_timeline" (what the citizen must see or answer: an offer, the
decision) or "after_timeline" (documents, messages). The template gets `panel` (the context).

Caseworker's case page (/saksbehandling/cases/case/<id>/): `@caseworker_panel(order=…)`, same
shape; and admin inlines (`case_admin_inline(InlineClass)`, from the app's admin.py).

The case was fetched through cases.selectors (the access check) before any panel is asked;
a panel shows nothing for a case it has nothing for (returns None)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest

Panel = tuple[str, dict]
Provider = Callable[[HttpRequest, object], Panel | None]
POSITIONS = ("before_timeline", "after_timeline")

_citizen: list[tuple[int, str, Provider]] = []
_caseworker: list[tuple[int, Provider]] = []
_admin_inlines: list[type] = []


def citizen_panel(*, order: int = 50, position: str = "after_timeline"):
    if position not in POSITIONS:
        raise ValueError(f"position must be one of {POSITIONS}")

    def register(provider: Provider) -> Provider:
        if all(p is not provider for _o, _pos, p in _citizen):
            _citizen.append((order, position, provider))
            _citizen.sort(key=lambda item: item[0])
        return provider

    return register


def caseworker_panel(*, order: int = 50):
    def register(provider: Provider) -> Provider:
        if all(p is not provider for _o, p in _caseworker):
            _caseworker.append((order, provider))
            _caseworker.sort(key=lambda item: item[0])
        return provider

    return register


def case_admin_inline(inline: type) -> type:
    if inline not in _admin_inlines:
        _admin_inlines.append(inline)
    return inline


def citizen_panels(request: HttpRequest, case, *, position: str) -> list[Panel]:
    return [panel for _order, pos, provider in _citizen if pos == position
            for panel in [provider(request, case)] if panel]


def caseworker_panels(request: HttpRequest, case) -> list[Panel]:
    return [panel for _order, provider in _caseworker for panel in [provider(request, case)] if panel]


def case_admin_inlines() -> list[type]:
    return list(_admin_inlines)
