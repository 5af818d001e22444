"""Values every template may use, contributed by apps: `@template_values` on a function
`(request) -> dict` in the app's `context.py` (imported when core is ready). The context
processor `core.context.contributed` merges them, so settings never name an app's processor."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest

Provider = Callable[[HttpRequest], dict]
PROVIDERS: list[Provider] = []


def template_values(provider: Provider) -> Provider:
    if provider not in PROVIDERS:
        PROVIDERS.append(provider)
    return provider


def contributed(request: HttpRequest) -> dict:
    values: dict = {}
    for provider in PROVIDERS:
        values.update(provider(request))
    return values
