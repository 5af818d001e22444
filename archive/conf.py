"""Who we are to the archive: the municipality's archive identities, in one place.

The municipality is the one being worked in (its scope: accounts.tenancy): its name, and as
arkivskaper its archive sender identity (Municipality.archive_sender_id), else its organisation
number, else its number. The settings give the installation's system name and series, and the
creator for a municipality that has none of its own; nothing else in archive/ reads them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class ArchiveIdentity:
    system: str  # our name as fagsystem in referanseEksternNoekkel and <system> (Fiks Arkiv)
    creator_id: str  # arkivskaperID (the municipality's organisation number)
    creator_name: str  # arkivskaperNavn
    archive_title: str  # arkiv/tittel in the deposit package
    series_code: str  # arkivdel: the series our case files go to (Fiks Arkiv code)
    series_title: str
    registry_unit: str  # journalenhet, when the archive wants one


def archive_identity() -> ArchiveIdentity:
    from accounts.tenancy import municipality_get, working_municipality_id

    municipality = municipality_get(working_municipality_id())
    name = municipality.name if municipality is not None else settings.MUNICIPALITY_NAME
    own_id = (municipality.archive_sender_id or municipality.organisation_number) if municipality is not None else ""
    number = municipality.number if municipality is not None else settings.MUNICIPALITY_NUMBER
    return ArchiveIdentity(
        system=settings.ARCHIVE_SYSTEM_NAME,
        creator_id=own_id or settings.ARCHIVE_CREATOR_ID or number,
        creator_name=name,
        archive_title=settings.ARCHIVE_TITLE or f"{name} – Min Side",
        series_code=settings.ARCHIVE_SERIES_CODE,
        series_title=settings.ARCHIVE_SERIES_TITLE,
        registry_unit=settings.ARCHIVE_REGISTRY_UNIT,
    )
