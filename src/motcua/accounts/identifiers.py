"""Identifiers of people and businesses (DOMAIN.md §7).

CCCD (căn cước công dân, 12 digits), structure per Circular 07/2016/TT-BCA (Decree 137/2015):
3-digit birth-province code, 1 digit for sex and century, 2 digits of birth year, 6 random digits.
Tax codes (mã số thuế): 10 digits, or 13 with a branch suffix, checksummed (``stdnum.vn.mst``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum import exceptions as stdnum_exceptions
from stdnum.vn import mst

# The 63 province codes in force when CCCD numbers were issued (they do not change with the
# 2025 merger of provinces: a number keeps its birth-province code for life).
CCCD_PROVINCE_CODES = frozenset(
    [
        "001",
        "002",
        "004",
        "006",
        "008",
        "010",
        "011",
        "012",
        "014",
        "015",
        "017",
        "019",
        "020",
        "022",
        "024",
        "025",
        "026",
        "027",
        "030",
        "031",
        "033",
        "034",
        "035",
        "036",
        "037",
        "038",
        "040",
        "042",
        "044",
        "045",
        "046",
        "048",
        "049",
        "051",
        "052",
        "054",
        "056",
        "058",
        "060",
        "062",
        "064",
        "066",
        "067",
        "068",
        "070",
        "072",
        "074",
        "075",
        "077",
        "079",
        "080",
        "082",
        "083",
        "084",
        "086",
        "087",
        "089",
        "091",
        "092",
        "093",
        "094",
        "095",
        "096",
    ]
)


@dataclass(frozen=True)
class CccdParts:
    province_code: str
    female: bool
    birth_year: int


def parse_cccd(value: str) -> CccdParts:
    """Check a CCCD's structure and return what it encodes; raise ``ValidationError`` if wrong."""
    number = value.strip().replace(" ", "")
    if len(number) != 12 or not number.isdigit():
        raise ValidationError(
            _("A citizen identification number has exactly 12 digits."), code="cccd_length"
        )
    province = number[:3]
    if province not in CCCD_PROVINCE_CODES:
        raise ValidationError(
            _("%(code)s is not a province code; the first 3 digits must be one."),
            code="cccd_province",
            params={"code": province},
        )
    century_digit = int(number[3])
    year = 1900 + 100 * (century_digit // 2) + int(number[4:6])
    if year > datetime.date.today().year:
        raise ValidationError(
            _("The 4th to 6th digits give a birth year in the future."), code="cccd_year"
        )
    return CccdParts(province_code=province, female=century_digit % 2 == 1, birth_year=year)


def validate_cccd(value: str, *, birth_date: datetime.date | None = None) -> str:
    """The normalised CCCD; with ``birth_date``, its encoded year must match."""
    parts = parse_cccd(value)
    if birth_date is not None and birth_date.year != parts.birth_year:
        raise ValidationError(
            _("The identification number does not match the date of birth."), code="cccd_dob"
        )
    return value.strip().replace(" ", "")


def validate_tax_code(value: str) -> str:
    """The compact tax code (10 or 13 digits) if its checksum is right."""
    try:
        return str(mst.validate(value))
    except stdnum_exceptions.ValidationError as exc:
        raise ValidationError(
            _("%(code)s is not a valid tax code (10 digits, or 13 for a branch).")
            % {"code": value[:20]},
            code="tax_code",
        ) from exc


def cccd_validator(value: str) -> None:
    parse_cccd(value)


def tax_code_validator(value: str) -> None:
    validate_tax_code(value)
