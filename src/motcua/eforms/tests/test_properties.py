"""Property tests: valid documents survive the form; invalid input is never silently accepted."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import translation
from django.utils.datastructures import MultiValueDict
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from motcua.eforms.fields import show_number
from motcua.eforms.forms import EForm
from motcua.eforms.schema import Kind, UnsupportedSchema, parse, unsupported_problems
from motcua.eforms.validation import validate_document

from .strategies import (
    VIETNAMESE,
    documents,
    feature_schemas,
    form_data,
    object_schemas,
    raw_posts,
)

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

TRICKY = [
    "",
    " ",
    "0",
    "-0",
    "1.000",
    "1,000",
    "12,5",
    "1.234,5",
    "1e3",
    "١٢٣",
    "１２３",
    "0905123456",
    "048190000123",
    "048190000123\n",
    "2024-02-30",
    "31/12/2024",
    "2024-12-31T08:00",
    "an@danang.gov.vn",
    "an@",
    "on",
    "Nữ",
    "N\u0303u",
    "\x00",
    "a\nb\nc",
    "x" * 600,
]


@SETTINGS
@given(data=st.data(), language=st.sampled_from(["vi", "en"]))
def test_valid_documents_round_trip(data: st.DataObject, language: str) -> None:
    schema = data.draw(object_schemas())
    document = data.draw(documents(schema))
    assert validate_document(schema, document) == {}
    with translation.override(language):
        form = EForm(schema, data=form_data(schema, document))
        assert form.is_valid(), form.errors
        result = form.to_json()
    assert result == document
    assert validate_document(schema, result) == {}


def _raw_values() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(TRICKY),
        st.text(max_size=30),
        st.text(alphabet=VIETNAMESE, max_size=30),
        st.from_regex(r"[-+]?[0-9][0-9 .,]{0,14}", fullmatch=True),
    )


@SETTINGS
@given(data=st.data(), language=st.sampled_from(["vi", "en"]))
def test_whatever_is_typed_the_form_accepts_only_valid_documents(
    data: st.DataObject, language: str
) -> None:
    schema = data.draw(object_schemas())
    posted: MultiValueDict[str, str] = MultiValueDict()
    for leaf in parse(schema).leaves():
        if data.draw(st.booleans()):
            if leaf.kind is Kind.MULTI_CHOICE:
                posted.setlist(leaf.name, data.draw(st.lists(_raw_values(), max_size=3)))
            else:
                posted[leaf.name] = data.draw(_raw_values())
    with translation.override(language):
        form = EForm(schema, data=posted)
        if form.is_valid():
            assert validate_document(schema, form.to_json()) == {}


def _single(prop: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "required": ["x"], "properties": {"x": prop}}


@st.composite
def violations(draw: st.DrawFn) -> tuple[dict[str, Any], Any, str]:
    """(schema, a JSON value that breaks it, what the citizen would type for that value)."""
    kind = draw(st.sampled_from(["max", "min", "xmax", "length", "pattern", "enum", "date"]))
    if kind in {"max", "min", "xmax"}:
        json_type = draw(st.sampled_from(["integer", "number"]))
        limit = draw(st.integers(-(10**6), 10**6))
        gap = draw(st.integers(1, 10**6)) if kind != "xmax" else draw(st.integers(0, 10**6))
        if kind == "min":
            prop = {"type": json_type, "minimum": limit}
            value: Any = limit - gap
        else:
            keyword = "maximum" if kind == "max" else "exclusiveMaximum"
            prop = {"type": json_type, keyword: limit}
            value = limit + gap
        if json_type == "number" and draw(st.booleans()):
            value = value + (0.5 if kind != "min" else -0.5)
        return _single(prop), value, str(show_number(value))
    if kind == "length":
        limit = draw(st.integers(1, 50))
        text = draw(st.text(alphabet=VIETNAMESE.strip(), min_size=limit + 1, max_size=limit + 20))
        # The alphabet holds a space: the form keeps what was typed without the spaces around
        # it, so only text still too long once trimmed breaks the rule.
        assume(len(text.strip()) > limit)
        return _single({"type": "string", "maxLength": limit}), text.strip(), text
    if kind == "pattern":
        text = draw(st.text(alphabet="0123456789 -", min_size=1, max_size=15))
        assume(len(text.strip()) != 12 or not text.strip().isdigit())
        assume(text.strip())
        return _single({"type": "string", "pattern": "^\\d{12}$"}), text.strip(), text
    if kind == "enum":
        options = draw(
            st.lists(st.sampled_from(["Nam", "Nữ", "Khác", "Cha", "Mẹ"]), min_size=1, unique=True)
        )
        other = draw(st.text(alphabet=VIETNAMESE.strip(), min_size=1, max_size=10))
        assume(other not in options)
        return _single({"type": "string", "enum": options}), other, other
    year = draw(st.integers(1900, 2100))
    month = draw(st.integers(1, 12))
    day = draw(st.integers(29, 40))
    text = f"{year:04d}-{month:02d}-{day:02d}"
    try:
        datetime.date(year, month, day)
    except ValueError:
        return _single({"type": "string", "format": "date"}), text, text
    assume(False)
    raise AssertionError  # pragma: no cover


@SETTINGS
@given(case=violations(), language=st.sampled_from(["vi", "en"]))
def test_a_broken_rule_is_reported_on_its_field_by_both_checks(
    case: tuple[dict[str, Any], Any, str], language: str
) -> None:
    schema, value, typed = case
    with translation.override(language):
        assert list(validate_document(schema, {"x": value})) == ["x"]
        form = EForm(schema, data={"x": typed})
        assert not form.is_valid()
        assert list(form.errors) == ["x"]


# --- the features of issue 18 ---------------------------------------------------------------

FEATURES = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


@FEATURES
@given(data=st.data())
def test_any_answer_the_server_accepts_is_valid_for_a_standard_validator(
    data: st.DataObject,
) -> None:
    """Repeating groups, conditions, alternatives, references, computed values: whatever is
    posted, a document the form accepts satisfies the plain JSON Schema."""
    schema = data.draw(feature_schemas())
    Draft202012Validator.check_schema(schema)
    posted = data.draw(raw_posts(schema))
    with translation.override("vi"):
        form = EForm(schema, data=posted)
        event("accepted" if form.is_valid() else "refused")
        if not form.is_valid():
            return
        document = form.to_json()
    assert Draft202012Validator(schema).is_valid(document), document
    assert validate_document(schema, document) == {}


@FEATURES
@given(data=st.data())
def test_valid_documents_with_the_new_features_round_trip(data: st.DataObject) -> None:
    """The reverse, for the supported subset: a document the standard validator accepts (and
    the form can say) comes back from the form unchanged."""
    schema = data.draw(feature_schemas())
    document = data.draw(documents(schema))
    assume(Draft202012Validator(schema).is_valid(document))
    assume(validate_document(schema, document) == {})
    with translation.override("vi"):
        form = EForm(schema, data=form_data(schema, document))
        assert form.is_valid(), (form.errors, document)
        assert form.to_json() == document


UNSUPPORTED: list[tuple[str, Any]] = [
    ("format", "uri"),
    ("$ref", "#/$defs/x"),
    ("not", {"type": "string"}),
    ("x-reference", "streets"),
    ("type", "null"),
    ("patternProperties", {"^a": {"type": "string"}}),
    ("anyOf", [{"type": "string"}]),
]


@FEATURES
@given(data=st.data())
def test_a_schema_using_an_unsupported_feature_is_refused_with_its_path(
    data: st.DataObject,
) -> None:
    schema = data.draw(feature_schemas())
    keyword, value = data.draw(st.sampled_from(UNSUPPORTED))
    simple = [
        name
        for name, prop in schema["properties"].items()
        if prop.get("type") in {"string", "integer", "number"} and "x-computed" not in prop
    ]
    rows = schema["properties"].get("thanh_vien")
    targets = [(name, schema["properties"][name], name) for name in simple]
    if rows is not None:
        for name, prop in rows["items"]["properties"].items():
            if prop.get("type") in {"string", "integer", "number"}:
                targets.append((name, prop, f"thanh_vien[].{name}"))
    assume(targets)
    _name, prop, where = data.draw(st.sampled_from(targets))
    prop[keyword] = value
    problems = unsupported_problems(schema)
    assert any(problem.startswith(where + ":") for problem in problems), (where, problems)
    with pytest.raises(UnsupportedSchema):
        EForm(schema)
