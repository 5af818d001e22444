"""Who we are to the archive: the municipality's archive identities, in one place.

Today they come from settings (one municipality per installation). When the installation
serves several municipalities, `archive_identity()` takes the municipality and reads the same
fields from it; nothing else in archive/ reads these settings.
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
    name = settings.MUNICIPALITY_NAME
    return ArchiveIdentity(
        system=settings.ARCHIVE_SYSTEM_NAME,
        creator_id=settings.ARCHIVE_CREATOR_ID or settings.MUNICIPALITY_NUMBER,
        creator_name=name,
        archive_title=settings.ARCHIVE_TITLE or f"{name} – Min Side",
        series_code=settings.ARCHIVE_SERIES_CODE,
        series_title=settings.ARCHIVE_SERIES_TITLE,
        registry_unit=settings.ARCHIVE_REGISTRY_UNIT,
    )
