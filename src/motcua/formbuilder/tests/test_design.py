"""The builder's operations write plain JSON Schema the e-forms can show and a standard
validator agrees with; the fill check finds forms no citizen could fill."""

from __future__ import annotations

from typing import Any

import pytest
from jsonschema import Draft202012Validator

from motcua.eforms.examples import example_document
from motcua.eforms.fillability import fillability_problems
from motcua.eforms.forms import EForm
from motcua.eforms.schema import form_steps
from motcua.eforms.validation import validate_document
from motcua.formbuilder import design


def _text(title: str) -> dict[str, Any]:
    return {"type": "string", "title": title, "minLength": 1}


def household_form() -> dict[str, Any]:
    """Built as an author would: a name, "filed on behalf" with its condition, members."""
    schema = design.empty_form("Tờ khai")
    schema = design.add_field(
        schema, group="", key="ho_ten", field=_text("Họ và tên"), required=True
    )
    schema = design.add_field(
        schema,
        group="",
        key="nop_thay",
        field={"type": "boolean", "title": "Tôi nộp thay"},
        required=True,
    )
    schema = design.add_field(
        schema, group="", key="nguoi_uy_quyen", field=_text("Người ủy quyền"), required=False
    )
    schema = design.add_condition(
        schema,
        group="",
        field="nop_thay",
        value=True,
        shown=["nguoi_uy_quyen"],
        required=["nguoi_uy_quyen"],
    )
    schema = design.add_step(schema, "Thành viên")
    rows = {
        "type": "array",
        "title": "Thành viên hộ",
        "maxItems": 5,
        "items": {"type": "object", "title": "Thành viên", "properties": {}, "required": []},
    }
    schema = design.add_field(schema, group="", key="thanh_vien", field=rows, required=True, step=1)
    schema = design.add_field(
        schema, group="thanh_vien", key="ho_ten", field=_text("Họ và tên"), required=True
    )
    return schema


def test_a_built_form_is_plain_json_schema_that_the_form_shows_in_its_steps() -> None:
    schema = design.publishable(household_form())
    Draft202012Validator.check_schema(schema)
    assert [step.field_names for step in form_steps(schema)] == [
        ("ho_ten", "nop_thay", "nguoi_uy_quyen"),
        ("thanh_vien",),
    ]
    assert form_steps(schema)[1].title == "Thành viên"
    assert fillability_problems(schema) == []
    # the condition: filed on behalf needs the authoriser, and only then may it be answered
    base = {"ho_ten": "Lê Văn A", "thanh_vien": [{"ho_ten": "Lê Thị B"}]}
    assert validate_document(schema, {**base, "nop_thay": False}) == {}
    assert "nguoi_uy_quyen" in validate_document(schema, {**base, "nop_thay": True})
    assert validate_document(schema, {**base, "nop_thay": True, "nguoi_uy_quyen": "Lê C"}) == {}
    assert validate_document(schema, {**base, "nop_thay": False, "nguoi_uy_quyen": "Lê C"}) != {}
    # the standard validator agrees on an answer the example generator makes
    document = example_document(schema)
    assert not list(Draft202012Validator(schema).iter_errors(document))
    assert EForm(schema, step=1).fields


def test_steps_are_written_out_when_a_hand_written_form_opens() -> None:
    hand = {
        "type": "object",
        "properties": {f"f{n}": {"type": "string", "title": f"F{n}"} for n in range(8)},
    }
    opened = design.with_steps(hand)
    assert [len(step["properties"]) for step in opened["x-steps"]] == [4, 4]
    assert [s.field_names for s in form_steps(opened)] == [s.field_names for s in form_steps(hand)]


def test_moving_a_field_past_the_end_of_its_step_takes_it_to_the_next() -> None:
    schema = household_form()
    moved = design.move_field(schema, "nguoi_uy_quyen", 1)
    assert moved["x-steps"][1]["properties"][0] == "nguoi_uy_quyen"
    assert list(moved["properties"]).index("nguoi_uy_quyen") == 2
    up = design.move_field(schema, "nop_thay", -1)
    assert up["x-steps"][0]["properties"][:2] == ["nop_thay", "ho_ten"]
    assert schema["x-steps"][0]["properties"][0] == "ho_ten"  # the argument is never changed


