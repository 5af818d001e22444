"""Register facts fetched once per operation (once-only): inside `register_snapshot()` every
register answer (the same method with the same arguments) is fetched once and reused, so a page,
a submission or an admission run asks the population register for a family once, not once per
form, summary line and check. Web requests run inside one (core.middleware); services that run
in a worker open their own. Outside one, every call goes to the register.

What a case needs later is frozen on the case at submit (cases.models.Case.facts), so later
operations need not ask at all. An error (RegisterUnavailable) is never remembered: the next
call asks again."""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

T = TypeVar("T")
_answers: contextvars.ContextVar[dict | None] = contextvars.ContextVar("register_snapshot", default=None)


@contextmanager
def register_snapshot() -> Iterator[None]:
    """Remember register answers until the block ends. Nested blocks share the outer snapshot."""
    if _answers.get() is not None:
        yield
        return
    token = _answers.set({})
    try:
        yield
    finally:
        _answers.reset(token)


def remembered(key: tuple, fetch: Callable[[], T]) -> T:
    """`fetch()` once per snapshot for `key` (register, method, arguments); outside a snapshot,
    every time."""
    answers = _answers.get()
    if answers is None:
        return fetch()
    if key not in answers:
        answers[key] = fetch()
    return answers[key]


class SnapshotAdapter:
    """Wraps a register adapter: the named read methods go through `remembered`; everything
    else (and the adapter's own attributes) passes through."""

    def __init__(self, adapter, *, name: str, methods: tuple[str, ...]):
        self._adapter, self._name, self._methods = adapter, name, frozenset(methods)

    def __getattr__(self, attr):
        value = getattr(self._adapter, attr)
        if attr not in self._methods:
            return value

        def call(*args, **kwargs):
            key = (self._name, attr, args, tuple(sorted(kwargs.items())))
            return remembered(key, lambda: value(*args, **kwargs))

        return call
