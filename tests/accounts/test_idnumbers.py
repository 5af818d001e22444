import datetime

import pytest
from django.core.exceptions import ValidationError

from accounts.idnumbers import (
    NationalIdKind,
    is_valid_national_id,
    is_valid_organisation_number,
    make_national_id,
    mask_national_id,
    parse_national_id,
)


def test_valid_fodselsnummer_gives_birth_date():
    parsed = parse_national_id("15108695088", allow_synthetic=False)
    assert parsed.kind is NationalIdKind.FODSELSNUMMER
    assert parsed.birth_date == datetime.date(1986, 10, 15)
    assert not parsed.synthetic


@pytest.mark.parametrize("number", ["15108695077", "15108695089", "15108695098"])
def test_wrong_control_digits_are_refused(number):
    with pytest.raises(ValidationError) as err:
        parse_national_id(number, allow_synthetic=False)
    assert err.value.code == "checksum"


@pytest.mark.parametrize("number", ["", "1510869508", "151086950881", "15108a95088", None])
def test_wrong_length_or_characters_are_refused(number):
    assert not is_valid_national_id(number, allow_synthetic=True)


def test_spaces_are_ignored():
    assert parse_national_id("151086 95088", allow_synthetic=False).value == "15108695088"


def test_d_number_is_recognised():
    number = make_national_id(datetime.date(1985, 3, 14), 300, d_number=True)
    parsed = parse_national_id(number, allow_synthetic=False)
    assert number[0] in "4567"
    assert parsed.kind is NationalIdKind.D_NUMBER
    assert parsed.birth_date == datetime.date(1985, 3, 14)


@pytest.mark.parametrize("synthetic", ["tenor", "nav"])
def test_synthetic_numbers_only_when_allowed(synthetic):
    number = make_national_id(datetime.date(2001, 5, 17), 100, synthetic=synthetic)
    assert parse_national_id(number, allow_synthetic=True).synthetic
    with pytest.raises(ValidationError) as err:
        parse_national_id(number, allow_synthetic=False)
    assert err.value.code == "synthetic"


def test_synthetic_follows_the_setting(settings):
    number = make_national_id(datetime.date(2001, 5, 17), 100, synthetic="tenor")
    settings.ALLOW_SYNTHETIC_NATIONAL_IDS = False
    assert not is_valid_national_id(number)
    settings.ALLOW_SYNTHETIC_NATIONAL_IDS = True
    assert is_valid_national_id(number)


def test_2032_rule_accepts_new_first_control_digit():
    # Take a valid old-rule number and give it a K1 whose weighted sum is 1..3 mod 11 (the
    # new rule), then recompute K2: the number must still validate.
    from accounts.idnumbers import K1_WEIGHTS, K2_WEIGHTS, _mod11_control

    base = "010150" + "123"
    s = sum(int(d) * w for d, w in zip(base, K1_WEIGHTS))
    found = 0
    for k1 in range(10):
        if (s + k1) % 11 in (1, 2, 3):
            k2 = _mod11_control(base + str(k1), K2_WEIGHTS)
            if k2 is None:
                continue
            assert is_valid_national_id(base + str(k1) + str(k2), allow_synthetic=False)
            found += 1
    assert found >= 1
    # ...while a K1 with remainder 4..10 stays invalid.
    for k1 in range(10):
        if (s + k1) % 11 >= 4:
            k2 = _mod11_control(base + str(k1), K2_WEIGHTS)
            if k2 is not None:
                assert not is_valid_national_id(base + str(k1) + str(k2), allow_synthetic=False)


def test_impossible_date_is_refused():
    # 31 February: control digits made valid, but the date is not.
    with pytest.raises(ValidationError):
        parse_national_id(make_national_id(datetime.date(1990, 2, 28), 100).replace("28", "32", 1), allow_synthetic=False)


def test_mask_keeps_birth_date_only():
    assert mask_national_id("15108695088") == "151086*****"
    assert mask_national_id(None) == ""


@pytest.mark.parametrize("number,valid", [
    ("988077917", True), ("988077918", False), ("974760673", True),
    ("98807791", False), ("9880779170", False), ("abcdefghi", False), ("", False),
])
def test_organisation_number(number, valid):
    assert is_valid_organisation_number(number) is valid


def test_organisation_number_with_control_10_is_invalid():
    from accounts.idnumbers import ORG_WEIGHTS, _mod11_control

    base = next(str(n) for n in range(10000000, 10001000) if _mod11_control(str(n), ORG_WEIGHTS) is None)
    for k in range(10):
        assert not is_valid_organisation_number(base + str(k))
