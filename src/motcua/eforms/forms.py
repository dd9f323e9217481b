"""The e-form of a procedure case as a Django form, and back to a JSON document.

::

    form = EForm(case.eform_schema, data=request.POST, initial=prefill(schema, profile))
    if form.is_valid():
        document = form.to_json()
        errors = validate_document(case.eform_schema, document)   # the final check

A long form is shown in steps (``x-steps`` in the schema, else at most six fields a step);
``EForm(schema, data=..., step=1)`` holds and validates only the second step's fields.
"""

from __future__ import annotations

import datetime
import operator
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, ClassVar, Final

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MinLengthValidator, RegexValidator
from django.forms import BoundField
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from . import messages
from .fields import (
    ChoiceField,
    EmailTextField,
    LinesField,
    MultiChoiceField,
    NumberField,
    TextField,
    nfc,
)
from .prefill import autocomplete_hints
from .schema import (
    TEXTAREA_MIN_LENGTH,
    Group,
    Kind,
    Leaf,
    Step,
    compile_pattern,
    form_steps,
    parse,
    steps_for,
)
from .validation import is_multiple_of

#: Dates as ``<input type=date>`` sends them, then as people write them (day first).
DATE_INPUT_FORMATS: Final = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"]
DATETIME_INPUT_FORMATS: Final = [
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%d/%m/%Y %H:%M",
]
#: Enums with at most this many options, when required, are radio buttons; else a list box.
MAX_RADIO_OPTIONS: Final = 5

_pattern_message = lazy(messages.pattern_message, str)


_DIGIT_PATTERN_REST: Final = frozenset("^$()?{},0123456789")


def _only_digits(pattern: str) -> bool:
    """Does ``pattern`` only ever match digits (``^0\\d{9}$``)? Then show the number keypad."""
    rest = pattern.replace("\\d", "").replace("[0-9]", "")
    return rest != pattern and set(rest) <= _DIGIT_PATTERN_REST


_COMPARISONS: Final = {
    "minimum": (operator.ge, messages.MINIMUM),
    "maximum": (operator.le, messages.MAXIMUM),
    "exclusiveMinimum": (operator.gt, messages.EXCLUSIVE_MINIMUM),
    "exclusiveMaximum": (operator.lt, messages.EXCLUSIVE_MAXIMUM),
}


class _Bound:
    """``minimum``/``maximum``/``exclusive…``/``multipleOf`` with the limit written locally."""

    def __init__(self, keyword: str, limit: int | float) -> None:
        self.keyword = keyword
        self.limit = limit

    def __call__(self, value: int | Decimal) -> None:
        if self.keyword == "multipleOf":
            ok, message = is_multiple_of(value, self.limit), messages.MULTIPLE_OF
        else:
            compare, message = _COMPARISONS[self.keyword]
            ok = compare(value, Decimal(str(self.limit)))
        if not ok:
            raise ValidationError(
                message,
                code=self.keyword,
                params={"limit_value": messages.format_number(self.limit)},
            )


class _ItemCount:
    def __init__(self, keyword: str, limit: int) -> None:
        self.keyword = keyword
        self.limit = limit

    def __call__(self, values: list[Any]) -> None:
        if self.keyword == "minItems" and len(values) < self.limit:
            raise ValidationError(messages.MIN_ITEMS, params={"limit_value": self.limit})
        if self.keyword == "maxItems" and len(values) > self.limit:
            raise ValidationError(messages.MAX_ITEMS, params={"limit_value": self.limit})


def _unique_items(values: list[Any]) -> None:
    if len(set(map(repr, values))) != len(values):
        raise ValidationError(messages.UNIQUE_ITEMS, code="uniqueItems")


def _string_validators(schema: Mapping[str, Any]) -> list[Any]:
    found: list[Any] = []
    if "maxLength" in schema:
        found.append(MaxLengthValidator(schema["maxLength"], message=messages.MAX_LENGTH))
    if "minLength" in schema:
        found.append(MinLengthValidator(schema["minLength"], message=messages.MIN_LENGTH))
    if "pattern" in schema:
        pattern = str(schema["pattern"])
        found.append(RegexValidator(compile_pattern(pattern), message=_pattern_message(pattern)))
    return found


