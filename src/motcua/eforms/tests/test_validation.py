"""validate_document: the final check, keyed by dotted field name, in the citizen's language."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from motcua.eforms.validation import validate_document

SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["ho_ten", "so_dinh_danh", "nguoi_nhan"],
    "additionalProperties": False,
    "properties": {
        "ho_ten": {"type": "string", "maxLength": 10, "minLength": 2},
        "so_dinh_danh": {"type": "string", "pattern": "^\\d{12}$"},
        "gioi_tinh": {"type": "string", "enum": ["Nam", "Nữ"]},
        "ngay_sinh": {"type": "string", "format": "date"},
        "luc": {"type": "string", "format": "date-time"},
        "email": {"type": "string", "format": "email"},
        "so_ban": {"type": "integer", "minimum": 1, "maximum": 10},
        "ty_le": {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1},
        "buoc": {"type": "number", "multipleOf": 0.1},
        "dong_y": {"type": "boolean", "const": True},
        "nguoi_nhan": {
            "type": "object",
            "required": ["ten"],
            "properties": {"ten": {"type": "string"}, "so_nha": {"type": "integer"}},
        },
        "giay_to": {
            "type": "array",
            "items": {"type": "string", "maxLength": 5},
            "maxItems": 2,
            "uniqueItems": True,
        },
    },
}
BASE = {"ho_ten": "Lê An", "so_dinh_danh": "048190000123", "nguoi_nhan": {"ten": "Bình"}}


def check(**changes: Any) -> dict[str, list[str]]:
    with translation.override("en"):
        return validate_document(SCHEMA, {**BASE, **changes})


def test_a_valid_document_has_no_errors() -> None:
    assert (
        check(
            gioi_tinh="Nữ",
            ngay_sinh="2000-02-29",
            luc="2025-01-02T08:30:00+07:00",
            email="an@danang.gov.vn",
            so_ban=3,
            ty_le=0.5,
            buoc=0.3,
            dong_y=True,
            giay_to=["a", "b"],
        )
        == {}
    )


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (
            {"ho_ten": "Nguyễn Văn An"},
            {"ho_ten": ["Enter at most 10 characters (you entered 13)."]},
        ),
        ({"ho_ten": "A"}, {"ho_ten": ["Enter at least 2 characters (you entered 1)."]}),
        ({"ho_ten": 12}, {"ho_ten": ["Enter text."]}),
        ({"so_dinh_danh": "12345"}, {"so_dinh_danh": ["Enter exactly 12 digits."]}),
        ({"so_dinh_danh": "048190000123\n"}, {"so_dinh_danh": ["Enter exactly 12 digits."]}),
        ({"so_dinh_danh": "٠٤٨١٩٠٠٠٠١٢٣"}, {"so_dinh_danh": ["Enter exactly 12 digits."]}),
        ({"gioi_tinh": "nam"}, {"gioi_tinh": ["Choose one of the listed options."]}),
        (
            {"ngay_sinh": "2001-02-29"},
            {"ngay_sinh": ["Enter a real date, for example 25/12/2024."]},
        ),
        (
            {"ngay_sinh": "01/02/2001"},
            {"ngay_sinh": ["Enter a real date, for example 25/12/2024."]},
        ),
        ({"luc": "2025-01-02 08:30"}, {"luc": ["Enter a real date and time."]}),
        ({"email": "an@"}, {"email": ["Enter an e-mail address such as ten@example.vn."]}),
        ({"so_ban": 0}, {"so_ban": ["Enter a number that is at least 1."]}),
        ({"so_ban": 11}, {"so_ban": ["Enter a number that is at most 10."]}),
        ({"so_ban": 1.5}, {"so_ban": ["Enter a whole number."]}),
        ({"so_ban": "2"}, {"so_ban": ["Enter a whole number."]}),
        ({"ty_le": 0}, {"ty_le": ["Enter a number greater than 0."]}),
        ({"ty_le": 1}, {"ty_le": ["Enter a number less than 1."]}),
        ({"buoc": 0.35}, {"buoc": ["Enter a multiple of 0.1."]}),
        ({"dong_y": False}, {"dong_y": ["Tick this box to continue."]}),
        ({"nguoi_nhan": {}}, {"nguoi_nhan.ten": ["This field is required."]}),
        (
            {"nguoi_nhan": {"ten": "B", "so_nha": "12"}},
            {"nguoi_nhan.so_nha": ["Enter a whole number."]},
        ),
        (
            {"giay_to": ["a", "dài quá"]},
            {"giay_to": ["Item 2: Enter at most 5 characters (you entered 7)."]},
        ),
        ({"giay_to": ["a", "a"]}, {"giay_to": ["Each item may appear only once."]}),
        ({"giay_to": ["a", "b", "c"]}, {"giay_to": ["Enter at most 2 items."]}),
        ({"thua": 1}, {"thua": ["This field is not part of the form."]}),
    ],
)
def test_each_keyword_gives_a_clear_message_on_its_field(
    changes: dict[str, Any], expected: dict[str, list[str]]
) -> None:
    assert check(**changes) == expected


def test_missing_required_fields_are_each_named() -> None:
    with translation.override("en"):
        errors = validate_document(SCHEMA, {})
    assert errors == {
        "ho_ten": ["This field is required."],
        "so_dinh_danh": ["This field is required."],
        "nguoi_nhan": ["This field is required."],
    }


def test_a_document_that_is_not_an_object_is_refused_as_a_whole() -> None:
    with translation.override("en"):
        assert validate_document(SCHEMA, ["x"]) == {
            "": ["This group of answers has the wrong form."]
        }


def test_messages_are_not_jsonschemas_english() -> None:
    errors = check(so_dinh_danh="1", gioi_tinh="x", so_ban=99)
    text = " ".join(message for messages in errors.values() for message in messages)
    assert "does not match" not in text
    assert "is not one of" not in text
    assert "is greater than" not in text


def test_messages_in_vietnamese() -> None:
    with translation.override("vi"):
        errors = validate_document(SCHEMA, {**BASE, "so_ban": 11, "ty_le": 0.5, "buoc": 1.25})
    assert errors == {
        "so_ban": ["Nhập số không lớn hơn 10."],
        "buoc": ["Nhập một bội số của 0,1."],
    }
