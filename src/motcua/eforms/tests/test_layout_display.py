"""Officers and applicants read what was filed in the form's own layout: groups, repeated
rows, the chosen alternative, reference labels and computed values."""

from __future__ import annotations

from typing import Any

from django.utils import translation

from motcua.eforms.display import answer_sections, readable
from motcua.eforms.references import options
from motcua.eforms.summary import summary

from .test_conditions import BIRTH
from .test_rows import HOUSEHOLD

WARD = next(option.value for option in options("wards") if option.label == "Phường Hải Châu")

RESIDENCE: dict[str, Any] = {
    **HOUSEHOLD,
    "properties": {
        **HOUSEHOLD["properties"],
        "phuong": {"type": "string", "title": "Phường nơi cư trú", "x-reference": "wards"},
    },
}

FILED = {
    "chu_ho": "Trần Văn Bình",
    "phuong": WARD,
    "thanh_vien": [
        {"ho_ten": "Nguyễn Thị Lan", "quan_he": "Vợ"},
        {"ho_ten": "Trần Minh Khôi", "ngay_sinh": "2015-05-12", "quan_he": "Con"},
    ],
}


def test_officers_read_each_row_under_its_own_heading() -> None:
    with translation.override("vi"):
        sections = answer_sections(RESIDENCE, FILED)
    shown = [(s.title, s.level, [(a.label, a.text, a.name) for a in s.answers]) for s in sections]
    assert shown == [
        ("", 0, [("Họ tên chủ hộ", "Trần Văn Bình", "chu_ho")]),
        ("Những người cùng thay đổi", 1, []),
        (
            "Thành viên 1",
            2,
            [
                ("Họ và tên", "Nguyễn Thị Lan", "thanh_vien.0.ho_ten"),
                ("Ngày sinh", "—", "thanh_vien.0.ngay_sinh"),
                ("Quan hệ với chủ hộ", "Vợ", "thanh_vien.0.quan_he"),
            ],
        ),
        (
            "Thành viên 2",
            2,
            [
                ("Họ và tên", "Trần Minh Khôi", "thanh_vien.1.ho_ten"),
                ("Ngày sinh", "12/05/2015", "thanh_vien.1.ngay_sinh"),
                ("Quan hệ với chủ hộ", "Con", "thanh_vien.1.quan_he"),
            ],
        ),
        ("", 0, [("Phường nơi cư trú", "Phường Hải Châu", "phuong")]),
    ]


def test_the_review_step_names_the_row_of_each_answer() -> None:
    with translation.override("vi"):
        answers = list(summary(RESIDENCE, FILED))
    assert answers == [
        ("Họ tên chủ hộ", "Trần Văn Bình"),
        ("Thành viên 1 – Họ và tên", "Nguyễn Thị Lan"),
        ("Thành viên 1 – Quan hệ với chủ hộ", "Vợ"),
        ("Thành viên 2 – Họ và tên", "Trần Minh Khôi"),
        ("Thành viên 2 – Ngày sinh", "12/05/2015"),
        ("Thành viên 2 – Quan hệ với chủ hộ", "Con"),
        ("Phường nơi cư trú", "Phường Hải Châu"),
    ]


def test_only_the_chosen_alternative_and_the_applicable_fields_are_shown() -> None:
    filed = {
        "ho_ten_tre": "Lê Minh An",
        "ngay_sinh": "2025-03-01",
        "nop_thay": False,
        "giay_chung_sinh": {"loai": "lam_chung", "ho_ten_nguoi_lam_chung": "Trần Thị Hoa"},
    }
    with translation.override("vi"):
        sections = answer_sections(BIRTH, filed)
        labels = [a.label for s in sections for a in s.answers]
        texts = {a.label: a.text for s in sections for a in s.answers}
        review = dict(summary(BIRTH, filed))
    assert "Họ tên người ủy quyền" not in labels  # hidden: not filed on someone's behalf
    assert "Số giấy chứng sinh" not in labels  # the other alternative
    assert texts["Loại giấy tờ"] == "Văn bản của người làm chứng"
    assert texts["Họ tên người làm chứng"] == "Trần Thị Hoa"
    assert review["Loại giấy tờ"] == "Văn bản của người làm chứng"


def test_result_templates_get_rows_with_readable_values() -> None:
    shown = readable(RESIDENCE, FILED)
    assert shown["phuong"] == "Phường Hải Châu"
    assert shown["thanh_vien"][1] == {
        "ho_ten": "Trần Minh Khôi",
        "ngay_sinh": "12/05/2015",
        "quan_he": "Con",
    }
    assert readable(RESIDENCE, {"khac": 1}) == {"khac": 1}  # what the schema lacks is kept
