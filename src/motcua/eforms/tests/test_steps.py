"""Long forms in steps: x-steps when the schema has them, else at most six fields a step."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from motcua.eforms.forms import EForm
from motcua.eforms.schema import Step, UnsupportedSchema


def flat(count: int, **extra: Any) -> dict[str, Any]:
    properties = {f"f{i}": {"type": "string", "title": f"Trường {i}"} for i in range(1, count + 1)}
    return {"type": "object", "title": "Tờ khai", "properties": properties, **extra}


@pytest.mark.parametrize(
    ("count", "sizes"),
    [
        (1, [1]),
        (6, [6]),
        (7, [4, 3]),
        (8, [4, 4]),
        (12, [6, 6]),
        (13, [5, 5, 3]),
        (19, [5, 5, 5, 4]),
    ],
)
def test_fields_are_split_in_order_into_steps_of_at_most_six(count: int, sizes: list[int]) -> None:
    steps = EForm.steps(flat(count))
    assert [len(step.field_names) for step in steps] == sizes
    assert [name for step in steps for name in step.field_names] == [
        f"f{i}" for i in range(1, count + 1)
    ]


def test_step_titles() -> None:
    assert EForm.steps(flat(3)) == [Step("Tờ khai", ("f1", "f2", "f3"))]
    with translation.override("en"):
        assert [step.title for step in EForm.steps(flat(8))] == ["Part 1 of 2", "Part 2 of 2"]


def test_a_nested_object_stays_in_one_step() -> None:
    schema = flat(4)
    schema["properties"]["dia_chi"] = {
        "type": "object",
        "properties": {k: {"type": "string"} for k in ("so_nha", "duong", "phuong")},
    }
    steps = EForm.steps(schema)
    assert steps[-1].field_names == ("dia_chi.so_nha", "dia_chi.duong", "dia_chi.phuong")


def test_declared_steps_are_used() -> None:
    schema = flat(
        4,
        **{
            "x-steps": [
                {"title": "Người khai", "properties": ["f3", "f1"]},
                {"title": "Nội dung", "properties": ["f2", "f4"]},
            ]
        },
    )
    assert EForm.steps(schema) == [
        Step("Người khai", ("f3", "f1")),
        Step("Nội dung", ("f2", "f4")),
    ]


def test_fields_left_out_of_declared_steps_get_a_last_step() -> None:
    schema = flat(3, **{"x-steps": [{"title": "Một", "properties": ["f2"]}]})
    with translation.override("en"):
        assert EForm.steps(schema) == [
            Step("Một", ("f2",)),
            Step("Other information", ("f1", "f3")),
        ]


@pytest.mark.parametrize(
    "declared",
    [
        [{"title": "Một", "properties": ["khong_co"]}],
        [{"title": "Một", "properties": ["f1"]}, {"title": "Hai", "properties": ["f1"]}],
        [{"properties": ["f1"]}],
        [],
        "f1",
    ],
)
def test_broken_declared_steps_are_refused(declared: Any) -> None:
    with pytest.raises(UnsupportedSchema) as raised:
        EForm.steps(flat(2, **{"x-steps": declared}))
    assert raised.value.problems[0][0].startswith("x-steps")


def test_a_step_form_holds_and_validates_only_its_fields() -> None:
    schema = flat(8, required=[f"f{i}" for i in range(1, 9)])
    form = EForm(schema, data={"f5": "x", "f6": "y", "f7": "z", "f8": "w"}, step=1)
    assert list(form.fields) == ["f5", "f6", "f7", "f8"]
    assert form.current_step is not None
    assert form.current_step.field_names == ("f5", "f6", "f7", "f8")
    assert form.is_valid(), form.errors
    assert form.to_json() == {"f5": "x", "f6": "y", "f7": "z", "f8": "w"}

    first = EForm(schema, data={"f1": "a"}, step=0)
    assert not first.is_valid()
    assert set(first.errors) == {"f2", "f3", "f4"}


def test_a_step_out_of_range_is_refused() -> None:
    with pytest.raises(ValueError, match="out of range"):
        EForm(flat(3), step=1)
