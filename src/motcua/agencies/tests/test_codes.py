import pytest
from django.core.exceptions import ValidationError

from motcua.agencies.codes import normalize_agency_code


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("H17", "H17"),
        ("h17.50.05", "H17.50.05"),
        (" H17.01 ", "H17.01"),
        ("000.00.00.H17", "H17"),
        ("000.00.01.H17", "H17.01"),
        ("000.05.50.H17", "H17.50.05"),
        ("G01.001", "G01.001"),
    ],
)
def test_both_forms_normalise_to_the_current_one(raw: str, expected: str) -> None:
    assert normalize_agency_code(raw) == expected


@pytest.mark.parametrize("raw", ["", "17", "H1", "H17..01", "H17.5", "000.05.00.H17", "XYZ"])
def test_invalid_codes_are_refused(raw: str) -> None:
    with pytest.raises(ValidationError):
        normalize_agency_code(raw)
