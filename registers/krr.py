"""Contact register (Kontakt- og reservasjonsregisteret, KRR) adapter.

The real service is Digdir's KRR API behind Maskinporten. Per person it tells: reserved against
digital communication or not, e-mail and mobile with when each was last updated or verified,
the digital mailbox (Digipost / e-Boks) address, and the preferred language. Look the person up
at each dispatch; never keep a private copy as the truth.

Contact details neither updated nor verified within 18 months must not be used for notices:
`ContactInfo.usable_email(now)` / `usable_mobile(now)` return None for those.

`LocalContactRegister` answers for the demo people in registers/demo_data.py with the same
shapes, says None for people it does not know (children, test citizens), and raises
RegisterUnavailable like the real one when it is "down" (KRR_LOCAL_UNAVAILABLE, or
`set_unavailable(True)`). Choose the adapter with KRR_ADAPTER.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.utils import timezone

from . import demo_data
from .adapters import get_adapter
from .population import RegisterUnavailable

__all__ = ["ContactInfo", "ContactRegister", "DigitalMailboxAddress", "LocalContactRegister",
           "RegisterUnavailable", "contact_register", "is_fresh"]

# 18 months, as the regulation says; a setting so a change of rule is configuration.
DEFAULT_FRESHNESS_DAYS = 548


def is_fresh(updated: datetime.datetime | None, now: datetime.datetime | None = None) -> bool:
    if updated is None:
        return False
    now = now or timezone.now()
    days = getattr(settings, "KRR_CONTACT_FRESHNESS_DAYS", DEFAULT_FRESHNESS_DAYS)
    return now - updated <= datetime.timedelta(days=days)


@dataclass(frozen=True)
class DigitalMailboxAddress:
    provider: str  # "digipost" or "eboks"
    address: str


@dataclass(frozen=True)
class ContactInfo:
    national_id: str
    reserved: bool = False
    email: str = ""
    email_updated: datetime.datetime | None = None
    mobile: str = ""
    mobile_updated: datetime.datetime | None = None
    digital_mailbox: DigitalMailboxAddress | None = None
    language: str = ""  # nb, nn, en, se (or empty)

    def usable_email(self, now: datetime.datetime | None = None) -> str | None:
        if self.reserved or not self.email or not is_fresh(self.email_updated, now):
            return None
        return self.email

    def usable_mobile(self, now: datetime.datetime | None = None) -> str | None:
        if self.reserved or not self.mobile or not is_fresh(self.mobile_updated, now):
            return None
        return self.mobile


class ContactRegister(Protocol):
    def lookup(self, national_id: str) -> ContactInfo | None:
        """The person's entry, or None when KRR knows no one by that number.
        Raises RegisterUnavailable on timeouts and errors."""


def _at(day: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(day).replace(tzinfo=datetime.UTC)


# The demo people (today is 2026-11-24 in the demo): a mix of the situations routing handles.
DEMO_CONTACTS: list[ContactInfo] = [
    # Kari: e-mail and mobile, recently verified; writes nynorsk.
    ContactInfo(national_id=demo_data.KARI, email="kari.nordmann@example.no", email_updated=_at("2026-02-14"),
                mobile="+4791234567", mobile_updated=_at("2025-12-01"), language="nn"),
    # Per: has a Digipost mailbox, so letters go there; e-mail verified.
    ContactInfo(national_id=demo_data.PER, email="per.hansen@example.no", email_updated=_at("2026-05-03"),
                digital_mailbox=DigitalMailboxAddress("digipost", "per.hansen#8F2A"), language="nb"),
    # Ahmed: only a mobile number; prefers English.
    ContactInfo(national_id=demo_data.AHMED, mobile="+4798765432", mobile_updated=_at("2026-08-20"), language="en"),
    # Reidun: reserved against digital contact: formal letters on paper.
    ContactInfo(national_id=demo_data.REIDUN, reserved=True, language="nb"),
    # Lars: contact details last confirmed more than 18 months ago: not to be used.
    ContactInfo(national_id=demo_data.LARS, email="lars.berg@example.no", email_updated=_at("2024-10-01"),
                mobile="+4740000001", mobile_updated=_at("2024-09-15"), language="nb"),
]


class LocalContactRegister:
    def __init__(self, contacts: list[ContactInfo] | None = None):
        self._initial = list(contacts or DEMO_CONTACTS)
        self.reset()

    def reset(self) -> None:
        """Back to the people it started with, answering."""
        self._contacts = {c.national_id: c for c in self._initial}
        self._unavailable = False

    def lookup(self, national_id: str) -> ContactInfo | None:
        if self._unavailable or getattr(settings, "KRR_LOCAL_UNAVAILABLE", False):
            raise RegisterUnavailable("KRR did not answer (local register set to unavailable)")
        return self._contacts.get(national_id)

    # The local register can be edited, like KRR when a person updates their details.
    def put(self, contact: ContactInfo) -> None:
        self._contacts[contact.national_id] = contact

    def remove(self, national_id: str) -> None:
        self._contacts.pop(national_id, None)

    def set_unavailable(self, unavailable: bool) -> None:
        self._unavailable = unavailable


def contact_register() -> ContactRegister:
    return get_adapter("KRR_ADAPTER")
