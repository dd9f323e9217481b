"""The final server-side check of a submitted e-form document against its JSON Schema.

It runs ``jsonschema``'s draft 2020-12 validator, independently of the Django form, so a
document that reached the server by another road (the API, a saved draft, an older form) is
held to the same rules. Errors come back keyed by dotted field name, in the citizen's language.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator, Mapping
from contextvars import ContextVar
from decimal import Decimal, InvalidOperation, localcontext
from typing import Any, Final

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from jsonschema import Draft202012Validator, FormatChecker, validators
from jsonschema.exceptions import ValidationError

from . import messages
from .references import PERSONAL_LISTS, REFERENCE_LISTS
from .references import label as reference_label
from .rules import extension_errors
from .schema import compile_pattern

_DATE: Final = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DATE_TIME: Final = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]+)?(?:[Zz]|[+-][0-9]{2}:[0-9]{2})"
)


def _pattern(
    validator: Any, pattern: str, instance: Any, schema: Mapping[str, Any]
) -> Iterator[ValidationError]:
    """``pattern`` with ECMA-262's ASCII-only ``\\d`` (Python's would accept ``١٢٣``)."""
    if validator.is_type(instance, "string") and not compile_pattern(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


def is_multiple_of(value: Any, divisor: Any) -> bool:
    """``multipleOf`` in decimal arithmetic: 0.3 is a multiple of 0.1."""
    with localcontext() as context:
        context.prec = 100
        try:
            return Decimal(str(value)) % Decimal(str(divisor)) == 0
        except InvalidOperation:
            return False


def _multiple_of(
    validator: Any, divisor: Any, instance: Any, schema: Mapping[str, Any]
) -> Iterator[ValidationError]:
    if validator.is_type(instance, "number") and not is_multiple_of(instance, divisor):
        yield ValidationError(f"{instance!r} is not a multiple of {divisor}")


def _properties(
    validator: Any, properties: Mapping[str, Any], instance: Any, schema: Mapping[str, Any]
) -> Iterator[ValidationError]:
    """``properties`` as the standard says, naming the property a ``false`` schema refuses
    (a field hidden by a rule; the library leaves its name out of the error's path)."""
    if not validator.is_type(instance, "object"):
        return
    for name, subschema in properties.items():
        if name not in instance:
            continue
        if subschema is False:
            yield ValidationError(
                f"{name!r} is not allowed here",
                validator="hidden",  # type: ignore[arg-type]
                path=[name],
                instance=instance[name],
            )
            continue
        yield from validator.descend(instance[name], subschema, path=name, schema_path=name)


#: Who the document being checked is for: a person's list accepts only what they may choose.
_PERSON: ContextVar[Any] = ContextVar("eforms_validation_person", default=None)


def _reference(
    validator: Any, name: Any, instance: Any, schema: Mapping[str, Any]
) -> Iterator[ValidationError]:
    """``x-reference``: the answer is one of the platform's list (``references.py``); from a
    person's list, one that person may choose (without a person: a well-formed value)."""
    mine = PERSONAL_LISTS.get(name) if isinstance(name, str) else None
    if mine is not None:
        if not validator.is_type(instance, "string"):
            return
        if mine.usable(_PERSON.get(), instance) is None:
            yield ValidationError(str(mine.refusal), validator="personal")  # type: ignore[arg-type]
        return
    if (
        validator.is_type(instance, "string")
        and name in REFERENCE_LISTS
        and reference_label(name, instance) is None
    ):
        yield ValidationError(f"{instance!r} is not in the list {name!r}")


#: Draft 2020-12 with ASCII-only patterns, decimal ``multipleOf``, located refusals and the
#: platform's reference lists.
EFormValidator: Final = validators.extend(
    Draft202012Validator,
    {
        "pattern": _pattern,
        "multipleOf": _multiple_of,
        "properties": _properties,
        "x-reference": _reference,
    },
)

#: The formats e-forms use, checked strictly (the defaults skip date-time without an extra).
FORMAT_CHECKER: Final = FormatChecker()


@FORMAT_CHECKER.checks("date", raises=ValueError)
def _is_date(instance: object) -> bool:
    if not isinstance(instance, str):
        return True
    return bool(_DATE.fullmatch(instance)) and bool(datetime.date.fromisoformat(instance))


@FORMAT_CHECKER.checks("date-time", raises=ValueError)
def _is_date_time(instance: object) -> bool:
    if not isinstance(instance, str):
        return True
    if not _DATE_TIME.fullmatch(instance):
        return False
    return bool(datetime.datetime.fromisoformat(instance.upper().replace("Z", "+00:00")))


@FORMAT_CHECKER.checks("email", raises=DjangoValidationError)
def _is_email(instance: object) -> bool:
    """The same rule as the form's e-mail field (jsonschema only looks for an ``@``)."""
    if isinstance(instance, str):
        validate_email(instance)
    return True


def validator_for(schema: Mapping[str, Any]) -> Any:
    """A validator for ``schema`` with the e-form formats checked."""
    return EFormValidator(schema, format_checker=FORMAT_CHECKER)


def _message(error: ValidationError) -> str:
    if error.validator == "hidden":
        return str(messages.NOT_APPLICABLE)  # ``"properties": {"x": false}``: hidden by a rule
    if error.validator == "personal":
        return error.message  # the person's list's own words
    keyword = str(error.validator)
    value: Any = error.validator_value
    instance: Any = error.instance
    if keyword == "type":
        expected = value if isinstance(value, str) else (list(value) or ["string"])[0]
        return str(messages.TYPE_MESSAGES.get(expected, messages.INVALID))
    if keyword in {"enum", "x-reference"}:
        return str(messages.ENUM)
    if keyword == "const":
        return str(messages.CONST_TRUE if value is True else messages.CONST)
    if keyword in {"maxLength", "minLength"}:
        template = messages.MAX_LENGTH if keyword == "maxLength" else messages.MIN_LENGTH
        return str(template % {"limit_value": value, "show_value": len(instance)})
    if keyword == "pattern":
        return messages.pattern_message(str(value))
    bounds = {
        "minimum": messages.MINIMUM,
        "maximum": messages.MAXIMUM,
        "exclusiveMinimum": messages.EXCLUSIVE_MINIMUM,
        "exclusiveMaximum": messages.EXCLUSIVE_MAXIMUM,
        "multipleOf": messages.MULTIPLE_OF,
    }
    if keyword in bounds:
        return str(bounds[keyword] % {"limit_value": messages.format_number(value)})
    if keyword == "format":
        return str(messages.FORMAT_MESSAGES.get(str(value), messages.INVALID))
    if keyword in {"minItems", "maxItems"}:
        template = messages.MIN_ITEMS if keyword == "minItems" else messages.MAX_ITEMS
        return str(template % {"limit_value": value})
    if keyword == "uniqueItems":
        return str(messages.UNIQUE_ITEMS)
    return str(messages.INVALID)


def _located(error: ValidationError) -> Iterator[tuple[str, str]]:
    """(dotted field name, message) pairs for one jsonschema error."""
    names: list[str] = []
    item: int | None = None
    parts = list(error.absolute_path)
    for position, part in enumerate(parts):
        inside_row = position + 1 < len(parts) or isinstance(error.instance, Mapping)
        if isinstance(part, int) and not inside_row:
            item = part  # a list of values is one field: the error names the item
            break
        names.append(str(part))  # a row of a repeating group: ``thanh_vien.0.ho_ten``

    def where(*extra: str) -> str:
        return ".".join([*names, *extra]) if item is None else ".".join(names)

    def said(message: str) -> str:
        if item is None:
            return message
        return str(messages.ITEM % {"number": item + 1, "message": message})

    instance = error.instance
    if error.validator == "oneOf" and isinstance(instance, Mapping):
        yield from _located_alternative(error, where)
        return
    required: Any = error.validator_value
    if error.validator == "required" and isinstance(instance, Mapping):
        for name in required:
            if name not in instance:
                yield where(str(name)), said(str(messages.REQUIRED))
        return
    if error.validator in {"additionalProperties", "unevaluatedProperties"} and isinstance(
        instance, Mapping
    ):
        known = error.schema.get("properties", {}) if isinstance(error.schema, Mapping) else {}
        extras = [str(name) for name in instance if name not in known]
        for name in extras or [""]:
            yield where(name) if name else where(), said(str(messages.NOT_IN_FORM))
        return
    yield where(), said(_message(error))


def _located_alternative(error: ValidationError, where: Any) -> Iterator[tuple[str, str]]:
    """A ``oneOf`` that failed: the chosen alternative's own errors, else the choice itself."""
    chosen: Any = error.validator_value
    instance: Any = error.instance
    branches = [b for b in chosen if isinstance(b, Mapping)]
    fixed = [
        {
            key: prop["const"]
            for key, prop in branch.get("properties", {}).items()
            if isinstance(prop, Mapping) and "const" in prop
        }
        for branch in branches
    ]
    shared = set.intersection(*(set(one) for one in fixed)) if fixed else set()
    for index, consts in enumerate(fixed):
        if shared and all(instance.get(key) == consts[key] for key in shared):
            for sub in error.context or []:
                if sub.relative_schema_path and sub.relative_schema_path[0] == index:
                    yield from _located(sub)
            return
    for key in sorted(shared):
        message = messages.REQUIRED if key not in instance else messages.ENUM
        yield where(key), str(message)
    if not shared:
        yield where(), str(messages.INVALID)


def validate_document(
    schema: Mapping[str, Any], document: Any, *, person: Any = None
) -> dict[str, list[str]]:
    """Errors in ``document`` keyed by dotted field name (``""``: the whole document).

    An empty dict means the document satisfies the e-form. ``schema`` must be a valid JSON
    Schema (the catalogue checks it when the procedure is saved). ``person``: who files it;
    an answer from a person's list (``digital-address``) must be one they may choose. Without
    a person only its form is checked: pass the person whenever a person files.
    """
    errors: dict[str, list[str]] = {}
    token = _PERSON.set(person)
    try:
        for error in validator_for(schema).iter_errors(document):
            for key, message in _located(error):
                found = errors.setdefault(key, [])
                if message not in found:
                    found.append(message)
    finally:
        _PERSON.reset(token)
    # the declared extensions: cross-field rules and values the server computes
    for key, messages_found in extension_errors(schema, document).items():
        found = errors.setdefault(key, [])
        found.extend(message for message in messages_found if message not in found)
    return errors