def _number_validators(schema: Mapping[str, Any]) -> list[Any]:
    keywords = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf")
    return [_Bound(keyword, schema[keyword]) for keyword in keywords if keyword in schema]


class _DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def format_value(self, value: Any) -> Any:
        if isinstance(value, str):
            value = parse_datetime(value) or value
        if isinstance(value, datetime.datetime):
            if timezone.is_aware(value):
                value = timezone.localtime(value)
            seconds = value.second or value.microsecond
            return value.strftime("%Y-%m-%dT%H:%M:%S" if seconds else "%Y-%m-%dT%H:%M")
        return value


def build_field(leaf: Leaf, *, autocomplete: str = "") -> forms.Field:
    """The Django field for one e-form property."""
    schema = leaf.schema
    attrs: dict[str, Any] = {"autocomplete": autocomplete} if autocomplete else {}
    common: dict[str, Any] = {
        "label": leaf.title,
        "help_text": leaf.description,
        "required": leaf.always_required,
        "error_messages": {"required": messages.REQUIRED},
    }
    kind = leaf.kind
    if kind is Kind.TEXT:
        if _only_digits(str(schema.get("pattern", ""))):
            attrs.update(inputmode="numeric", spellcheck="false")
        if autocomplete == "name":
            attrs["autocapitalize"] = "words"
        multiline = (
            schema.get("maxLength", 0) >= TEXTAREA_MIN_LENGTH
            or schema.get("x-widget") == "textarea"
        )
        widget = forms.Textarea(attrs={"rows": 4, **attrs}) if multiline else forms.TextInput(attrs)
        text = TextField(validators=_string_validators(schema), widget=widget, **common)
        # Known to the field, but no HTML maxlength: browsers cut pasted text without a word.
        text.max_length = schema.get("maxLength")
        text.min_length = schema.get("minLength")
        return text
    if kind is Kind.EMAIL:
        common["error_messages"]["invalid"] = messages.FORMAT_MESSAGES["email"]
        return EmailTextField(
            validators=_string_validators(schema),
            widget=forms.EmailInput(attrs),
            **common,
        )
    if kind is Kind.DATE:
        common["error_messages"]["invalid"] = messages.FORMAT_MESSAGES["date"]
        return forms.DateField(
            input_formats=DATE_INPUT_FORMATS,
            widget=forms.DateInput({"type": "date", **attrs}, format="%Y-%m-%d"),
            **common,
        )
    if kind is Kind.DATETIME:
        common["error_messages"]["invalid"] = messages.FORMAT_MESSAGES["date-time"]
        return forms.DateTimeField(
            input_formats=DATETIME_INPUT_FORMATS, widget=_DateTimeInput(attrs), **common
        )
    if kind is Kind.CHOICE:
        # keyed by the NFC text the field compares; coerced back to the schema's own value
        values = {nfc(str(value)): value for value in leaf.choices}
        radios = leaf.always_required and len(values) <= MAX_RADIO_OPTIONS
        choices: list[tuple[str, str]] = [(text, text) for text in values]
        if not radios:
            choices.insert(0, ("", str(_("Choose…"))))
        common["error_messages"]["invalid_choice"] = messages.ENUM
        return ChoiceField(
            choices=choices,
            coerce=values.__getitem__,
            empty_value=None,
            widget=forms.RadioSelect(attrs) if radios else forms.Select(attrs),
            **common,
        )
    if kind in {Kind.INTEGER, Kind.NUMBER}:
        integer = kind is Kind.INTEGER
        common["error_messages"]["invalid"] = (
            messages.INTEGER_INVALID if integer else messages.NUMBER_INVALID
        )
        return NumberField(
            integer=integer,
            validators=_number_validators(schema),
            widget=forms.TextInput(attrs),
            **common,
        )
    if kind is Kind.BOOLEAN:
        common["error_messages"]["required"] = messages.REQUIRED_CHECKBOX
        return forms.BooleanField(widget=forms.CheckboxInput(attrs), **common)
    list_validators: list[Any] = [
        _ItemCount(keyword, schema[keyword])
        for keyword in ("minItems", "maxItems")
        if keyword in schema
    ]
    if schema.get("uniqueItems"):
        list_validators.append(_unique_items)
    if kind is Kind.MULTI_CHOICE:
        options = {nfc(str(value)): value for value in leaf.choices}
        common["error_messages"]["invalid_choice"] = messages.ENUM_ITEM
        return MultiChoiceField(
            choices=[(text, text) for text in options],
            coerce=options.__getitem__,
            validators=list_validators,
            widget=forms.CheckboxSelectMultiple(attrs),
            **common,
        )
    hint = str(_("Write one item per line."))
    common["help_text"] = f"{leaf.description} {hint}".strip()
    return LinesField(
        item_field=build_field(leaf.item_leaf()),
        list_validators=list_validators,
        widget=forms.Textarea({"rows": 4, **attrs}),
        **common,
    )


