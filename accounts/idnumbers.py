"""Norwegian identity-number rules: fødselsnummer, D-number, synthetic test numbers and
organisation numbers. The one place these rules live; see ../shared/domain/NORWAY.md.

From 2032 new fødselsnummer may carry a first control digit that the old mod-11 rule does not
produce (the weighted sum over the first ten digits is 0–3 mod 11). Existing numbers keep the
old rule, so we accept both. New numbers encode neither century nor gender: birth dates and
gender come from the population register, never from the number.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from enum import Enum

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

K1_WEIGHTS = (3, 7, 6, 1, 8, 9, 4, 5, 2)
K2_WEIGHTS = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
ORG_WEIGHTS = (3, 2, 7, 6, 5, 4, 3, 2)


class NationalIdKind(Enum):
    FODSELSNUMMER = "fnr"
    D_NUMBER = "dnr"


@dataclass(frozen=True)
class NationalId:
    value: str
    kind: NationalIdKind
    synthetic: bool
    birth_date: datetime.date | None  # None when the number does not encode a real date


def _mod11_control(digits: str, weights: tuple[int, ...]) -> int | None:
    """Classic control digit: 11 - (sum mod 11); 11 becomes 0, 10 makes the number invalid."""
    k = 11 - sum(int(d) * w for d, w in zip(digits, weights, strict=False)) % 11
    if k == 11:
        return 0
    if k == 10:
        return None
    return k


def _control_digits_ok(number: str) -> bool:
    k1 = _mod11_control(number[:9], K1_WEIGHTS)
    k1_old_rule = k1 is not None and k1 == int(number[9])
    # 2032 rule: any K1 for which the weighted sum over the first ten digits is 0..3 mod 11.
    weighted = sum(int(d) * w for d, w in zip(number[:10], (*K1_WEIGHTS, 1), strict=False))
    k1_new_rule = weighted % 11 in (0, 1, 2, 3)
    if not (k1_old_rule or k1_new_rule):
        return False
    k2 = _mod11_control(number[:10], K2_WEIGHTS)
    return k2 is not None and k2 == int(number[10])


def _century(individual: int, yy: int) -> int | None:
    if 0 <= individual <= 499:
        return 1900
    if 500 <= individual <= 749 and yy >= 54:
        return 1800
    if 900 <= individual <= 999 and yy >= 40:
        return 1900
    if 500 <= individual <= 999 and yy < 40:
        return 2000
    return None


def parse_national_id(value: str, *, allow_synthetic: bool | None = None) -> NationalId:
    """Validate a fødselsnummer or D-number and say what kind it is.

    Raises ValidationError with a message fit to show the user. Synthetic test numbers
    (Skatteetaten's Tenor: month + 80; NAV's: month + 40) are accepted only when allowed,
    by default per the ALLOW_SYNTHETIC_NATIONAL_IDS setting.
    """
    if allow_synthetic is None:
        allow_synthetic = getattr(settings, "ALLOW_SYNTHETIC_NATIONAL_IDS", False)
    number = re.sub(r"[\s.-]", "", value or "")
    if not re.fullmatch(r"\d{11}", number):
        raise ValidationError(_("A national identity number has 11 digits."), code="format")
    if not _control_digits_ok(number):
        raise ValidationError(
            _("This national identity number is not valid. Check the digits."), code="checksum"
        )
    day, month, yy = int(number[0:2]), int(number[2:4]), int(number[4:6])
    kind = NationalIdKind.FODSELSNUMMER
    if day > 40:
        kind = NationalIdKind.D_NUMBER
        day -= 40
    synthetic = False
    if month > 80:
        synthetic, month = True, month - 80
    elif month > 40:
        synthetic, month = True, month - 40
    if synthetic and not allow_synthetic:
        raise ValidationError(
            _("Test identity numbers are not accepted here."), code="synthetic"
        )
    birth_date = None
    century = _century(int(number[6:9]), yy)
    if century is not None:
        try:
            birth_date = datetime.date(century + yy, month, day)
        except ValueError:
            birth_date = None
    if birth_date is None and not (1 <= month <= 12 and 1 <= day <= 31):
        raise ValidationError(
            _("This national identity number is not valid. Check the digits."), code="date"
        )
    return NationalId(value=number, kind=kind, synthetic=synthetic, birth_date=birth_date)


def validate_national_id(value: str) -> None:
    """Django field validator."""
    parse_national_id(value)


def is_valid_national_id(value: str, *, allow_synthetic: bool | None = None) -> bool:
    try:
        parse_national_id(value, allow_synthetic=allow_synthetic)
    except ValidationError:
        return False
    return True


def mask_national_id(value: str | None) -> str:
    """`15108695088` -> `151086*****`: the birth date part stays, the personal part is hidden."""
    if not value:
        return ""
    return value[:6] + "*" * (len(value) - 6)


def validate_organisation_number(value: str) -> None:
    number = re.sub(r"\s", "", value or "")
    if not re.fullmatch(r"\d{9}", number):
        raise ValidationError(_("An organisation number has 9 digits."), code="format")
    k = _mod11_control(number[:8], ORG_WEIGHTS)
    if k is None or k != int(number[8]):
        raise ValidationError(
            _("This organisation number is not valid. Check the digits."), code="checksum"
        )


def is_valid_organisation_number(value: str) -> bool:
    try:
        validate_organisation_number(value)
    except ValidationError:
        return False
    return True


def make_national_id(birth_date: datetime.date, individual: int, *, synthetic: str = "",
                     d_number: bool = False) -> str:
    """Build a valid number (old rule) for a birth date: used for demo data and tests.

    `synthetic="tenor"` adds 80 to the month. Tries individual numbers upwards from the one
    given until the control digits are valid.
    """
    for ind in range(individual, individual + 100):
        day = birth_date.day + (40 if d_number else 0)
        month = birth_date.month + (80 if synthetic == "tenor" else 40 if synthetic == "nav" else 0)
        base = f"{day:02d}{month:02d}{birth_date.year % 100:02d}{ind % 1000:03d}"
        k1 = _mod11_control(base, K1_WEIGHTS)
        if k1 is None:
            continue
        k2 = _mod11_control(base + str(k1), K2_WEIGHTS)
        if k2 is None:
            continue
        return f"{base}{k1}{k2}"
    raise ValueError("no valid number found")
