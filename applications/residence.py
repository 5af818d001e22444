"""Who lives in the municipality: the one rule every service that requires residence asks
(kindergarten, SFO …): the municipality number (kommunenummer) the population register gives
for the person's address, compared with the municipality applied to. Folkeregisteret records
each address's municipality number (its "bostedsadresse" carries "kommunenummer"); a postcode
can span two municipalities, so the number, not the postcode, decides."""

from __future__ import annotations


def lives_in_municipality(*, address, municipality) -> bool:
    """Does the register's address lie in `municipality` (a Municipality, or its number)?"""
    number = getattr(municipality, "number", municipality)
    return bool(number) and getattr(address, "municipality_number", "") == number
