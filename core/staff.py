"""Who is a caseworker: the one predicate every staff page, admin and API endpoint asks.

A caseworker is an active staff user who belongs to at least one department (superusers:
municipal IT, who see everything). Which cases a caseworker sees is decided by each app's
selector from the same departments (cases.selectors.cases_for_caseworker)."""

from __future__ import annotations

from django.http import HttpRequest


def is_caseworker(user) -> bool:
    """One query for a non-superuser (their departments). `user.departments` is the relation
    accounts.User declares; core does not import accounts (it sits below it)."""
    return bool(
        user is not None and user.is_authenticated and user.is_active and user.is_staff
        and (user.is_superuser or user.departments.exists())
    )


def request_is_caseworker(request: HttpRequest) -> bool:
    """is_caseworker(request.user), asked once per request: an admin page asks it many times
    (the site, every model's module permission, the nav sidebar)."""
    if not hasattr(request, "_core_is_caseworker"):
        request._core_is_caseworker = is_caseworker(getattr(request, "user", None))
    return request._core_is_caseworker
