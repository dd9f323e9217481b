"""An answer that satisfies an e-form: for checking a catalogue before citizens meet it.

``example_document`` fills every property of the schema (the subset ``schema.py`` accepts) with
a value that respects its constraints, and checks the result with the same validator that
judges a citizen's submission. A schema for which no such answer is found is one no citizen
could submit either (``minLength`` above ``maxLength``, an empty ``enum``, a pattern longer
than the length allows …): ``NoAnswer`` says which fields stand in the way.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Final

import rstr

from .conditions import prune_hidden
from .references import PERSONAL_LISTS, options
from .rules import with_computed
from .schema import UnsupportedSchema, parse
from .validation import validate_document

#: A name in Vietnamese, cut or repeated to fit a string's length limits.
_SAMPLE_TEXT: Final = "Nguyễn Thị Minh Khai, phường Hải Châu, thành phố Đà Nẵng"
_TRIES: Final = 5


class NoAnswer(ValueError):
    """No answer satisfies the e-form; ``errors`` are the validator's, keyed by field."""

    def __init__(self, errors: Mapping[str, list[str]]) -> None:
        self.errors = dict(errors)
        where = "; ".join(f"{name or '(form)'}: {', '.join(msgs)}" for name, msgs in errors.items())
        super().__init__(where)


def example_document(
    schema: Mapping[str, Any], *, seed: int = 0, person: Any = None
) -> dict[str, Any]:
    """A document that passes ``validate_document(schema, …, person=person)``, or
    ``NoAnswer``. A person's list (``digital-address``) answers with the person's own value
    (without a person: a well-formed one).

    Deterministic for a given ``seed``; a few seeds are tried because a pattern's random
    string may miss a length limit that another draw meets.
    """
    if not schema:
        return {}
    errors: dict[str, list[str]] = {}
    for attempt in range(_TRIES):
        rng = random.Random(seed * _TRIES + attempt)
        document = _value(schema, rng, person)
        if isinstance(document, dict):
            document = with_computed(schema, _within_rules(schema, document))
        errors = validate_document(schema, document, person=person)
        if not errors:
            return document if isinstance(document, dict) else {}
    raise NoAnswer(errors)


def _within_rules(schema: Mapping[str, Any], document: dict[str, Any]) -> dict[str, Any]:
    """Every property was filled: leave out what the schema's conditions then hide."""
    try:
        tree = parse(schema)
    except UnsupportedSchema:
        return document
    return prune_hidden(tree, document)


def _value(schema: Mapping[str, Any], rng: random.Random, person: Any = None) -> Any:
    if "const" in schema:
        return schema["const"]
    mine = PERSONAL_LISTS.get(str(schema.get("x-reference") or ""))
    if mine is not None:
        return mine.example(person)
    if schema.get("x-reference"):
        listed = options(str(schema["x-reference"]))
        return listed[0].value if listed else None
    if "oneOf" in schema:
        return _value(schema["oneOf"][0], rng, person)
    if "enum" in schema:
        choices = list(schema["enum"])
        return choices[0] if choices else None
    kind = schema.get("type")
    if kind == "object":
        properties = schema.get("properties", {})
        return {name: _value(sub, rng, person) for name, sub in properties.items()}
    if kind == "string":
        return _string(schema, rng)
    if kind in ("integer", "number"):
        return _number(schema, integer=kind == "integer")
    if kind == "boolean":
        return True
    if kind == "array":
        return _array(schema, rng, person)
    return None


def _string(schema: Mapping[str, Any], rng: random.Random) -> str:
    fmt = schema.get("format")
    if fmt == "date":
        return (datetime.date.today() - datetime.timedelta(days=30)).isoformat()
    if fmt == "date-time":
        return "2026-01-05T08:30:00+07:00"
    if fmt == "email":
        return "nguyen.minh.khai@example.vn"
    if "pattern" in schema:
        return str(rstr.Rstr(rng).xeger(str(schema["pattern"])))
    low = int(schema.get("minLength", 1))
    high = int(schema.get("maxLength", max(low, len(_SAMPLE_TEXT))))
    text = _SAMPLE_TEXT * (low // len(_SAMPLE_TEXT) + 1)
    return text[: max(low, min(high, len(_SAMPLE_TEXT)))].strip() or "A" * max(low, 1)


def _number(schema: Mapping[str, Any], *, integer: bool) -> int | float:
    low = Decimal(str(schema.get("minimum", schema.get("exclusiveMinimum", 1))))
    if "exclusiveMinimum" in schema and "minimum" not in schema:
        low += 1 if integer else Decimal("0.5")
    high = schema.get("maximum", schema.get("exclusiveMaximum"))
    value = max(low, Decimal(1))
    if high is not None and value >= Decimal(str(high)):
        value = low
    step = schema.get("multipleOf")
    if step:
        step_value = Decimal(str(step))
        value = (value / step_value).to_integral_value(rounding="ROUND_CEILING") * step_value
    return int(value) if integer else float(value)


def _array(schema: Mapping[str, Any], rng: random.Random, person: Any = None) -> list[Any]:
    items = schema.get("items", {})
    count = max(int(schema.get("minItems", 1)), 1)
    if "maxItems" in schema:
        count = min(count, int(schema["maxItems"]))
    choices = list(items.get("enum", []))
    if choices:
        return choices[:count]
    return [_value(items, rng, person) for _ in range(count)]
