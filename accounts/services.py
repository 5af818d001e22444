"""Account operations: citizens from the population register, choosing whom to act for,
the user's language."""

from __future__ import annotations

import logging

from django.contrib.auth import login
from django.contrib.auth.hashers import make_password
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest

from registers.population import population_register

from .idnumbers import parse_national_id
from .models import Organisation, User
from .selectors import organisations_person_may_act_for

logger = logging.getLogger(__name__)

ACTING_FOR_SESSION_KEY = "minside_acting_for"
ACR_SESSION_KEY = "minside_acr"
ACT_FOR_SELF = "self"


class UnknownPerson(Exception):
    """The population register knows no one with this number."""


@transaction.atomic
def citizen_get_or_create(*, national_id: str) -> User:
    """The citizen with this national identity number, created on first login and kept in step
    with the population register (name). Raises UnknownPerson if the register has no such
    person."""
    national_id = parse_national_id(national_id).value
    person = population_register().person(national_id)
    if person is None:
        raise UnknownPerson()
    user, created = User.objects.select_for_update().get_or_create(
        national_id=national_id,
        # Citizens never have a password: they log in through ID-porten only.
        defaults={"first_name": person.first_name, "last_name": person.last_name,
                  "password": make_password(None)},
    )
    if not created and (user.first_name, user.last_name) != (person.first_name, person.last_name):
        user.first_name, user.last_name = person.first_name, person.last_name
        user.save(update_fields=["first_name", "last_name", "updated_at"])
    return user


def citizen_login(*, request: HttpRequest, user: User, acr: str = "") -> None:
    """Start a session for a citizen who has been identified by ID-porten (or test ID-porten)
    at security level `acr` (kept in the session: see `session_acr_at_least`)."""
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    request.session.pop(ACTING_FOR_SESSION_KEY, None)
    request.session[ACR_SESSION_KEY] = acr
    logger.info("Citizen login: user %s at %s", user.pk, acr)


def session_acr_at_least(request: HttpRequest, level: str) -> bool:
    """Did this session's login reach security level `level` (e.g. "idporten-loa-high" for
    sensitive case documents)? False for staff sessions and anonymous users."""
    from .idporten import acr_is_sufficient

    acr = request.session.get(ACR_SESSION_KEY)
    return bool(acr) and acr_is_sufficient(acr, minimum=level)


def party_choose(*, request: HttpRequest, user: User, choice: str) -> Organisation | None:
    """Act for yourself (`choice == "self"`) or for an organisation you may represent today.

    Raises PermissionDenied when the user may not act for that organisation."""
    if choice == ACT_FOR_SELF:
        request.session[ACTING_FOR_SESSION_KEY] = ACT_FOR_SELF
        return None
    organisation = organisations_person_may_act_for(person=user).filter(pk=choice).first() if _is_uuid(choice) else None
    if organisation is None:
        raise PermissionDenied("Not a representative of this organisation")
    request.session[ACTING_FOR_SESSION_KEY] = str(organisation.pk)
    return organisation


def user_set_language(*, user: User, language: str) -> None:
    if user.is_authenticated and language in User.Language.values and user.preferred_language != language:
        user.preferred_language = language
        user.save(update_fields=["preferred_language", "updated_at"])


def _is_uuid(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True
