"""An e-form's answers as the officer reads them: labelled, in the form's order, dates day first."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone, translation

from motcua.eforms.display import NOT_ANSWERED, answer_sections, show_date, show_datetime

SCHEMA: dict[str, Any] = {
    "type": "object",
    "title": "Tờ khai",
    # The steps put the child first although the schema lists the declarant's name last.
    "x-steps": [
        {"title": "Trẻ", "properties": ["tre", "ngay_sinh"]},
        {"title": "Người khai", "properties": ["ho_ten", "quan_he", "ban_sao"]},
    ],
    "properties": {
        "ngay_sinh": {"type": "string", "format": "date", "title": "Ngày sinh"},
        "ho_ten": {"type": "string", "title": "Họ và tên người khai"},
        "quan_he": {
            "type": "integer",
            "title": "Quan hệ",
            "enum": [1, 2],
            "x-enumNames": ["Cha", "Mẹ"],
        },
        "ban_sao": {"type": "boolean", "title": "Cấp bản sao"},
        "tre": {
            "type": "object",
            "title": "Thông tin của trẻ",
            "properties": {
                "ten": {"type": "string", "title": "Tên của trẻ"},
                "noi_sinh": {
                    "type": "object",
                    "title": "Nơi sinh",
                    "properties": {"xa": {"type": "string", "title": "Xã, phường"}},
                },
            },
        },
        "giay_to": {
            "type": "array",
            "title": "Giấy tờ kèm theo",
            "items": {"type": "string", "enum": ["Giấy chứng sinh", "CCCD của mẹ"]},
        },
        "hen_luc": {"type": "string", "format": "date-time", "title": "Hẹn lúc"},
    },
}

ANSWERS: dict[str, Any] = {
    "ngay_sinh": "2024-01-02",
    "ho_ten": "Nguyễn Văn An",
    "quan_he": 2,
    "ban_sao": True,
    "tre": {"ten": "Nguyễn Thị Bình", "noi_sinh": {"xa": "Phường Hải Châu"}},
    "giay_to": ["Giấy chứng sinh", "CCCD của mẹ"],
}


def flat(sections: Any) -> list[tuple[str, str, tuple[str, ...]]]:
    return [(a.label, a.text, a.items) for s in sections for a in s.answers]


def test_answers_have_their_labels_in_the_steps_order() -> None:
    with translation.override("vi"):
        sections = answer_sections(SCHEMA, ANSWERS)
    assert [(s.title, s.level) for s in sections] == [
        ("Thông tin của trẻ", 1),
        ("Nơi sinh", 2),
        ("", 0),
    ]
    assert flat(sections) == [
        ("Tên của trẻ", "Nguyễn Thị Bình", ()),
        ("Xã, phường", "Phường Hải Châu", ()),
        ("Ngày sinh", "02/01/2024", ()),
        ("Họ và tên người khai", "Nguyễn Văn An", ()),
        ("Quan hệ", "Mẹ", ()),  # the choice by its label
        ("Cấp bản sao", "Có", ()),
        # Not in any step: after the steps, in the schema's order.
        ("Giấy tờ kèm theo", "", ("Giấy chứng sinh", "CCCD của mẹ")),
        ("Hẹn lúc", NOT_ANSWERED, ()),  # unanswered questions are shown, not hidden
    ]


def test_answers_the_form_does_not_describe_are_kept_at_the_end() -> None:
    with translation.override("vi"):
        sections = answer_sections(SCHEMA, {**ANSWERS, "cu": {"a": 1}, "ds": ["x", 2]})
    last = sections[-1]
    assert last.title == "Thông tin khác đã khai"
    assert [(a.label, a.text, a.items) for a in last.answers] == [
        ("cu", "a: 1", ()),
        ("ds", "", ("x", "2")),
    ]


def test_without_a_usable_schema_every_answer_is_still_shown() -> None:
    broken = {"type": "object", "properties": {"x": {"type": "null"}}}
    sections = answer_sections(broken, {"ho_ten": "An", "ngay": "2024-01-02"})
    assert flat(sections) == [("ho_ten", "An", ()), ("ngay", "2024-01-02", ())]
    assert answer_sections({}, {}) == []


def test_dates_are_written_day_first() -> None:
    assert show_date("2024-01-02") == "02/01/2024"
    assert show_date(datetime.date(2024, 12, 31)) == "31/12/2024"
    assert show_date("không rõ") == "không rõ"
    moment = datetime.datetime(2024, 1, 2, 1, 30, tzinfo=datetime.UTC)
    with timezone.override("Asia/Ho_Chi_Minh"):
        assert show_datetime(moment) == "02/01/2024 08:30"
        assert show_datetime("2024-01-02T08:30") == "02/01/2024 08:30"


@pytest.mark.django_db  # a digital address is shown as its text, read from the register
def test_every_demo_eform_shows_each_answer_under_its_title() -> None:
    from motcua.eforms.examples import example_document

    from .strategies import demo_eforms

    for case_id, schema in demo_eforms():
        document = example_document(schema)
        sections = answer_sections(schema, document)
        shown = [a for s in sections for a in s.answers if "." not in a.name]
        properties = schema["properties"]
        rows = [
            name
            for name, prop in properties.items()
            if prop.get("type") == "array" and prop["items"].get("type") == "object"
        ]
        alternatives = [name for name, prop in properties.items() if "oneOf" in prop]
        titles = [
            prop["title"]
            for name, prop in properties.items()
            # a field the other answers rule out (hidden by a condition) is not shown
            if name not in rows and name not in alternatives and name in document
        ]
        assert [a.label for a in shown] == titles, case_id
        for answer in shown:
            prop = properties[answer.name]
            if prop.get("format") == "date" and answer.name in document:
                assert answer.text == show_date(document[answer.name]), case_id
        for name in rows:  # a repeating group: its title, then each row under its own heading
            headings = [s.title for s in sections]
            assert properties[name]["title"] in headings, case_id
            row_title = properties[name]["items"]["title"]
            assert f"{row_title} 1" in headings, case_id
        for name in alternatives:  # its own section: the choice, then the chosen one's fields
            section = next(s for s in sections if s.title == properties[name]["title"])
            chosen = properties[name]["oneOf"][0]
            assert section.answers[0].text == chosen["title"], case_id
            assert [a.name for a in section.answers[1:]] == [
                f"{name}.{key}" for key in chosen["properties"] if key != "loai"
            ], case_id