def test_a_field_other_parts_use_cannot_be_deleted_until_they_change() -> None:
    schema = household_form()
    with pytest.raises(design.DesignError, match="điều kiện 1"):
        design.remove_field(schema, "nop_thay")
    without_condition = design.remove_condition(schema, group="", index=0)
    assert "nop_thay" not in design.remove_field(without_condition, "nop_thay")["properties"]
    assert "allOf" not in without_condition


def test_a_step_with_fields_is_not_deleted_and_the_last_step_stays() -> None:
    schema = household_form()
    with pytest.raises(design.DesignError):
        design.remove_step(schema, 0)
    empty = design.add_step(schema, "Trống")
    assert len(design.remove_step(empty, 2)["x-steps"]) == 2
    assert design.publishable(empty)["x-steps"] == design.publishable(schema)["x-steps"]


def test_keys_come_from_labels_without_accents_and_never_clash() -> None:
    assert design.key_from_label("Họ và tên", set()) == "ho_va_ten"
    assert design.key_from_label("Họ và tên", {"ho_va_ten"}) == "ho_va_ten_2"
    assert design.key_from_label("Đường/phố", set()) == "duong_pho"
    assert design.key_from_label("1. Số nhà", set()) == "truong_1_so_nha"
    with pytest.raises(design.DesignError):
        design.add_field(household_form(), group="", key="Ho Ten", field=_text("x"), required=False)
    with pytest.raises(design.DesignError):
        design.add_field(household_form(), group="", key="ho_ten", field=_text("x"), required=False)


def test_the_fill_check_finds_a_field_hidden_by_every_branch() -> None:
    schema = design.publishable(household_form())
    schema["allOf"].append(
        {
            "if": {"properties": {"nop_thay": {"const": True}}, "required": ["nop_thay"]},
            "then": {"properties": {"nguoi_uy_quyen": False}},
        }
    )
    problems = fillability_problems(schema)
    assert any("Người ủy quyền" in p and "dù trả lời thế nào" in p for p in problems), problems


def test_the_fill_check_finds_a_field_required_and_hidden_at_once() -> None:
    schema = design.publishable(household_form())
    schema["allOf"].append(
        {
            "if": {"properties": {"nop_thay": {"const": False}}, "required": ["nop_thay"]},
            "then": {"required": ["nguoi_uy_quyen"]},
        }
    )
    problems = fillability_problems(schema)
    assert any(
        "Người ủy quyền" in p and "vừa bắt buộc vừa bị ẩn khi «Tôi nộp thay» = «Không»" in p
        for p in problems
    ), problems


def test_the_fill_check_finds_limits_no_answer_meets() -> None:
    schema = design.publishable(household_form())
    schema["properties"]["ho_ten"] |= {"minLength": 10, "maxLength": 3}
    assert fillability_problems(schema)


def test_a_computed_fee_and_a_date_check_are_kept_as_declared_extensions() -> None:
    schema = design.empty_form()
    schema = design.add_field(
        schema,
        group="",
        key="so_ban",
        field={"type": "integer", "title": "Số bản", "minimum": 1},
        required=True,
    )
    schema = design.add_field(
        schema,
        group="",
        key="le_phi",
        field={"type": "integer", "title": "Lệ phí", "x-computed": {"multiply": ["so_ban", 8000]}},
        required=False,
    )
    schema = design.add_field(
        schema,
        group="",
        key="ngay",
        field={"type": "string", "format": "date", "title": "Ngày"},
        required=True,
    )
    schema = design.add_rule(
        schema, group="", left="ngay", op="<=", right="$today", message={"vi": "", "en": ""}
    )
    published = design.publishable(schema)
    assert fillability_problems(published) == []
    assert example_document(published)["le_phi"] == example_document(published)["so_ban"] * 8000
    assert "ngay" in validate_document(published, {"so_ban": 1, "ngay": "2999-01-01"})
    assert design.references_to(schema, "so_ban")


