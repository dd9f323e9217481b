"""CCCD structure (DOMAIN.md §7) and tax codes (stdnum.vn.mst): real valid and invalid values."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from motcua.accounts.identifiers import parse_cccd, validate_cccd, validate_tax_code


@pytest.mark.parametrize(
    "number, province, female, year",
    [
        ("048095001234", "048", False, 1995),  # Đà Nẵng, man born 1995
        ("049185000001", "049", True, 1985),  # Quảng Nam, woman born 1985
        ("001203123456", "001", False, 2003),  # Hà Nội, man born 2003
        ("079310999999", "079", True, 2010),  # TP HCM, woman born 2010
    ],
)
def test_valid_cccd_structure(number: str, province: str, female: bool, year: int) -> None:
    parts = parse_cccd(number)
    assert (parts.province_code, parts.female, parts.birth_year) == (province, female, year)


@pytest.mark.parametrize(
    "number",
    [
        "04809500123",  # 11 digits
        "0480950012345",  # 13 digits
        "04809500123a",  # a letter
        "003095001234",  # 003 is not a province code
        "999095001234",  # nor is 999
        "048495001234",  # century digit 4: born in 2195
    ],
)
def test_invalid_cccd_is_refused(number: str) -> None:
    with pytest.raises(ValidationError):
        parse_cccd(number)


def test_cccd_must_match_date_of_birth() -> None:
    assert validate_cccd("048095001234", birth_date=datetime.date(1995, 3, 2)) == "048095001234"
    with pytest.raises(ValidationError):
        validate_cccd("048095001234", birth_date=datetime.date(1996, 3, 2))


@pytest.mark.parametrize("code", ["0100109106", "0100109106-012", "0312345673", "0401234566"])
def test_valid_tax_codes(code: str) -> None:
    assert validate_tax_code(code).isdigit()


@pytest.mark.parametrize("code", ["0100109107", "010010910", "ABCDEFGHIJ", "0100109106-01"])
def test_invalid_tax_codes(code: str) -> None:
    with pytest.raises(ValidationError):
        validate_tax_code(code)