def _is_empty(value: Any) -> bool:
    return value is None or value is False or value == "" or value == [] or value == ()


def _present_groups(tree: Group, values: Mapping[str, Any]) -> set[str]:
    """Objects the document will hold: required ones, and optional ones with an answer."""
    present: set[str] = set()

    def walk(group: Group, parent_present: bool) -> None:
        answered = any(not _is_empty(values.get(leaf.name)) for leaf in group.leaves())
        if group is tree or answered or (group.required and parent_present):
            present.add(group.name)
            here = True
        else:
            here = False
        for child in group.children:
            if isinstance(child, Group):
                walk(child, here)

    walk(tree, True)
    return present


class _Omit:
    pass


_OMIT: Final = _Omit()


def _json_value(leaf: Leaf, value: Any) -> Any:
    if value is None or value == "" or value == [] or value == ():
        return _OMIT
    if isinstance(value, bool):
        return _OMIT if (value is False and leaf.must_be_true) else value
    if isinstance(value, datetime.datetime):
        if timezone.is_naive(value):
            value = timezone.make_aware(value)
        return value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        if leaf.json_type == "integer" or value == value.to_integral_value():
            return int(value)
        return float(value)
    if isinstance(value, list | tuple):
        return [_json_value(leaf.item_leaf(), item) for item in value]
    if isinstance(value, str):
        # an enum value is the schema's own text, whatever its Unicode form
        return value if leaf.kind is Kind.CHOICE else nfc(value)
    return value


def to_json(schema: Mapping[str, Any] | Group, cleaned_data: Mapping[str, Any]) -> dict[str, Any]:
    """The JSON document for cleaned form values (dotted names become nested objects).

    Dates become ISO 8601 text, numbers ``int`` or ``float`` as the schema's type says, empty
    optional answers are left out. Keys that are not e-form fields are ignored, so the cleaned
    data of several steps can be merged first.
    """
    tree = schema if isinstance(schema, Group) else parse(schema)
    present = _present_groups(tree, cleaned_data)

    def build(group: Group) -> dict[str, Any]:
        document: dict[str, Any] = {}
        for child in group.children:
            if isinstance(child, Group):
                if child.name in present:
                    document[child.key] = build(child)
            elif child.name in cleaned_data:
                value = _json_value(child, cleaned_data[child.name])
                if value is not _OMIT:
                    document[child.key] = value
        return document

    return build(tree)


def initial_from_document(
    schema: Mapping[str, Any] | Group, document: Mapping[str, Any]
) -> dict[str, Any]:
    """Dotted-name initial values from a (possibly partial) document, e.g. a saved draft."""
    tree = schema if isinstance(schema, Group) else parse(schema)
    initial: dict[str, Any] = {}
    for leaf in tree.leaves():
        value: Any = document
        for key in leaf.path[len(tree.path) :]:
            if not isinstance(value, Mapping) or key not in value:
                break
            value = value[key]
        else:
            initial[leaf.name] = value
    return initial


def merge_documents(*documents: Mapping[str, Any]) -> dict[str, Any]:
    """Deep-merge partial documents (one per step); later values win."""
    merged: dict[str, Any] = {}
    for document in documents:
        for key, value in document.items():
            if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
                merged[key] = merge_documents(merged[key], value)
            elif isinstance(value, Mapping):
                merged[key] = merge_documents(value)
            else:
                merged[key] = value
    return merged


@dataclass
class FieldGroup:
    """A nested object in the form's layout: a ``<fieldset>`` with its fields."""

    name: str
    title: str
    description: str
    children: list[FieldGroup | BoundField] = field(default_factory=list)
    is_group: ClassVar[bool] = True


