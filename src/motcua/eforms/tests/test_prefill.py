"""Pre-filling from the applicant's profile: only matching properties, only valid values."""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Sequence
from typing import Any

import pytest
from django.utils import translation

from motcua.eforms.forms import EForm
from motcua.eforms.prefill import (
    PROFILE_FIELDS,
    Applicant,
    Prefilled,
    as_document,
    prefill,
    prefill_values,
    sources,
    still_prefilled,
)
from motcua.eforms.schema import UnsupportedSchema, parse

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


# --- declared sources: "x-prefill" ------------------------------------------------------------


@pytest.fixture
def registry_source() -> Iterator[list[tuple[Applicant, list[str]]]]:
    """A source "demo" answering a few paths, recording what it was asked."""
    asked: list[tuple[Applicant, list[str]]] = []
    known = {
        "name": Prefilled("Trần Văn Bình", "the demo source"),
        "born": Prefilled(datetime.date(2020, 2, 29), "the demo source"),
        "sex": Prefilled("female", "the demo source"),
        "too_long": Prefilled("x" * 20, "the demo source"),
        "wrong_type": Prefilled(["not", "text"], "the demo source"),
    }

    def resolve(applicant: Applicant, paths: Sequence[str]) -> dict[str, Prefilled]:
        asked.append((applicant, list(paths)))
        return {path: known[path] for path in paths if path in known}

    sources.register("demo", resolve)
    yield asked
    sources.unregister("demo")


def _declared(**declarations: tuple[dict[str, Any], str]) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {
            name: {**schema, "x-prefill": declaration}
            for name, (schema, declaration) in declarations.items()
        },
    }


def test_a_declared_source_fills_its_fields_with_where_they_came_from(
    registry_source: list[tuple[Applicant, list[str]]],
) -> None:
    form = _declared(
        ho_ten_tre=({"type": "string"}, "demo.name"),
        ngay_sinh_tre=({"type": "string", "format": "date"}, "demo.born"),
        gioi_tinh_tre=({"type": "string", "enum": ["Nam", "Nữ"]}, "demo.sex"),
    )
    applicant = Applicant(person="someone")
    found = prefill_values(form, applicant=applicant)
    assert found == {
        "ho_ten_tre": Prefilled("Trần Văn Bình", "the demo source"),
        "ngay_sinh_tre": Prefilled("2020-02-29", "the demo source"),
        "gioi_tinh_tre": Prefilled("Nữ", "the demo source"),
    }
    # one call for the source, with every path it is asked
    assert registry_source == [(applicant, ["name", "born", "sex"])]


def test_a_declaration_wins_over_the_profile_and_invalid_values_are_left_out(
    registry_source: list[tuple[Applicant, list[str]]],
) -> None:
    form = _declared(
        ho_ten=({"type": "string"}, "demo.name"),
        so_dinh_danh=({"type": "string", "maxLength": 12}, "demo.too_long"),
        ghi_chu=({"type": "string"}, "demo.wrong_type"),
        khong_biet=({"type": "string"}, "demo.unknown"),
    )
    found = prefill_values(
        form,
        applicant=Applicant(person="someone"),
        profile=PROFILE,
        profile_origins={"personal_id": "your account"},
    )
    assert found["ho_ten"] == Prefilled("Trần Văn Bình", "the demo source")
    # the too-long declared value is not used: the profile's valid one stays
    assert found["so_dinh_danh"] == Prefilled("048190000123", "your account")
    assert "ghi_chu" not in found and "khong_biet" not in found
    # without an applicant, only the profile is read and no source is asked
    assert prefill_values(form, profile=PROFILE)["ho_ten"].value == "Nguyễn Thị Lan"
    assert len(registry_source) == 1


def test_a_malformed_or_misplaced_declaration_is_refused_with_its_path() -> None:
    def problems(schema: dict[str, Any]) -> str:
        with pytest.raises(UnsupportedSchema) as raised:
            parse(schema)
        return str(raised.value)

    assert "ho_ten" in problems(_declared(ho_ten=({"type": "string"}, "full_name")))
    assert "eid" in problems(_declared(ho_ten=({"type": "string"}, "nowhere.full_name")))
    computed = _declared(tuoi=({"type": "integer", "x-computed": {"sum": [1]}}, "eid.sex"))
    assert "tuoi" in problems(computed)
    rows = {
        "type": "object",
        "properties": {
            "thanh_vien": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {"ho_ten": {"type": "string", "x-prefill": "eid.full_name"}},
                },
            }
        },
    }
    assert "thanh_vien[].ho_ten" in problems(rows)
    # a good one parses
    parse(_declared(ho_ten=({"type": "string"}, "eid.full_name")))


def test_the_form_says_where_an_unchanged_prefilled_answer_came_from() -> None:
    form_schema = schema("ho_ten", "so_dinh_danh")
    prefilled = {
        "ho_ten": Prefilled("Nguyễn Thị Lan", "your e-ID (VNeID)"),
        "so_dinh_danh": Prefilled("048190000123", "your e-ID (VNeID)"),
    }
    answers = {"ho_ten": "Nguyễn Thị Lan", "so_dinh_danh": "048190000999"}  # one was changed
    notes = still_prefilled(prefilled, answers)
    assert notes == {"ho_ten": "your e-ID (VNeID)"}
    with translation.override("en"):
        form = EForm(form_schema, initial=answers, prefilled=notes)
        html = str(form)
    assert "Filled in from your e-ID (VNeID)" in str(form.fields["ho_ten"].help_text)
    assert "Filled in from" not in str(form.fields["so_dinh_danh"].help_text)
    assert html.count("Filled in from") == 1


def test_dotted_values_become_a_nested_document() -> None:
    assert as_document({"ho_ten": "An", "nguoi_khai.ho_ten": "Bình", "nguoi_khai.tuoi": 3}) == {
        "ho_ten": "An",
        "nguoi_khai": {"ho_ten": "Bình", "tuoi": 3},
    }
