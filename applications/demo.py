"""Demo data: every registered application type offered on the "Apply" page of each demo
municipality (run in its scope). Idempotent."""

from accounts.tenancy import working_municipality_id

from .models import ApplicationTypeConfig
from .types import all_types


def load() -> int:
    created = 0
    for position, app_type in enumerate(all_types()):
        _config, was_created = ApplicationTypeConfig.objects.get_or_create(
            type_key=app_type.key, municipality_id=working_municipality_id(),
            defaults={"enabled": True, "position": position})
        created += was_created
    return created
