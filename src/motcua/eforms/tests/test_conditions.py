"""Conditions: if/then/else, dependentRequired and oneOf alternatives, decided on the server."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django import forms
from django.utils import translation
from jsonschema import Draft202012Validator

from motcua.eforms.conditions import prune_hidden
from motcua.eforms.forms import EForm
from motcua.eforms.schema import parse, unsupported_problems
from motcua.eforms.validation import validate_document

#: Birth registration with the "filed on behalf" branch and two ways to prove the birth.
BIRTH: dict[str, Any] = {
    "type": "object",
    "title": "Tờ khai đăng ký khai sinh",
    "required": ["ho_ten_tre", "ngay_sinh", "giay_chung_sinh"],
    "properties": {
        "ho_ten_tre": {"type": "string", "title": "Họ, chữ đệm và tên của trẻ"},
        "ngay_sinh": {"type": "string", "title": "Ngày sinh", "format": "date"},
        "nop_thay": {"type": "boolean", "title": "Tôi nộp thay cha, mẹ của trẻ"},
        "ho_ten_nguoi_uy_quyen": {"type": "string", "title": "Họ tên người ủy quyền"},
        "so_van_ban_uy_quyen": {"type": "string", "title": "Số văn bản ủy quyền"},
        "dien_thoai_khac": {"type": "string", "title": "Số điện thoại khác"},
        "ten_nguoi_nghe": {"type": "string", "title": "Người nghe máy"},
        "giay_chung_sinh": {
            "title": "Giấy tờ chứng minh việc sinh",
            "oneOf": [
                {
                    "type": "object",
                    "title": "Giấy chứng sinh",
                    "required": ["loai", "so_giay_chung_sinh"],
                    "properties": {
                        "loai": {"const": "chung_sinh", "title": "Loại giấy tờ"},
                        "so_giay_chung_sinh": {"type": "string", "title": "Số giấy chứng sinh"},
                    },
                },
                {
                    "type": "object",
                    "title": "Văn bản của người làm chứng",
                    "required": ["loai", "ho_ten_nguoi_lam_chung"],
                    "properties": {
                        "loai": {"const": "lam_chung"},
                        "ho_ten_nguoi_lam_chung": {
                            "type": "string",
                            "title": "Họ tên người làm chứng",
                        },
                    },
                },
            ],
        },
    },
    "allOf": [
        {
            "if": {"properties": {"nop_thay": {"const": True}}, "required": ["nop_thay"]},
            "then": {"required": ["ho_ten_nguoi_uy_quyen", "so_van_ban_uy_quyen"]},
            "else": {"properties": {"ho_ten_nguoi_uy_quyen": False, "so_van_ban_uy_quyen": False}},
        }
    ],
    "dependentRequired": {"dien_thoai_khac": ["ten_nguoi_nghe"]},
}

BASE = {
    "ho_ten_tre": "Lê Minh An",
    "ngay_sinh": "2025-03-01",
    "giay_chung_sinh.loai": "chung_sinh",
    "giay_chung_sinh.so_giay_chung_sinh": "CS-123",
}


def judged(data: dict[str, str]) -> EForm:
    with translation.override("en"):
        form = EForm(BIRTH, data=data)
        form.is_valid()
    return form


def errors(data: dict[str, str]) -> dict[str, list[str]]:
    with translation.override("en"):
        return {name: [str(m) for m in found] for name, found in judged(data).errors.items()}


def test_the_schema_stays_plain_json_schema() -> None:
    Draft202012Validator.check_schema(BIRTH)
    assert unsupported_problems(BIRTH) == []


def test_without_the_condition_the_branch_fields_are_optional_and_left_out() -> None:
    form = judged(BASE)
    assert form.is_valid(), form.errors
    document = form.to_json()
    assert document == {
        "ho_ten_tre": "Lê Minh An",
        "ngay_sinh": "2025-03-01",
        "nop_thay": False,
        "giay_chung_sinh": {"loai": "chung_sinh", "so_giay_chung_sinh": "CS-123"},
    }
    assert Draft202012Validator(BIRTH).is_valid(document)


def test_the_condition_makes_its_fields_required() -> None:
    assert errors({**BASE, "nop_thay": "on"}) == {
        "ho_ten_nguoi_uy_quyen": ["This field is required."],
        "so_van_ban_uy_quyen": ["This field is required."],
    }
    form = judged(
        {
            **BASE,
            "nop_thay": "on",
            "ho_ten_nguoi_uy_quyen": "Lê Văn Cường",
            "so_van_ban_uy_quyen": "12/UQ",
        }
    )
    assert form.is_valid(), form.errors
    assert validate_document(BIRTH, form.to_json()) == {}


def test_a_field_hidden_by_the_condition_but_sent_anyway_is_refused() -> None:
    assert errors({**BASE, "ho_ten_nguoi_uy_quyen": "Lê Văn Cường"}) == {
        "ho_ten_nguoi_uy_quyen": [
            "This answer does not apply given your other answers: leave it empty."
        ]
    }
    # the same document reaching the server another way is refused by the final check
    document = {
        "ho_ten_tre": "Lê Minh An",
        "ngay_sinh": "2025-03-01",
        "ho_ten_nguoi_uy_quyen": "Lê Văn Cường",
        "giay_chung_sinh": {"loai": "chung_sinh", "so_giay_chung_sinh": "CS-123"},
    }
    with translation.override("en"):
        assert validate_document(BIRTH, document) == {
            "ho_ten_nguoi_uy_quyen": [
                "This answer does not apply given your other answers: leave it empty."
            ]
        }
    assert not Draft202012Validator(BIRTH).is_valid(document)


def test_dependent_required() -> None:
    assert errors({**BASE, "dien_thoai_khac": "0905123456"}) == {
        "ten_nguoi_nghe": ["This field is required."]
    }
    assert errors({**BASE, "dien_thoai_khac": "0905123456", "ten_nguoi_nghe": "Bà Hoa"}) == {}
    with translation.override("en"):
        form = EForm(BIRTH)
    assert "Required when «Số điện thoại khác» is filled in." in form["ten_nguoi_nghe"].help_text


def test_one_of_is_a_choice_of_alternatives_by_their_titles() -> None:
    form = EForm(BIRTH)
    chooser = form.fields["giay_chung_sinh.loai"]
    assert isinstance(chooser, forms.ChoiceField)
    assert chooser.required
    assert list(chooser.choices) == [  # type: ignore[arg-type]
        ("chung_sinh", "Giấy chứng sinh"),
        ("lam_chung", "Văn bản của người làm chứng"),
    ]
    # the chosen alternative's fields are required, the other's refused
    data = {**BASE, "giay_chung_sinh.loai": "lam_chung"}
    assert errors(data) == {
        "giay_chung_sinh.ho_ten_nguoi_lam_chung": ["This field is required."],
        "giay_chung_sinh.so_giay_chung_sinh": [
            "This answer does not apply given your other answers: leave it empty."
        ],
    }
    data.pop("giay_chung_sinh.so_giay_chung_sinh")
    data["giay_chung_sinh.ho_ten_nguoi_lam_chung"] = "Trần Thị Hoa"
    form = judged(data)
    assert form.is_valid(), form.errors
    document = form.to_json()
    assert document["giay_chung_sinh"] == {
        "loai": "lam_chung",
        "ho_ten_nguoi_lam_chung": "Trần Thị Hoa",
    }
    assert Draft202012Validator(BIRTH).is_valid(document)


def test_the_document_check_reports_the_chosen_alternative() -> None:
    document = {
        "ho_ten_tre": "Lê Minh An",
        "ngay_sinh": "2025-03-01",
        "giay_chung_sinh": {"loai": "lam_chung"},
    }
    with translation.override("en"):
        assert validate_document(BIRTH, document) == {
            "giay_chung_sinh.ho_ten_nguoi_lam_chung": ["This field is required."]
        }


def test_without_javascript_every_section_is_shown_with_a_note_saying_when_it_applies() -> None:
    with translation.override("vi"):
        html = EForm(BIRTH).render()
    assert 'class="eform-conditional" data-eform-when=' in html
    assert "Chỉ trả lời khi «Tôi nộp thay cha, mẹ của trẻ» là «Có»." in html
    # each alternative is a section titled by its name
    assert "<legend>Văn bản của người làm chứng</legend>" in html
    section = html.split('data-eform-when="')[1].split('"')[0].replace("&quot;", '"')
    assert json.loads(section) == [
        {"test": [{"field": "nop_thay", "values": [True], "required": True}], "expect": True}
    ]


def test_a_rule_testing_another_steps_answer_is_decided_on_the_server() -> None:
    schema = {
        **BIRTH,
        "x-steps": [
            {"title": "Trẻ", "properties": ["ho_ten_tre", "ngay_sinh", "nop_thay"]},
            {"title": "Người nộp", "properties": ["ho_ten_nguoi_uy_quyen", "so_van_ban_uy_quyen"]},
        ],
    }
    no = EForm(schema, step=1, answers={"nop_thay": False})
    assert "ho_ten_nguoi_uy_quyen" not in no.fields
    yes = EForm(schema, step=1, answers={"nop_thay": True}, data={})
    assert not yes.is_valid()
    assert set(yes.errors) == {"ho_ten_nguoi_uy_quyen", "so_van_ban_uy_quyen"}


def test_answers_a_changed_choice_rules_out_are_pruned_from_the_draft() -> None:
    draft = {
        "nop_thay": False,
        "ho_ten_nguoi_uy_quyen": "Lê Văn Cường",
        "giay_chung_sinh": {
            "loai": "chung_sinh",
            "so_giay_chung_sinh": "1",
            "ho_ten_nguoi_lam_chung": "X",
        },
    }
    assert prune_hidden(parse(BIRTH), draft) == {
        "nop_thay": False,
        "giay_chung_sinh": {"loai": "chung_sinh", "so_giay_chung_sinh": "1"},
    }


def test_conditions_inside_rows_use_the_rows_own_answers() -> None:
    schema = {
        "type": "object",
        "properties": {
            "chu_so_huu": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["loai"],
                    "properties": {
                        "loai": {"type": "string", "enum": ["Cá nhân", "Tổ chức"]},
                        "ma_so_thue": {"type": "string"},
                    },
                    "if": {"properties": {"loai": {"const": "Tổ chức"}}},
                    "then": {"required": ["ma_so_thue"]},
                    "else": {"properties": {"ma_so_thue": False}},
                },
            }
        },
    }
    data = {
        "chu_so_huu": "2",
        "chu_so_huu.0.loai": "Cá nhân",
        "chu_so_huu.0.ma_so_thue": "0401234567",
        "chu_so_huu.1.loai": "Tổ chức",
    }
    with translation.override("en"):
        form = EForm(schema, data=data)
        assert not form.is_valid()
        assert set(form.errors) == {"chu_so_huu.0.ma_so_thue", "chu_so_huu.1.ma_so_thue"}
        html = EForm(schema, data={**data, "action": "add:chu_so_huu"}).render()
    assert 'data-eform-prefix="chu_so_huu.1."' in html
    assert 'data-eform-prefix="chu_so_huu.__row__."' in html


@pytest.mark.parametrize(
    "extra, where",
    [
        (
            {
                "if": {"properties": {"ho_ten_tre": {"const": "A"}}},
                "then": {"required": ["ngay_sinh"]},
            },
            "(root).if",
        ),
        (
            {
                "if": {"properties": {"nop_thay": {"const": True}}},
                "then": {"properties": {"ho_ten_tre": False}},
            },
            "(root).then",
        ),
        ({"if": {"properties": {"nop_thay": {"minimum": 1}}}}, "(root).if"),
        ({"then": {"required": ["ngay_sinh"]}}, "(root)"),
        (
            {
                "if": {"properties": {"nop_thay": {"const": True}}},
                "then": {"properties": {"ho_ten_nguoi_uy_quyen": {"type": "string"}}},
            },
            "(root).then",
        ),
        (
            {
                "if": {"properties": {"nop_thay": {"const": True}}},
                "else": {"required": ["khong_co"]},
            },
            "(root).else",
        ),
        ({"dependentRequired": {"nop_thay": ["ten_nguoi_nghe"]}}, "(root).dependentRequired"),
        ({"allOf": [{"type": "object"}]}, "(root).allOf[0]"),
    ],
)
def test_conditions_the_form_cannot_show_are_refused_with_their_path(
    extra: dict[str, Any], where: str
) -> None:
    schema = {**BIRTH, **extra}
    problems = unsupported_problems(schema)
    assert any(problem.startswith(where + ":") for problem in problems), problems


def test_alternatives_the_form_cannot_show_are_refused_with_their_path() -> None:
    schema = {
        "type": "object",
        "properties": {
            "cach": {
                "oneOf": [
                    {"type": "object", "properties": {"a": {"type": "string"}}},
                    {"type": "object", "properties": {"b": {"type": "string"}}},
                ]
            }
        },
    }
    assert [p.split(":")[0] for p in unsupported_problems(schema)] == ["cach"]


def test_a_hidden_repeating_group_left_empty_is_not_an_error() -> None:
    """With JavaScript a hidden section's inputs are not sent: its empty rows are no error."""
    schema = {
        "type": "object",
        "properties": {
            "cung_dang_ky": {"type": "boolean", "title": "Các thành viên cùng đăng ký"},
            "thanh_vien": {
                "type": "array",
                "minItems": 1,
                "items": {
                    "type": "object",
                    "required": ["ho_ten"],
                    "properties": {"ho_ten": {"type": "string"}},
                },
            },
        },
        "if": {"properties": {"cung_dang_ky": {"const": True}}, "required": ["cung_dang_ky"]},
        "then": {"required": ["thanh_vien"]},
        "else": {"properties": {"thanh_vien": False}},
    }
    form = EForm(schema, data={"thanh_vien": "1"})
    assert form.is_valid(), form.errors
    assert form.to_json() == {"cung_dang_ky": False}
    refused = EForm(schema, data={"thanh_vien": "1", "thanh_vien.0.ho_ten": "An"})
    assert not refused.is_valid()
    assert list(refused.errors) == ["thanh_vien.0.ho_ten"]
    required = EForm(schema, data={"cung_dang_ky": "on", "thanh_vien": "1"})
    assert not required.is_valid()
    assert list(required.errors) == ["thanh_vien.0.ho_ten"]
