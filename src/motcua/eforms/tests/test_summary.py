"""A filled e-form as a person reads it: labels, shown values, the form's order."""

from __future__ import annotations

from django.utils import translation

from motcua.eforms.summary import summary

SCHEMA = {
    "type": "object",
    "properties": {
        "ngay_sinh": {"type": "string", "format": "date", "title": "Ngày sinh"},
        "ho_ten": {"type": "string", "title": "Họ và tên"},
        "dong_y": {"type": "boolean", "title": "Đồng ý"},
        "noi_o": {
            "type": "object",
            "title": "Nơi ở",
            "properties": {"duong": {"type": "string", "title": "Đường"}},
        },
        "ngon_ngu": {"type": "array", "title": "Ngôn ngữ", "items": {"enum": ["vi", "en"]}},
        "ghi_chu": {"type": "string", "title": "Ghi chú"},
    },
    "x-steps": [
        {"title": "Một", "properties": ["ho_ten", "ngay_sinh", "dong_y"]},
        {"title": "Hai", "properties": ["noi_o", "ngon_ngu", "ghi_chu"]},
    ],
}


def test_each_answer_with_its_label_in_the_steps_order_empty_ones_left_out() -> None:
    document = {
        "ngay_sinh": "1990-01-02",
        "ho_ten": "Nguyễn Văn An",
        "dong_y": True,
        "noi_o": {"duong": "12 Lê Lợi"},
        "ngon_ngu": ["vi", "en"],
        "ghi_chu": "",
    }
    with translation.override("vi"):
        shown = list(summary(SCHEMA, document))
    assert shown == [
        ("Họ và tên", "Nguyễn Văn An"),
        ("Ngày sinh", "02/01/1990"),
        ("Đồng ý", "Có"),
        ("Đường", "12 Lê Lợi"),
        ("Ngôn ngữ", "vi; en"),
    ]


def test_no_schema_no_lines() -> None:
    assert list(summary({}, {"x": 1})) == []
