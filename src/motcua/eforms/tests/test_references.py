"""References to the platform's reference data: a list box, checked on the server, plain JSON
Schema underneath, and the lists served as JSON."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.test import Client
from django.utils import translation
from jsonschema import Draft202012Validator

from motcua.agencies.models import Agency
from motcua.eforms.display import answer_sections
from motcua.eforms.forms import EForm
from motcua.eforms.references import ETHNIC_GROUPS, expand_references, options
from motcua.eforms.schema import unsupported_problems
from motcua.eforms.validation import validate_document

RESIDENCE: dict[str, Any] = {
    "type": "object",
    "required": ["phuong", "dan_toc", "quoc_tich"],
    "properties": {
        "phuong": {"type": "string", "title": "Phường, xã nơi cư trú", "x-reference": "wards"},
        "dan_toc": {"type": "string", "title": "Dân tộc", "x-reference": "ethnic_groups"},
        "quoc_tich": {"type": "string", "title": "Quốc tịch", "x-reference": "nationalities"},
        "tinh_cu": {"type": "string", "title": "Tỉnh cũ", "x-reference": "provinces"},
    },
}


def ward_code(name: str) -> str:
    return next(option.value for option in options("wards") if option.label == name)


def test_the_lists() -> None:
    wards = options("wards")
    assert len(wards) == 94  # Đà Nẵng after the 2025 reorganisation
    assert "Phường Hải Châu" in {option.label for option in wards}
    assert len(options("provinces")) == 34
    assert len(ETHNIC_GROUPS) == 54 and options("ethnic_groups")[0].label == "Kinh"
    nationalities = options("nationalities")
    assert nationalities[0].value == "VN" and nationalities[0].label == "Việt Nam"
    assert {"LA", "KH", "US"} <= {option.value for option in nationalities}


def test_a_reference_is_a_list_box_of_labels_and_the_answer_is_the_code() -> None:
    form = EForm(RESIDENCE)
    ward = form.fields["phuong"]
    assert isinstance(ward, forms.ChoiceField) and isinstance(ward.widget, forms.Select)
    assert (ward_code("Phường Hải Châu"), "Phường Hải Châu") in list(ward.choices)  # type: ignore[arg-type]
    data = {"phuong": ward_code("Phường Hải Châu"), "dan_toc": "01", "quoc_tich": "VN"}
    form = EForm(RESIDENCE, data=data)
    assert form.is_valid(), form.errors
    document = form.to_json()
    assert document == data
    assert validate_document(RESIDENCE, document) == {}


def test_a_value_outside_the_list_is_refused_by_the_form_and_the_final_check() -> None:
    data = {"phuong": "99999", "dan_toc": "55", "quoc_tich": "VN"}
    with translation.override("en"):
        form = EForm(RESIDENCE, data=data)
        assert not form.is_valid()
        assert set(form.errors) == {"phuong", "dan_toc"}
        assert validate_document(RESIDENCE, data) == {
            "phuong": ["Choose one of the listed options."],
            "dan_toc": ["Choose one of the listed options."],
        }


def test_the_schema_stays_plain_json_schema_and_exports_with_the_values() -> None:
    Draft202012Validator.check_schema(RESIDENCE)
    expanded = expand_references(RESIDENCE)
    Draft202012Validator.check_schema(expanded)
    assert "enum" not in RESIDENCE["properties"]["phuong"]  # the original is untouched
    assert len(expanded["properties"]["phuong"]["enum"]) == 94
    standard = Draft202012Validator(expanded)
    assert standard.is_valid(
        {"phuong": ward_code("Phường Sơn Trà"), "dan_toc": "01", "quoc_tich": "VN"}
    )
    assert not standard.is_valid({"phuong": "99999", "dan_toc": "01", "quoc_tich": "VN"})


def test_officers_read_the_label() -> None:
    document = {"phuong": ward_code("Phường Hải Châu"), "dan_toc": "02", "quoc_tich": "LA"}
    with translation.override("vi"):
        sections = answer_sections(RESIDENCE, document)
    shown = {answer.label: answer.text for answer in sections[0].answers}
    assert shown["Phường, xã nơi cư trú"] == "Phường Hải Châu"
    assert shown["Dân tộc"] == "Tày"
    assert shown["Quốc tịch"] == "Lào"


@pytest.mark.parametrize(
    "prop",
    [
        {"type": "string", "x-reference": "streets"},
        {"type": "integer", "x-reference": "wards"},
        {"type": "string", "enum": ["a"], "x-reference": "wards"},
    ],
)
def test_an_unknown_or_misused_reference_is_refused_with_its_path(prop: dict[str, Any]) -> None:
    problems = unsupported_problems({"type": "object", "properties": {"noi_o": prop}})
    assert problems and problems[0].startswith("noi_o:")


@pytest.mark.django_db
def test_the_lists_are_served_as_json(client: Client) -> None:
    Agency.objects.create(
        code="000.00.48.H17", name="UBND phường Hải Châu", kind="ward_committee", level="ward"
    )
    answer = client.get("/api/v1/reference-lists/agencies/")
    assert answer.status_code == 200
    assert {"value": "000.00.48.H17", "label": "UBND phường Hải Châu"} in answer.json()["options"]
    wards = client.get("/api/v1/reference-lists/wards/").json()
    assert wards["name"] == "wards" and len(wards["options"]) == 94
    assert client.get("/api/v1/reference-lists/streets/").status_code == 404
