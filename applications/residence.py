"""Who lives in the municipality: the one rule every service that requires residence asks
(kindergarten, SFO …), by the address the population register gives.

For now by the postcode (MUNICIPALITY_RESIDENT_POSTCODES: comma-separated ranges, default
Drammen's 3000–3069); the population register's own municipality number of the address is the
better fact, and the municipalities work moves this rule onto it."""

from __future__ import annotations

from django.conf import settings

DEFAULT_RESIDENT_POSTCODES = "3000-3069"


def lives_in_municipality(postcode: str) -> bool:
    ranges = getattr(settings, "MUNICIPALITY_RESIDENT_POSTCODES", DEFAULT_RESIDENT_POSTCODES)
    for part in ranges.split(","):
        low, _sep, high = part.strip().partition("-")
        if low and (low <= postcode <= (high or low)) and len(postcode) == len(low):
            return True
    return False
