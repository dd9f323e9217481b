"""Every e-form of the Đà Nẵng demo catalogue builds, splits into steps and round-trips."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from motcua.eforms.forms import EForm, merge_documents
from motcua.eforms.rules import with_computed
from motcua.eforms.schema import MAX_FIELDS_PER_STEP, Kind, unsupported_problems
from motcua.eforms.validation import validate_document

from .strategies import demo_eforms, documents, form_data

DEMO = demo_eforms()
IDS = [case_id for case_id, _ in DEMO]
SCHEMAS = [schema for _, schema in DEMO]


def properties_of(names: Iterable[str]) -> list[str]:
    """The top-level properties the fields belong to, in order (``a.b`` belongs to ``a``)."""
    return list(dict.fromkeys(name.split(".")[0] for name in names))


def test_the_demo_catalogue_has_eforms() -> None:
    assert len(DEMO) > 90


@pytest.mark.parametrize("schema", SCHEMAS, ids=IDS)
def test_builds_with_one_field_per_property(schema: dict[str, Any]) -> None:
    assert unsupported_problems(schema) == []
    form = EForm(schema)
    assert properties_of(leaf.name for leaf in form.leaves) == list(schema["properties"])
    for leaf in form.leaves:
        if "." in leaf.name:
            # a field of one of a property's alternatives (oneOf): its choice and its sections
            assert leaf.name in form.fields
            continue
        if leaf.computed:
            # written by the server (an age, a fee): shown, never an input
            assert leaf.name not in form.fields
            continue
        field = form.fields[leaf.name]
        assert field.label == schema["properties"][leaf.name]["title"]
        if leaf.kind is Kind.ROWS:
            # a repeating group: its row count, and the first row's fields when it is required
            assert leaf.required == (leaf.name in schema["required"])
            assert (f"{leaf.name}.0." in " ".join(form.fields)) == leaf.always_required
        elif leaf.kind is Kind.BOOLEAN and not leaf.must_be_true:
            assert not field.required  # a yes/no box always answers: unticked is "no"
        else:
            assert field.required == (leaf.name in schema["required"])


def test_some_demo_forms_use_groups_conditions_references_rules_and_computed_values() -> None:
    used = {
        feature
        for _, schema in DEMO
        for feature, present in {
            "rows": any(
                p.get("type") == "array" and p.get("items", {}).get("type") == "object"
                for p in schema["properties"].values()
            ),
            "conditions": "allOf" in schema or "if" in schema,
            "references": "x-reference" in str(schema),
            "rules": "x-rules" in schema,
            "computed": "x-computed" in str(schema),
            "alternatives": "oneOf" in str(schema),
        }.items()
        if present
    }
    assert used == {"rows", "conditions", "references", "rules", "computed", "alternatives"}


@pytest.mark.parametrize("schema", SCHEMAS, ids=IDS)
def test_steps_cover_every_field_once(schema: dict[str, Any]) -> None:
    steps = EForm.steps(schema)
    names = [name for step in steps for name in step.field_names]
    assert properties_of(names) == list(schema["properties"])
    assert len(names) == len(set(names))
    assert all(0 < len(step.field_names) <= MAX_FIELDS_PER_STEP for step in steps)


@pytest.mark.parametrize("schema", SCHEMAS, ids=IDS)
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_round_trip(schema: dict[str, Any], data: st.DataObject) -> None:
    document = data.draw(documents(schema))
    assert validate_document(schema, document) == {}
    form = EForm(schema, data=form_data(schema, document))
    assert form.is_valid(), form.errors
    result = form.to_json()
    assert result == document
    assert validate_document(schema, result) == {}


@pytest.mark.parametrize("schema", SCHEMAS[:12], ids=IDS[:12])
@settings(max_examples=4, deadline=None)
@given(data=st.data())
def test_round_trip_step_by_step(schema: dict[str, Any], data: st.DataObject) -> None:
    document = data.draw(documents(schema))
    posted = form_data(schema, document)
    parts: list[dict[str, Any]] = []
    for index in range(len(EForm.steps(schema))):
        # as the filing wizard does: a step is judged with the draft's answers so far
        form = EForm(schema, data=posted, step=index, answers=merge_documents(*parts))
        assert form.is_valid(), form.errors
        parts.append(form.to_json())
    # a computed value whose inputs sit on other steps is written when the draft is saved
    assert with_computed(schema, merge_documents(*parts)) == document