def test_editing_a_group_or_a_repeating_group_keeps_its_fields_and_conditions() -> None:
    schema = household_form()
    renamed = design.update_field(
        schema,
        "thanh_vien",
        {
            "type": "array",
            "title": "Người trong hộ",
            "items": {"type": "object", "title": "Người", "properties": {}, "required": []},
        },
        required=True,
    )
    rows = renamed["properties"]["thanh_vien"]
    assert rows["title"] == "Người trong hộ" and rows["items"]["title"] == "Người"
    assert rows["items"]["required"] == ["ho_ten"] and "ho_ten" in rows["items"]["properties"]
    group = design.add_field(
        schema,
        group="",
        key="nguoi_khai",
        field={"type": "object", "title": "Người khai", "properties": {}, "required": []},
        required=True,
    )
    group = design.add_field(
        group, group="nguoi_khai", key="ten", field=_text("Tên"), required=True
    )
    edited = design.update_field(
        group,
        "nguoi_khai",
        {"type": "object", "title": "Người đi khai", "properties": {}, "required": []},
        required=True,
    )
    assert edited["properties"]["nguoi_khai"]["required"] == ["ten"]
    assert edited["properties"]["nguoi_khai"]["title"] == "Người đi khai"


def test_a_condition_on_a_field_being_answered_requires_and_shows_others() -> None:
    schema = design.add_field(
        household_form(), group="", key="dien_thoai", field=_text("Điện thoại"), required=False
    )
    schema = design.add_field(
        schema, group="", key="gio_goi", field=_text("Giờ gọi được"), required=False
    )
    schema = design.add_condition(
        schema,
        group="",
        field="dien_thoai",
        value=None,
        shown=["gio_goi"],
        required=["gio_goi"],
        answered=True,
    )
    published = design.publishable(schema)
    assert fillability_problems(published) == []
    base = example_document(published)
    base.pop("dien_thoai", None)
    base.pop("gio_goi", None)
    assert validate_document(published, base) == {}
    assert "gio_goi" in validate_document(published, {**base, "dien_thoai": "0905123456"})
    assert validate_document(published, {**base, "gio_goi": "8 giờ"}) != {}
    view = design.conditions(schema)[-1]
    assert view.answered and view.field == "dien_thoai" and view.shown == ("gio_goi",)
    with pytest.raises(design.DesignError):
        design.add_condition(
            schema,
            group="",
            field="nop_thay",
            value=None,
            shown=[],
            required=["ho_ten"],
            answered=True,
        )


def test_editing_a_field_keeps_the_keywords_written_by_hand_it_does_not_edit() -> None:
    schema = design.add_field(
        design.empty_form("Tờ khai"),
        group="",
        key="nguoi_dai_dien",
        field=_text("Người đại diện"),
        required=True,
    )
    schema["properties"]["nguoi_dai_dien"]["x-prefill"] = "eid.full_name"
    schema["properties"]["nguoi_dai_dien"]["x-note"] = "kept too"
    edited = design.update_field(
        schema, "nguoi_dai_dien", _text("Họ tên người đại diện"), required=True
    )
    field = edited["properties"]["nguoi_dai_dien"]
    assert field["title"] == "Họ tên người đại diện"
    assert field["x-prefill"] == "eid.full_name" and field["x-note"] == "kept too"
    assert fillability_problems(design.publishable(edited)) == []
    # a keyword the builder writes is the builder's: an edit without it takes it away
    listed = design.update_field(
        schema, "nguoi_dai_dien", {**_text("Đại diện"), "x-widget": "textarea"}, required=True
    )
    assert design.update_field(listed, "nguoi_dai_dien", _text("Đại diện"), required=True)[
        "properties"
    ]["nguoi_dai_dien"].keys() == {"type", "title", "minLength", "x-prefill", "x-note"}
    # a field nobody answers cannot be pre-filled: x-prefill goes with the change of kind
    grouped = design.update_field(
        schema,
        "nguoi_dai_dien",
        {"type": "object", "title": "Đại diện", "properties": {}, "required": []},
        required=True,
    )
    assert "x-prefill" not in grouped["properties"]["nguoi_dai_dien"]
