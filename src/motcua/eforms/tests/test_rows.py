"""Repeating groups (arrays of objects): rows added and removed by round trips, limits kept."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import QueryDict
from django.utils import translation

from motcua.eforms.forms import EForm
from motcua.eforms.schema import UnsupportedSchema, unsupported_problems
from motcua.eforms.validation import validate_document

HOUSEHOLD: dict[str, Any] = {
    "type": "object",
    "title": "Tờ khai thay đổi thông tin cư trú",
    "required": ["chu_ho", "thanh_vien"],
    "properties": {
        "chu_ho": {"type": "string", "title": "Họ tên chủ hộ"},
        "thanh_vien": {
            "type": "array",
            "title": "Những người cùng thay đổi",
            "minItems": 1,
            "maxItems": 3,
            "items": {
                "type": "object",
                "title": "Thành viên",
                "required": ["ho_ten", "quan_he"],
                "properties": {
                    "ho_ten": {"type": "string", "title": "Họ và tên", "maxLength": 50},
                    "ngay_sinh": {"type": "string", "title": "Ngày sinh", "format": "date"},
                    "quan_he": {
                        "type": "string",
                        "title": "Quan hệ với chủ hộ",
                        "enum": ["Vợ", "Chồng", "Con", "Khác"],
                    },
                },
            },
        },
    },
}


def posted(**values: str) -> QueryDict:
    data = QueryDict(mutable=True)
    for key, value in values.items():
        data[key.replace("__", ".")] = value
    return data


def two_members(**extra: str) -> QueryDict:
    values = {
        "chu_ho": "Trần Văn Bình",
        "thanh_vien": "2",
        "thanh_vien__0__ho_ten": "Nguyễn Thị Lan",
        "thanh_vien__0__quan_he": "Vợ",
        "thanh_vien__1__ho_ten": "Trần Minh Khôi",
        "thanh_vien__1__ngay_sinh": "12/05/2015",
        "thanh_vien__1__quan_he": "Con",
    }
    return posted(**{**values, **extra})


def test_a_repeating_group_starts_with_its_minimum_of_rows() -> None:
    form = EForm(HOUSEHOLD)
    assert list(form.fields) == [
        "chu_ho",
        "thanh_vien",
        "thanh_vien.0.ho_ten",
        "thanh_vien.0.ngay_sinh",
        "thanh_vien.0.quan_he",
    ]
    assert form.fields["thanh_vien.0.ho_ten"].required


def test_filled_rows_become_a_list_of_objects_valid_for_the_schema() -> None:
    form = EForm(HOUSEHOLD, data=two_members())
    assert form.is_valid(), form.errors
    document = form.to_json()
    assert document == {
        "chu_ho": "Trần Văn Bình",
        "thanh_vien": [
            {"ho_ten": "Nguyễn Thị Lan", "quan_he": "Vợ"},
            {"ho_ten": "Trần Minh Khôi", "ngay_sinh": "2015-05-12", "quan_he": "Con"},
        ],
    }
    assert validate_document(HOUSEHOLD, document) == {}


def test_a_missing_answer_in_a_row_is_reported_on_that_rows_field() -> None:
    data = two_members()
    data["thanh_vien.1.quan_he"] = ""
    with translation.override("vi"):
        form = EForm(HOUSEHOLD, data=data)
        assert not form.is_valid()
        assert list(form.errors) == ["thanh_vien.1.quan_he"]
        html = form.render()
    assert "Thành viên 2 – Quan hệ với chủ hộ" in html  # the error summary names the row
    assert "Trần Minh Khôi" in html  # nothing typed is lost


def test_add_keeps_every_typed_value_and_is_never_saved() -> None:
    form = EForm(HOUSEHOLD, data=two_members(action="add:thanh_vien"))
    assert form.rows_changed == "thanh_vien"
    assert not form.is_valid()
    assert not form.errors  # a new empty row is not an error yet
    assert "thanh_vien.2.ho_ten" in form.fields
    with translation.override("vi"):
        html = form.render()
    assert 'value="Nguyễn Thị Lan"' in html and 'value="12/05/2015"' in html
    assert 'name="thanh_vien" value="3"' in html
    assert "Thêm thành viên" in html and 'Xoá<span class="visually-hidden"> Thành viên 3' in html
    # three rows is the maximum: no add button is offered any more
    assert 'value="add:thanh_vien"' in html
    assert html.count("eform-row-add") == 1 and 'class="eform-row-add" hidden' in html


def test_remove_renumbers_the_rows_after_it() -> None:
    form = EForm(HOUSEHOLD, data=two_members(action="remove:thanh_vien:0"))
    assert form.rows_changed == "thanh_vien"
    assert form.data["thanh_vien"] == "1"
    assert form.data["thanh_vien.0.ho_ten"] == "Trần Minh Khôi"
    assert form.data["thanh_vien.0.ngay_sinh"] == "12/05/2015"
    assert "thanh_vien.1.ho_ten" not in form.data
    assert "thanh_vien.1.ho_ten" not in form.fields


def test_the_last_row_above_the_minimum_cannot_be_removed_and_fewer_is_refused() -> None:
    with translation.override("vi"):
        html = EForm(HOUSEHOLD).render()
    assert 'class="eform-row-remove" hidden' in html
    data = posted(chu_ho="Trần Văn Bình", thanh_vien="0")
    with translation.override("en"):
        form = EForm(HOUSEHOLD, data=data)
        assert not form.is_valid()
        assert form.errors["thanh_vien"] == ["Enter at least 1 item."]


def test_over_max_items_is_refused_never_stored() -> None:
    data = two_members(thanh_vien="4")
    for index in (2, 3):
        data[f"thanh_vien.{index}.ho_ten"] = f"Người {index}"
        data[f"thanh_vien.{index}.quan_he"] = "Khác"
    with translation.override("en"):
        form = EForm(HOUSEHOLD, data=data)
        assert not form.is_valid()
        assert form.errors["thanh_vien"] == ["Enter at most 3 items."]
    # an add past the maximum adds nothing
    data = two_members(action="add:thanh_vien", thanh_vien="3")
    assert EForm(HOUSEHOLD, data=data).data["thanh_vien"] == "3"


def test_a_huge_row_count_does_not_build_huge_forms() -> None:
    form = EForm(HOUSEHOLD, data=two_members(thanh_vien="1000000000"))
    assert len(form.fields) < 20
    assert not form.is_valid()


def test_rows_come_back_from_a_saved_draft() -> None:
    document = {
        "chu_ho": "B",
        "thanh_vien": [{"ho_ten": "A", "quan_he": "Con"}, {"ho_ten": "C", "quan_he": "Vợ"}],
    }
    form = EForm(HOUSEHOLD, initial=document)
    assert form["thanh_vien"].value() == 2
    assert form["thanh_vien.1.ho_ten"].value() == "C"


def test_the_document_check_names_the_rows_field() -> None:
    errors = validate_document(HOUSEHOLD, {"chu_ho": "B", "thanh_vien": [{"ho_ten": "A"}]})
    assert list(errors) == ["thanh_vien.0.quan_he"]
    too_many = {"chu_ho": "B", "thanh_vien": [{"ho_ten": "A", "quan_he": "Con"}] * 4}
    assert list(validate_document(HOUSEHOLD, too_many)) == ["thanh_vien"]


def test_the_empty_row_for_javascript_is_inside_a_template() -> None:
    with translation.override("vi"):
        html = EForm(HOUSEHOLD).render()
    template = html.split("<template data-eform-row-template>")[1].split("</template>")[0]
    assert 'name="thanh_vien.__row__.ho_ten"' in template
    assert "eforms/eforms.js" in html and "<script>" not in html


@pytest.mark.parametrize(
    "items, where",
    [
        (
            {
                "type": "object",
                "properties": {
                    "x": {
                        "type": "array",
                        "items": {"type": "object", "properties": {"y": {"type": "string"}}},
                    }
                },
            },
            "thanh_vien[].x[]",
        ),
        (
            {"type": "object", "properties": {"x": {"type": "string", "format": "uri"}}},
            "thanh_vien[].x",
        ),
        ({"type": "integer"}, "thanh_vien[]"),
    ],
)
def test_rows_the_form_cannot_show_are_refused_with_their_path(
    items: dict[str, Any], where: str
) -> None:
    schema = {"type": "object", "properties": {"thanh_vien": {"type": "array", "items": items}}}
    problems = unsupported_problems(schema)
    assert problems and all(problem.startswith(where + ":") for problem in problems), problems
    with pytest.raises(UnsupportedSchema):
        EForm(schema)
