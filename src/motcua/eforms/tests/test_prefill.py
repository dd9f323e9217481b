"""Pre-filling from the applicant's profile: only matching properties, only valid values."""

from __future__ import annotations

import datetime
from typing import Any

from motcua.eforms.forms import EForm
from motcua.eforms.prefill import PROFILE_FIELDS, prefill

from .strategies import demo_eforms

PROFILE: dict[str, object] = {
    "full_name": "Nguyễn Thị Lan",
    "date_of_birth": datetime.date(1990, 5, 17),
    "personal_id": "048190000123",
    "phone": "0905123456",
    "email": "lan@example.vn",
    "address": "12 Lê Duẩn, phường Hải Châu, Đà Nẵng",
    "sex": "female",
}


def schema(*names: str, **overrides: dict[str, Any]) -> dict[str, Any]:
    properties = {name: {"type": "string", "title": name} for name in names}
    properties.update(overrides)
    return {"type": "object", "properties": properties}


def test_fills_the_applicants_own_fields() -> None:
    form = schema(
        "ho_ten",
        "so_dinh_danh",
        "noi_cu_tru",
        "dien_thoai",
        "email",
        ngay_sinh={"type": "string", "format": "date"},
        gioi_tinh={"type": "string", "enum": ["Nam", "Nữ"]},
    )
    assert prefill(form, PROFILE) == {
        "ho_ten": "Nguyễn Thị Lan",
        "so_dinh_danh": "048190000123",
        "noi_cu_tru": "12 Lê Duẩn, phường Hải Châu, Đà Nẵng",
        "dien_thoai": "0905123456",
        "email": "lan@example.vn",
        "ngay_sinh": "1990-05-17",
        "gioi_tinh": "Nữ",
    }


def test_name_variants() -> None:
    for name in ("ho_ten", "ho_va_ten", "ho_ten_nguoi_khai", "ho_ten_nguoi_yeu_cau"):
        assert prefill(schema(name), PROFILE) == {name: "Nguyễn Thị Lan"}
    for name in ("so_dinh_danh", "so_cccd", "so_dinh_danh_ca_nhan", "cccd"):
        assert prefill(schema("ho_ten", name), PROFILE)[name] == "048190000123"


def test_someone_elses_details_are_not_filled() -> None:
    # The birth registration form: ngay_sinh and gioi_tinh are the child's.
    birth = schema(
        "ho_ten_tre",
        "ho_ten_me",
        ngay_sinh={"type": "string", "format": "date"},
        gioi_tinh={"type": "string", "enum": ["Nam", "Nữ"]},
    )
    assert prefill(birth, PROFILE) == {}
    # …but how to reach the applicant is always the applicant's.
    assert prefill(schema("ho_ten_tre", "dien_thoai"), PROFILE) == {"dien_thoai": "0905123456"}


def test_only_values_valid_for_the_property() -> None:
    form = schema(
        "ho_ten",
        so_dinh_danh={"type": "string", "pattern": "^\\d{12}$"},
        dien_thoai={"type": "string", "pattern": "^0\\d{9}$"},
        gioi_tinh={"type": "string", "enum": ["Nam", "Nữ", "Khác"]},
        email={"type": "string", "format": "email", "maxLength": 5},
        ngay_sinh={"type": "string", "format": "date"},
        dia_chi={"type": "string", "maxLength": 10},
    )
    profile = {
        **PROFILE,
        "personal_id": "12345",
        "phone": "+84905123456",
        "sex": "other",
        "date_of_birth": "17/05/1990",
    }
    assert prefill(form, profile) == {"ho_ten": "Nguyễn Thị Lan"}


def test_sex_is_mapped_only_onto_an_enum_that_has_it() -> None:
    with_enum = schema("ho_ten", gioi_tinh={"type": "string", "enum": ["Nam", "Nữ"]})
    assert prefill(with_enum, {**PROFILE, "sex": "male"})["gioi_tinh"] == "Nam"
    other_enum = schema("ho_ten", gioi_tinh={"type": "string", "enum": ["M", "F"]})
    assert "gioi_tinh" not in prefill(other_enum, PROFILE)


def test_missing_and_empty_profile_values_are_skipped() -> None:
    assert prefill(schema("ho_ten", "dien_thoai"), {"full_name": "", "phone": None}) == {}
    assert prefill(schema("khong_co"), PROFILE) == {}


def test_address_falls_back_between_profile_keys() -> None:
    form = schema("ho_ten", "noi_cu_tru", "dia_chi_thuong_tru")
    profile = {"full_name": "An", "current_address": "Hiện tại", "permanent_address": "Thường trú"}
    assert prefill(form, profile) == {
        "ho_ten": "An",
        "noi_cu_tru": "Hiện tại",
        "dia_chi_thuong_tru": "Thường trú",
    }


def test_nested_applicant_object() -> None:
    form = {
        "type": "object",
        "properties": {
            "nguoi_khai": {
                "type": "object",
                "properties": {
                    "ho_ten": {"type": "string"},
                    "ngay_sinh": {"type": "string", "format": "date"},
                },
            },
            "tre": {
                "type": "object",
                "properties": {
                    "ho_ten": {"type": "string"},
                    "ngay_sinh": {"type": "string", "format": "date"},
                },
            },
        },
    }
    assert prefill(form, PROFILE) == {
        "nguoi_khai.ho_ten": "Nguyễn Thị Lan",
        "nguoi_khai.ngay_sinh": "1990-05-17",
    }


def test_prefilled_values_validate_in_every_demo_form() -> None:
    filled_somewhere: set[str] = set()
    for _, eform in demo_eforms():
        initial = prefill(eform, PROFILE)
        filled_somewhere.update(initial)
        assert set(initial) <= set(eform["properties"])
        form = EForm(eform, initial=initial)
        for name, value in initial.items():
            assert form[name].value() == value
    # the names the catalogue really uses are in the table
    assert {"ho_ten", "so_dinh_danh", "ngay_sinh", "gioi_tinh", "noi_cu_tru", "dien_thoai"} <= (
        filled_somewhere
    )
    assert filled_somewhere <= set(PROFILE_FIELDS)
