"""Cross-field rules (x-rules) and computed values (x-computed), checked on the server."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone, translation
from jsonschema import Draft202012Validator

from motcua.eforms.examples import example_document
from motcua.eforms.forms import EForm, finish_document
from motcua.eforms.schema import unsupported_problems
from motcua.eforms.validation import validate_document

BIRTH: dict[str, Any] = {
    "type": "object",
    "required": ["ngay_sinh", "ngay_khai", "so_ban_sao"],
    "properties": {
        "ngay_sinh": {"type": "string", "format": "date", "title": "Ngày sinh của trẻ"},
        "ngay_khai": {"type": "string", "format": "date", "title": "Ngày khai"},
        "so_ban_sao": {"type": "integer", "title": "Số bản sao", "minimum": 0, "maximum": 10},
        "le_phi": {
            "type": "integer",
            "title": "Lệ phí bản sao (đồng)",
            "x-computed": {"multiply": ["so_ban_sao", 8000]},
        },
        "tuoi_khi_khai": {
            "type": "integer",
            "title": "Tuổi của trẻ khi khai",
            "x-computed": {"age": "ngay_sinh", "on": "ngay_khai"},
        },
    },
    "x-rules": [
        {
            "left": "ngay_sinh",
            "op": "<=",
            "right": "ngay_khai",
            "message": {
                "vi": "Ngày sinh của trẻ không được sau ngày khai.",
                "en": "The child's date of birth cannot be after the declaration date.",
            },
        },
        {"left": "ngay_khai", "op": "<=", "right": "$today"},
    ],
}


def data(**values: str) -> dict[str, str]:
    return {"ngay_sinh": "01/03/2020", "ngay_khai": "15/02/2025", "so_ban_sao": "3", **values}


def test_the_schema_stays_plain_json_schema() -> None:
    Draft202012Validator.check_schema(BIRTH)
    assert unsupported_problems(BIRTH) == []


def test_computed_values_are_the_servers_and_have_no_input() -> None:
    form = EForm(BIRTH, data=data(le_phi="1", tuoi_khi_khai="99"))
    assert "le_phi" not in form.fields and "tuoi_khi_khai" not in form.fields
    assert form.is_valid(), form.errors
    document = form.to_json()
    assert document["le_phi"] == 24000
    assert document["tuoi_khi_khai"] == 4  # 4 years old, one month before the 5th birthday
    assert validate_document(BIRTH, document) == {}


def test_a_computed_value_sent_by_a_client_is_refused_by_the_final_check() -> None:
    document = {"ngay_sinh": "2020-03-01", "ngay_khai": "2025-02-15", "so_ban_sao": 3}
    with translation.override("en"):
        assert validate_document(BIRTH, {**document, "le_phi": 0, "tuoi_khi_khai": 4}) == {
            "le_phi": ["This value is calculated from your other answers (24000)."]
        }
    assert validate_document(BIRTH, finish_document(BIRTH, {**document, "le_phi": 0})) == {}


def test_a_broken_rule_is_shown_beside_both_fields() -> None:
    with translation.override("en"):
        form = EForm(BIRTH, data=data(ngay_sinh="01/03/2025"))
        assert not form.is_valid()
        message = ["The child's date of birth cannot be after the declaration date."]
        assert {name: list(found) for name, found in form.errors.items()} == {
            "ngay_sinh": message,
            "ngay_khai": message,
        }
    with translation.override("vi"):
        form = EForm(BIRTH, data=data(ngay_sinh="01/03/2025"))
        form.is_valid()
        assert form.errors["ngay_sinh"] == ["Ngày sinh của trẻ không được sau ngày khai."]
        document = {"ngay_sinh": "2025-03-01", "ngay_khai": "2025-02-15", "so_ban_sao": 0}
        errors = validate_document(BIRTH, finish_document(BIRTH, document))
        assert (
            errors["ngay_sinh"]
            == errors["ngay_khai"]
            == ["Ngày sinh của trẻ không được sau ngày khai."]
        )


def test_a_rule_against_today_without_a_message_says_it_with_the_labels() -> None:
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with translation.override("en"):
        form = EForm(BIRTH, data=data(ngay_khai=tomorrow.strftime("%d/%m/%Y")))
        assert not form.is_valid()
        assert form.errors["ngay_khai"] == ["«Ngày khai» must not be after (greater than) today."]


def test_rules_inside_rows_are_checked_per_row() -> None:
    schema = {
        "type": "object",
        "properties": {
            "con": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "tu_ngay": {"type": "string", "format": "date"},
                        "den_ngay": {"type": "string", "format": "date"},
                    },
                    "x-rules": [{"left": "tu_ngay", "op": "<", "right": "den_ngay"}],
                },
            }
        },
    }
    posted = {
        "con": "2",
        "con.0.tu_ngay": "2024-01-01",
        "con.0.den_ngay": "2024-02-01",
        "con.1.tu_ngay": "2024-05-01",
        "con.1.den_ngay": "2024-02-01",
    }
    form = EForm(schema, data=posted)
    assert not form.is_valid()
    assert set(form.errors) == {"con.1.tu_ngay", "con.1.den_ngay"}


def test_an_example_answer_respects_rules_and_computations() -> None:
    document = example_document(BIRTH)
    assert validate_document(BIRTH, document) == {}
    assert document["le_phi"] == document["so_ban_sao"] * 8000


@pytest.mark.parametrize(
    "change, where",
    [
        (
            {"x-rules": [{"left": "ngay_sinh", "op": "before", "right": "ngay_khai"}]},
            "(root).x-rules[0]",
        ),
        ({"x-rules": [{"left": "khong_co", "op": "<", "right": "ngay_khai"}]}, "(root).x-rules[0]"),
        ({"x-rules": {"left": "ngay_sinh"}}, "(root).x-rules"),
    ],
)
def test_rules_the_server_cannot_check_are_refused_with_their_path(
    change: dict[str, Any], where: str
) -> None:
    problems = unsupported_problems({**BIRTH, **change})
    assert any(problem.startswith(where + ":") for problem in problems), problems


@pytest.mark.parametrize(
    "computed",
    [
        {"age": "so_ban_sao"},
        {"multiply": ["ngay_sinh", 2]},
        {"divide": ["so_ban_sao", 2]},
        {"sum": []},
    ],
)
def test_computations_the_server_cannot_do_are_refused_with_their_path(
    computed: dict[str, Any],
) -> None:
    properties = {**BIRTH["properties"], "x": {"type": "integer", "x-computed": computed}}
    problems = unsupported_problems({**BIRTH, "properties": properties})
    assert any(problem.startswith("x:") for problem in problems), problems
