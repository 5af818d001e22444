"""Which municipality a request, task or export belongs to, and the scope every query of a
municipality-owned model runs in (django-scopes). Isolation is enforced here, once: a model
that belongs to a municipality has a ScopedManager, and a query outside an active scope raises
ScopeError instead of reading every municipality's rows.

Two dimensions:
- `municipality`: the municipality the request works in: its departments, the services it
  offers with their settings (kindergartens, fees, admission rounds), its statistics. Always
  one municipality (the host's), or nothing.
- `records`: whose records (cases, letters, conversations, notices, applications, offers) may
  be read at all. For staff and tasks: the same one municipality. For a citizen: every
  municipality on the installation (`None`): a family that moved from Lier to Drammen still
  follows its Lier case on Drammen's Min Side; *which* records are theirs is decided by each
  app's one selector (the party). For a national operator: none.

Requests get their scope from MunicipalityMiddleware (accounts.middleware), from the host
(`municipality_for_host`). Tasks take row ids and call `municipality_scope` (or run through
`for_each_municipality` for periodic work); management commands do the same.
"""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.conf import settings
from django_scopes import get_scope, scope, scopes_disabled

MUNICIPALITY = "municipality"
RECORDS = "records"
# How long a process trusts its copy of the host -> municipality table. A change made in the
# admin clears it in that process at once (signals below) and in the others within this time.
CACHE_SECONDS = 30

_lock = threading.Lock()
_cache: dict = {"loaded_at": 0.0, "by_host": {}, "all": []}


def _load() -> None:
    from .models import Municipality

    municipalities = list(Municipality.objects.prefetch_related("hosts").order_by("name"))
    _cache["by_host"] = {h.host: m for m in municipalities for h in m.hosts.all()}
    _cache["all"] = municipalities
    _cache["loaded_at"] = time.monotonic()


def _fresh() -> dict:
    ttl = getattr(settings, "MUNICIPALITY_CACHE_SECONDS", CACHE_SECONDS)
    if not _cache["loaded_at"] or time.monotonic() - _cache["loaded_at"] > ttl:
        with _lock:
            _load()
    return _cache


_on_clear: list[Callable] = []


def on_cache_clear(func: Callable) -> Callable:
    """Register a per-process cache of municipal settings that must be forgotten with the host
    table (e.g. kindergarten.conf's main-admission deadline)."""
    _on_clear.append(func)
    return func


def cache_clear(**kwargs) -> None:
    """Forget the host table (after a municipality or host name changed; tests)."""
    _cache["loaded_at"] = 0.0
    for func in _on_clear:
        func()


def municipalities() -> list:
    """Every municipality on the installation, by name (from the process' copy: no query)."""
    return list(_fresh()["all"])


def municipality_for_host(host: str):
    """The municipality served on `host` (without port), or None. An installation with one
    municipality serves it on every host it accepts (ALLOWED_HOSTS): a single-municipality
    installation keeps working on its old host name after the upgrade."""
    state = _fresh()
    found = state["by_host"].get((host or "").split(":")[0].lower())
    if found is None and len(state["all"]) == 1:
        return state["all"][0]
    return found


def municipality_get(pk):
    """A municipality by id, from the process' copy when it is there."""
    if pk is None:
        return None
    found = next((m for m in _fresh()["all"] if m.pk == pk), None)
    if found is None:
        from .models import Municipality

        found = Municipality.objects.filter(pk=pk).first()
    return found


def current_municipality_id():
    """The id of the municipality the current scope works in, or None outside one."""
    value = get_scope().get(MUNICIPALITY)
    return value if isinstance(value, int) else None


def working_municipality_id(municipality=None):
    """The municipality a write belongs to when the caller names none: the one its scope works
    in, else the installation's only municipality. None when neither tells (several
    municipalities and no scope): the caller must then say which."""
    if municipality is not None:
        return getattr(municipality, "pk", municipality)
    current = current_municipality_id()
    if current is not None:
        return current
    everyone = _fresh()["all"]
    return everyone[0].pk if len(everyone) == 1 else None


# --- Scopes ------------------------------------------------------------------------------------

def staff_scope(municipality_id):
    """Staff, tasks, exports: one municipality for everything."""
    return scope(**{MUNICIPALITY: municipality_id, RECORDS: municipality_id})


def citizen_scope(municipality_id):
    """A citizen on a municipality's host: its services, and their own records everywhere
    (each app's party selector decides which)."""
    return scope(**{MUNICIPALITY: municipality_id if municipality_id is not None else [], RECORDS: None})


def empty_scope():
    """Nothing municipality-owned: a national operator, or a request on the bare domain."""
    return scope(**{MUNICIPALITY: [], RECORDS: []})


@contextmanager
def municipality_scope(municipality) -> Iterator[None]:
    """Run the block as (staff of) `municipality` (an instance or an id)."""
    pk = getattr(municipality, "pk", municipality)
    with staff_scope(pk):
        yield


def unscoped():
    """Every municipality's rows: only for what belongs to no one municipality (the operator's
    overview, finding a row's municipality before entering its scope, data migrations)."""
    return scopes_disabled()


def for_each_municipality(func: Callable) -> Callable:
    """Periodic work (beat) runs once per municipality, inside its scope; returns the sum (or
    the list) of what each run returned. One pattern for every `periodic_*` task."""

    @functools.wraps(func)
    def run(*args, **kwargs):
        from .models import Municipality

        with unscoped():
            ids = list(Municipality.objects.order_by("pk").values_list("pk", flat=True))
        results = []
        for pk in ids:
            with staff_scope(pk):
                results.append(func(*args, **kwargs))
        if all(isinstance(r, int) for r in results):
            return sum(results)
        return results

    return run


def in_scope_of(model, *, field: str = "municipality_id", bound: bool = False) -> Callable:
    """A task that takes the id of a `model` row as its first argument (after `self` for a
    `bound` task) runs inside that row's municipality: the row's municipality is read unscoped
    (one small query), then the task body runs in its scope. A row that is gone runs the body in
    an empty scope, so it finds nothing and logs it, as before."""

    def decorate(func: Callable) -> Callable:
        @functools.wraps(func)
        def run(*args, **kwargs):
            positional = args[1:] if bound else args
            row_id = positional[0] if positional else next(iter(kwargs.values()))
            with unscoped():
                municipality_id = (model._default_manager.filter(pk=row_id).values_list(field, flat=True).first()
                                   if row_id else None)
            if municipality_id is None:
                with empty_scope():
                    return func(*args, **kwargs)
            with staff_scope(municipality_id):
                return func(*args, **kwargs)

        return run

    return decorate
