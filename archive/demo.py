"""Demo data for the archive: building permits are public records in the demo municipality
(every other type keeps the default rule: exempt under offl. § 13), so the public journal shows
both kinds. The demo cases are archived by the same events as real ones."""

from .models import ArchiveScreening


def load() -> int:
    _rule, created = ArchiveScreening.objects.get_or_create(
        application_type="building_permit", defaults={"restricted": False, "access_code": "", "legal_basis": ""})
    return int(created)
