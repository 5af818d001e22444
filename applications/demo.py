"""Demo data: every registered application type offered on the "Apply" page. Idempotent."""

from .models import ApplicationTypeConfig
from .types import all_types


def load() -> int:
    created = 0
    for position, app_type in enumerate(all_types()):
        _config, was_created = ApplicationTypeConfig.objects.get_or_create(
            type_key=app_type.key, defaults={"enabled": True, "position": position})
        created += was_created
    return created