class EForm(forms.Form):
    """A Django form built from an e-form's JSON Schema (one field per property).

    ``data`` and ``initial`` are keyed by dotted field name (``initial`` may also be a nested
    document). With ``step`` (0-based, see :meth:`steps`) the form holds only that step's
    fields. Render it with ``{% include "eforms/fields.html" %}`` or ``{{ form }}``.
    """

    template_name = "eforms/fields.html"

    def __init__(
        self,
        schema: Mapping[str, Any],
        *,
        data: Mapping[str, Any] | None = None,
        initial: Mapping[str, Any] | None = None,
        step: int | None = None,
        **kwargs: Any,
    ) -> None:
        self.schema = schema
        self.tree = parse(schema)
        self.step_list: list[Step] = steps_for(self.tree)
        self.step_index = step
        wanted: set[str] | None = None
        if step is not None:
            if not 0 <= step < len(self.step_list):
                raise ValueError(
                    f"step {step} is out of range (the form has {len(self.step_list)})"
                )
            wanted = set(self.step_list[step].field_names)
        self.leaves = [leaf for leaf in self.tree.leaves() if wanted is None or leaf.name in wanted]
        start: dict[str, Any] = {
            leaf.name: leaf.schema["default"] for leaf in self.leaves if "default" in leaf.schema
        }
        start.update(self._flatten(initial or {}))
        kwargs.setdefault("label_suffix", "")
        super().__init__(data=data, initial=start, **kwargs)
        hints = autocomplete_hints(self.tree)
        for leaf in self.leaves:
            self.fields[leaf.name] = build_field(leaf, autocomplete=hints.get(leaf.name, ""))

    @classmethod
    def steps(cls, schema: Mapping[str, Any]) -> list[Step]:
        """The steps of ``schema``'s form, in order (empty when it has no fields)."""
        return form_steps(schema)

    @property
    def current_step(self) -> Step | None:
        return None if self.step_index is None else self.step_list[self.step_index]

    def _flatten(self, initial: Mapping[str, Any]) -> dict[str, Any]:
        flat: dict[str, Any] = {}
        for key, value in initial.items():
            node = self.tree.find(key)
            if isinstance(node, Group) and isinstance(value, Mapping):
                flat.update(initial_from_document(node, value))
            else:
                flat[key] = value
        return flat

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        assert cleaned is not None
        present = _present_groups(self.tree, cleaned)
        for leaf in self.leaves:
            if leaf.always_required or not leaf.required or leaf.name in self.errors:
                continue
            parent = ".".join(leaf.path[:-1])
            if parent in present and _is_empty(cleaned.get(leaf.name)):
                message = (
                    messages.REQUIRED_CHECKBOX if leaf.kind is Kind.BOOLEAN else messages.REQUIRED
                )
                self.add_error(leaf.name, ValidationError(message, code="required"))
        return cleaned

    def to_json(self, cleaned_data: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """The JSON document of this form's (or the given) cleaned data."""
        return to_json(self.tree, self.cleaned_data if cleaned_data is None else cleaned_data)

    def add_document_errors(self, errors: Mapping[str, list[str]]) -> None:
        """Show :func:`~motcua.eforms.validation.validate_document` errors on this form."""
        for key, found in errors.items():
            target = key if key in self.fields else None
            for message in found:
                if target is None and key:
                    message = f"{self._label_for(key)}: {message}"
                self.add_error(target, message)

    def _label_for(self, key: str) -> str:
        node = self.tree.find(key)
        return node.title if node is not None else key

    @property
    def layout(self) -> list[FieldGroup | BoundField]:
        """The fields in schema order, nested objects as :class:`FieldGroup`."""

        def walk(group: Group) -> list[FieldGroup | BoundField]:
            items: list[FieldGroup | BoundField] = []
            for child in group.children:
                if isinstance(child, Group):
                    inner = walk(child)
                    if inner:
                        items.append(FieldGroup(child.name, child.title, child.description, inner))
                elif child.name in self.fields:
                    items.append(self[child.name])
            return items

        return walk(self.tree)

    @property
    def has_required_fields(self) -> bool:
        return any(f.required for f in self.fields.values())
