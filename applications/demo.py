"""Demo data: the application types offered, kindergartens in the demo municipality and the
building permit fee schedule. Idempotent."""

import datetime

from .models import ApplicationTypeConfig, BuildingFee, Kindergarten
from .types import all_types

KINDERGARTENS = [
    ("Eventyrskogen barnehage", "Skogvegen 4, 3050 Mjøndalen", "0-5", 84),
    ("Solsikken barnehage", "Sollia 12, 3050 Mjøndalen", "0-5", 62),
    ("Elvebredden barnehage", "Elvegata 30, 3050 Mjøndalen", "0-2", 36),
    ("Krokstad gårdsbarnehage", "Gårdsvegen 2, 3054 Krokstadelva", "3-5", 45),
    ("Marienlyst barnehage", "Marienlystvegen 8, 3054 Krokstadelva", "0-5", 96),
]

# (permit kind, project, amount in NOK), valid from 1 January 2026.
FEES = [
    ("20-4", "extension", 7600), ("20-4", "garage", 5900), ("20-4", "change_of_use", 6800),
    ("20-4", "other", 5200),
    ("20-3", "new_dwelling", 31500), ("20-3", "extension", 14200), ("20-3", "garage", 9800),
    ("20-3", "change_of_use", 12400), ("20-3", "commercial", 48000), ("20-3", "other", 11000),
]


def load() -> int:
    created = 0
    for position, app_type in enumerate(all_types()):
        _config, was_created = ApplicationTypeConfig.objects.get_or_create(
            type_key=app_type.key, defaults={"enabled": True, "position": position})
        created += was_created
    for name, address, ages, capacity in KINDERGARTENS:
        _kg, was_created = Kindergarten.objects.get_or_create(
            name=name, defaults={"address": address, "age_groups": ages, "capacity": capacity})
        created += was_created
    for kind, category, amount in FEES:
        _fee, was_created = BuildingFee.objects.get_or_create(
            permit_kind=kind, category=category, valid_from=datetime.date(2026, 1, 1), defaults={"amount": amount})
        created += was_created
    return created
