"""The e-form of a procedure case as a Django form, and back to a JSON document.

::

    form = EForm(case.eform_schema, data=request.POST, initial=initial_from_document(...))
    if form.is_valid():
        document = form.to_json()
        errors = validate_document(case.eform_schema, document)   # the final check

A long form is shown in steps (``x-steps`` in the schema, else at most six fields a step);
``EForm(schema, data=..., step=1)`` holds and validates only the second step's fields.
"""

from __future__ import annotations

import datetime
import json
import operator
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, ClassVar, Final

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MinLengthValidator, RegexValidator
from django.forms import BoundField
from django.forms.utils import ErrorDict
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from . import messages
from .conditions import Verdict, drop, prune_hidden, verdict
from .fields import (
    ChoiceField,
    EmailTextField,
    LinesField,
    MultiChoiceField,
    NumberField,
    PersonalChoiceField,
    TextField,
    nfc,
    show_number,
)
from .prefill import autocomplete_hints
from .references import PERSONAL_LISTS, PersonalList
from .references import label as reference_label
from .references import labels as reference_labels
from .rules import rule_errors, with_computed
from .schema import (
    TEXTAREA_MIN_LENGTH,
    Condition,
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
#: A repeating group without ``maxItems`` never shows more rows than this.
MAX_ROWS: Final = 100
#: What the row buttons post as ``action``: ``add:<group>`` and ``remove:<group>:<row>``.
ADD_ROW: Final = "add"
REMOVE_ROW: Final = "remove"

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


def build_field(leaf: Leaf, *, autocomplete: str = "", person: Any = None) -> forms.Field:
    """The Django field for one e-form property (``person``: who fills it in, for the
    lists whose choices are theirs, ``references.PersonalList``)."""
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
    mine = PERSONAL_LISTS.get(leaf.reference) if leaf.reference else None
    if kind is Kind.CHOICE and mine is not None:
        return personal_field(mine, person, attrs=attrs or None, **common)
    if kind is Kind.CHOICE:
        # keyed by the NFC text the field compares; coerced back to the schema's own value
        values = {nfc(str(value)): value for value in leaf.choices}
        radios = leaf.always_required and len(values) <= MAX_RADIO_OPTIONS and not leaf.reference
        # labels beside the values: a oneOf's branches (``x-enumNames``), reference data
        labels = reference_labels(leaf.reference) if leaf.reference else {}
        choices: list[tuple[str, str]] = [
            (text, labels.get(text) or _choice_text(schema, value))
            for text, value in values.items()
        ]
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
        # A yes/no box always answers (unticked is "no"): only a box that must be ticked
        # ("const": true, a declaration) can be left unanswered.
        common["required"] = leaf.always_required and leaf.must_be_true
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


def personal_field(mine: PersonalList, person: Any, **kwargs: Any) -> PersonalChoiceField:
    """The field of a person's list: their own values to choose, a box to type another's;
    it accepts what ``mine`` lets ``person`` use and cleans to the value (a code)."""
    own = mine.options_for(person) if person is not None else ()
    return PersonalChoiceField(
        own=[(option.value, option.label) for option in own],
        find=lambda value: mine.usable(person, value),
        refusal=mine.refusal,
        choose_label=mine.choose_label,
        code_label=mine.code_label,
        **kwargs,
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
    if leaf.kind is Kind.ROWS:
        return list(value)  # rows are built as JSON objects already (EForm.clean)
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


def finish_document(schema: Mapping[str, Any], document: Mapping[str, Any]) -> dict[str, Any]:
    """A (merged) draft as it is kept: without the answers its rules now hide, with the
    values the server computes written anew."""
    finished: dict[str, Any] = with_computed(schema, prune_hidden(parse(schema), document))
    return finished


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
    is_rows: ClassVar[bool] = False


@dataclass
class Section:
    """Fields shown only when a rule says so: without JavaScript always shown, with a note
    saying when they apply; eforms.js shows and hides them as the answers change."""

    title: str
    note: str
    when: str  # the rules as JSON for eforms.js
    prefix: str  # the row the rules' fields belong to (``thanh_vien.0.``), else ""
    rules: tuple[tuple[Condition, bool], ...]
    children: list[Any] = field(default_factory=list)
    is_group: ClassVar[bool] = False
    is_rows: ClassVar[bool] = False
    is_section: ClassVar[bool] = True


def _parents(tree: Group) -> dict[str, tuple[Group, str]]:
    """Every field's (and object's) dotted name → (the object holding it, its key); a row's
    fields are named as in the item (``thanh_vien.ho_ten``)."""
    found: dict[str, tuple[Group, str]] = {}

    def walk(group: Group, prefix: str) -> None:
        for child in group.children:
            name = f"{prefix}{child.key}"
            found[name] = (group, child.key)
            if isinstance(child, Group):
                walk(child, name + ".")
            elif child.kind is Kind.ROWS and child.item_group is not None:
                walk(child.item_group, name + ".")

    walk(tree, f"{tree.name}." if tree.name else "")
    return found


def _section(group: Group, rules: tuple[tuple[Condition, bool], ...], prefix: str) -> Section:
    scope = f"{group.name}." if group.name else ""
    title = ""
    if group.discriminator and len(rules) == 1:
        chooser = group.child(group.discriminator)
        value = rules[0][0].clauses[0].values
        if isinstance(chooser, Leaf) and value:
            title = _choice_text(chooser.schema, value[0])
    when = [
        {
            "test": [
                {
                    "field": scope + clause.key,
                    "values": None
                    if clause.values is None
                    else [v if isinstance(v, bool) else nfc(str(v)) for v in clause.values],
                    "required": clause.required,
                }
                for clause in condition.clauses
            ],
            "expect": expect,
        }
        for condition, expect in rules
    ]
    notes = [describe(group, condition, expect) for condition, expect in rules]
    note = str(messages.SHOWN_WHEN % {"condition": str(_(" and ")).join(notes)})
    return Section(title, note, json.dumps(when, ensure_ascii=False), prefix, rules)


def describe(group: Group, condition: Condition, expect: bool) -> str:
    """A rule's test in words: ``«Nộp thay» is «Yes»`` (or its negation)."""
    parts: list[str] = []
    for clause in condition.clauses:
        node = group.child(clause.key)
        label = node.title if node is not None else clause.key
        if clause.values is None:
            parts.append(str(messages.CLAUSE_ANSWERED % {"field": label}))
            continue
        schema = node.schema if isinstance(node, Leaf) else {}
        shown = str(_(" or ")).join(f"«{_choice_text(schema, value)}»" for value in clause.values)
        parts.append(str(messages.CLAUSE_IS % {"field": label, "values": shown}))
    text = str(_(" and ")).join(parts)
    return text if expect else str(messages.CLAUSE_NOT % {"condition": text})


def _choice_text(schema: Mapping[str, Any], value: Any) -> str:
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if schema.get("x-reference"):
        return reference_label(str(schema["x-reference"]), value) or str(value)
    values = schema.get("enum")
    names = schema.get("x-enumNames")
    if isinstance(values, list) and isinstance(names, list) and len(values) == len(names):
        for known, name in zip(values, names, strict=True):
            if known == value:
                return str(name)
    return str(value)


@dataclass
class Computed:
    """A value the server computes from the other answers, shown, never typed."""

    title: str
    text: str
    description: str
    is_group: ClassVar[bool] = False
    is_rows: ClassVar[bool] = False
    is_computed: ClassVar[bool] = True


@dataclass
class UnboundField:
    """A field rendered ahead of time (the empty row inside ``<template>``)."""

    html: str
    name: str
    is_group: ClassVar[bool] = False
    is_rows: ClassVar[bool] = False
    is_rendered: ClassVar[bool] = True


@dataclass
class Row:
    """One row of a repeating group: its fields and the button that removes it."""

    index: int
    title: str
    children: list[FieldGroup | BoundField]
    remove_action: str
    can_remove: bool


@dataclass
class RowsGroup:
    """A repeating group in the form's layout: its rows, the add button, an empty row for JS."""

    name: str
    title: str
    row_title: str
    description: str
    count: BoundField
    rows: list[Row]
    template: Row
    add_action: str
    can_add: bool
    min_items: int
    max_items: int | None
    is_group: ClassVar[bool] = False
    is_rows: ClassVar[bool] = True


class RowCountField(forms.IntegerField):
    """How many rows a repeating group has (a hidden input the row buttons change)."""

    def __init__(self, leaf: Leaf, **kwargs: Any) -> None:
        self.leaf = leaf
        super().__init__(widget=forms.HiddenInput, required=False, min_value=0, **kwargs)
        self.error_messages["invalid"] = messages.INVALID

    def clean(self, value: Any) -> int:
        count = super().clean(value) or 0
        if count == 0 and not self.leaf.always_required:
            return 0  # an optional group left out: its minimum applies only to rows given
        if count < self.leaf.min_items:
            raise ValidationError(
                messages.MIN_ITEMS, code="minItems", params={"limit_value": self.leaf.min_items}
            )
        if self.leaf.max_items is not None and count > self.leaf.max_items:
            raise ValidationError(
                messages.MAX_ITEMS, code="maxItems", params={"limit_value": self.leaf.max_items}
            )
        if count == 0 and self.leaf.always_required:
            raise ValidationError(messages.MIN_ITEMS, code="required", params={"limit_value": 1})
        return int(count)


def row_field_name(group: str, index: int | str, name: str) -> str:
    """``thanh_vien.0.ho_ten``: a row's field, named by its path in the document."""
    return f"{group}.{index}.{name}"


def _row_limit(leaf: Leaf) -> int:
    """At most one row past ``maxItems`` is shown (so its refusal can be seen), never more."""
    return MAX_ROWS if leaf.max_items is None else min(MAX_ROWS, leaf.max_items + 1)


def _initial_rows(leaf: Leaf) -> int:
    """A required group starts with its minimum of rows (at least one); an optional one with
    none (its ``minItems`` counts once a row is added)."""
    return max(leaf.min_items, 1) if leaf.always_required else 0


def _posted_count(leaf: Leaf, data: Mapping[str, Any], fallback: int) -> int:
    try:
        count = int(str(data.get(leaf.name, "")).strip())
    except ValueError:
        return fallback
    return max(0, count)


def _apply_row_action(
    data: Mapping[str, Any], rows: Mapping[str, Leaf]
) -> tuple[Mapping[str, Any], str | None]:
    """``data`` after the row button that was pressed (add a row, remove one and renumber
    the rows after it), and which group it changed; every typed value is kept."""
    action = str(data.get("action", ""))
    verb, _sep, rest = action.partition(":")
    if verb not in (ADD_ROW, REMOVE_ROW):
        return data, None
    name, _sep, position = rest.partition(":")
    leaf = rows.get(name)
    if leaf is None:
        return data, None
    changed = data.copy() if hasattr(data, "copy") else dict(data)
    count = min(_posted_count(leaf, data, _initial_rows(leaf)), _row_limit(leaf))

    def setlist(key: str, values: list[Any]) -> None:
        if hasattr(changed, "setlist"):
            changed.setlist(key, values)
        else:
            changed[key] = values[-1] if values else ""

    def getlist(key: str) -> list[Any]:
        if hasattr(data, "getlist"):
            return list(data.getlist(key))
        return [data[key]] if key in data else []

    if verb == ADD_ROW:
        if leaf.max_items is None or count < leaf.max_items:
            count = min(count + 1, _row_limit(leaf))
    else:
        try:
            removed = int(position)
        except ValueError:
            return data, None
        if not 0 <= removed < count:
            return data, None
        assert leaf.item_group is not None
        names = [item.name for item in leaf.item_group.leaves()]
        for index in range(removed, count):
            for item in names:
                target = row_field_name(leaf.name, index, item)
                source = row_field_name(leaf.name, index + 1, item)
                setlist(target, getlist(source) if index + 1 < count else [])
                if index + 1 >= count and target in changed:
                    del changed[target]
        count -= 1
    setlist(leaf.name, [str(count)])
    return changed, leaf.name


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
        answers: Mapping[str, Any] | None = None,
        person: Any = None,
        prefilled: Mapping[str, str] | None = None,
        **kwargs: Any,
    ) -> None:
        self.schema = schema
        #: Who fills it in: a person's list (``digital-address``) offers and accepts theirs.
        self.person = person
        self.tree = parse(schema)
        #: The document so far (a draft's other steps): the rules may test answers given there.
        self.answers: Mapping[str, Any] = answers or {}
        self.verdict: Verdict | None = None
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
        self.parents = _parents(self.tree)
        if wanted is not None and self.answers:
            # A rule that tests only answers of other steps is decided now: its hidden
            # fields are not part of this step at all.
            known = verdict(self.tree, self.answers)
            self.leaves = [
                leaf
                for leaf in self.leaves
                if not (known.is_hidden(leaf.name) and not self._tested_here(leaf, wanted))
            ]
        start: dict[str, Any] = {
            leaf.name: leaf.schema["default"]
            for leaf in self.leaves
            if "default" in leaf.schema and leaf.kind is not Kind.ROWS
        }
        start.update(self._flatten(initial or {}))
        rows = {leaf.name: leaf for leaf in self.leaves if leaf.kind is Kind.ROWS}
        #: The repeating group whose add/remove button was pressed: the form is shown again
        #: with every typed value and is not valid (nothing is saved on a row button).
        self.rows_changed: str | None = None
        if data is not None and rows:
            data, self.rows_changed = _apply_row_action(data, rows)
        self.row_counts: dict[str, int] = {}
        for leaf in rows.values():
            start.update(self._flatten_rows(leaf, start.pop(leaf.name, None)))
            count = start[leaf.name]
            if data is not None:
                count = _posted_count(leaf, data, count)
            self.row_counts[leaf.name] = min(count, _row_limit(leaf))
        kwargs.setdefault("label_suffix", "")
        super().__init__(data=data, initial=start, **kwargs)
        hints = autocomplete_hints(self.tree)
        for leaf in self.leaves:
            if leaf.computed:
                continue  # the server computes it: never an input
            if leaf.kind is Kind.ROWS:
                self.fields[leaf.name] = RowCountField(leaf, label=leaf.title)
                for index in range(self.row_counts[leaf.name]):
                    self.fields.update(self._row_fields(leaf, index))
                continue
            self.fields[leaf.name] = build_field(
                leaf, autocomplete=hints.get(leaf.name, ""), person=self.person
            )
        for name, form_field in self.fields.items():
            when = self._required_when(name)
            if when:
                form_field.help_text = f"{form_field.help_text} {when}".strip()
        #: Field name → where its pre-filled answer came from (``prefill.still_prefilled``):
        #: said in the field's hint, which the input names with aria-describedby.
        self.prefilled: dict[str, str] = {
            name: origin for name, origin in (prefilled or {}).items() if name in self.fields
        }
        for name, origin in self.prefilled.items():
            note = messages.PREFILLED_FROM % {"origin": origin}
            self.fields[name].help_text = f"{self.fields[name].help_text} {note}".strip()

    def _tested_here(self, leaf: Leaf, wanted: set[str]) -> bool:
        group, key = self.parents.get(leaf.name, (self.tree, leaf.key))
        prefix = f"{group.name}." if group.name else ""
        return any(
            prefix + clause.key in wanted
            for condition, _expect in group.visibility(key)
            for clause in condition.clauses
        )

    def _required_when(self, name: str) -> str:
        """ "Required when …" for a field a rule or ``dependentRequired`` may require."""
        parts = name.split(".")
        template_name = ".".join(p for p in parts if not p.isdigit() and p != "__row__")
        group, key = self.parents.get(template_name, (None, ""))
        if group is None:
            return ""
        said = [
            str(messages.REQUIRED_WHEN % {"condition": describe(group, condition, expect)})
            for condition, expect in group.required_when(key)
            if not group.discriminator
        ]
        for source, names in group.dependent_required.items():
            if key in names:
                node = group.child(source)
                label = node.title if node is not None else source
                said.append(str(messages.REQUIRED_WITH % {"field": label}))
        return " ".join(said)

    def _row_fields(self, leaf: Leaf, index: int | str) -> dict[str, forms.Field]:
        assert leaf.item_group is not None
        found: dict[str, forms.Field] = {}
        number = index + 1 if isinstance(index, int) else index
        for item in leaf.item_group.leaves():
            field = build_field(item, person=self.person)
            field.summary_label = f"{leaf.row_title} {number} – {item.title}"  # type: ignore[attr-defined]
            found[row_field_name(leaf.name, index, item.name)] = field
        return found

    def _flatten_rows(self, leaf: Leaf, rows: Any) -> dict[str, Any]:
        """Initial values of a repeating group's rows (a list of objects) by field name."""
        assert leaf.item_group is not None
        found: dict[str, Any] = {}
        listed = [row for row in rows if isinstance(row, Mapping)] if isinstance(rows, list) else []
        for index, row in enumerate(listed[: _row_limit(leaf)]):
            for name, value in initial_from_document(leaf.item_group, row).items():
                found[row_field_name(leaf.name, index, name)] = value
        found[leaf.name] = max(len(listed), _initial_rows(leaf))
        return found

    def full_clean(self) -> None:
        if self.rows_changed:
            # a row was added or removed: the form is shown again, not judged
            self._errors = ErrorDict()
            self.cleaned_data = {}
            return
        super().full_clean()

    def is_valid(self) -> bool:
        return not self.rows_changed and super().is_valid()

    def _clean_rows(self, cleaned: dict[str, Any]) -> None:
        """Each repeating group's rows as the JSON objects the document will hold."""
        for leaf in self.leaves:
            if leaf.kind is not Kind.ROWS or leaf.name in self.errors:
                continue
            assert leaf.item_group is not None
            built: list[dict[str, Any]] = []
            for index in range(self.row_counts[leaf.name]):
                prefix = f"{leaf.name}.{index}."
                row = {
                    key[len(prefix) :]: value
                    for key, value in cleaned.items()
                    if key.startswith(prefix)
                }
                built.append(to_json(leaf.item_group, row))
            if leaf.schema.get("uniqueItems") and len(set(map(repr, built))) != len(built):
                self.add_error(leaf.name, ValidationError(messages.UNIQUE_ITEMS))
                continue
            cleaned[leaf.name] = built

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
        self._clean_rows(cleaned)
        present = _present_groups(self.tree, cleaned)
        for leaf in self.leaves:
            if leaf.always_required or not leaf.required or leaf.name in self.errors:
                continue
            if leaf.computed:
                continue
            parent = ".".join(leaf.path[:-1])
            if parent in present and _is_empty(cleaned.get(leaf.name)):
                message = (
                    messages.REQUIRED_CHECKBOX if leaf.kind is Kind.BOOLEAN else messages.REQUIRED
                )
                self.add_error(leaf.name, ValidationError(message, code="required"))
        self._apply_rules(cleaned)
        return cleaned

    def _apply_rules(self, cleaned: dict[str, Any]) -> None:
        """The schema's conditions, decided on the answers (this step's and the draft's)."""
        others = drop(self.answers, {leaf.name for leaf in self.leaves})  # this step's are new
        document = merge_documents(others, to_json(self.tree, cleaned))
        self.verdict = verdict(self.tree, document)
        for name in list(self.errors):
            # a question the answers rule out and left empty (rows of a hidden group, their
            # row count): nothing to correct there
            if name and self.verdict.is_hidden(name) and self._left_empty(name):
                del self.errors[name]
        for name in list(self.fields):
            if name in self.errors or not self.verdict.is_hidden(name):
                continue
            if not _is_empty(cleaned.get(name)) and not isinstance(
                self.fields[name], RowCountField
            ):
                # sent for a question the other answers rule out: refused, never stored
                self.add_error(name, ValidationError(messages.NOT_APPLICABLE, code="hidden"))
        # cross-field rules, on the answers with the values the server computes
        for name, found in rule_errors(self.schema, with_computed(self.schema, document)).items():
            if name in self.fields and name not in self.errors:
                for message in found:
                    self.add_error(name, ValidationError(message, code="rule"))
        for name in sorted(self.verdict.required):
            targets = [name] if name in self.fields else []
            if not targets:  # a whole object is required: its fields say so
                targets = [f for f in self.fields if f.startswith(name + ".")][:1]
                if any(
                    not _is_empty(cleaned.get(f)) for f in self.fields if f.startswith(name + ".")
                ):
                    continue
            for target in targets:
                if target in self.errors or not _is_empty(cleaned.get(target)):
                    continue
                boolean = isinstance(self.fields[target], forms.BooleanField)
                required = messages.REQUIRED_CHECKBOX if boolean else messages.REQUIRED
                self.add_error(target, ValidationError(required, code="required"))

    def _left_empty(self, name: str) -> bool:
        field = self.fields.get(name)
        if field is None:
            return True
        if isinstance(field, RowCountField):
            return True  # the rows say what was typed
        raw = self[name].data
        return raw in (None, "", [], ()) or (isinstance(raw, str) and not raw.strip())

    def to_json(self, cleaned_data: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """The JSON document of this form's (or the given) cleaned data, without the
        (empty) answers of fields the rules hide."""
        document = to_json(self.tree, self.cleaned_data if cleaned_data is None else cleaned_data)
        if self.verdict is not None:
            document = drop(document, self.verdict.hidden)
        if self.step_index is None:
            document = with_computed(self.schema, document)
        return document

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

        return self._walk(self.tree, "")

    def _walk(self, group: Group, prefix: str) -> list[Any]:
        items: list[Any] = []
        section: Section | None = None
        for child in group.children:
            node: Any = None
            if isinstance(child, Group):
                inner = self._walk(child, prefix)
                if inner:
                    node = FieldGroup(child.name, child.title, child.description, inner)
            elif child.computed and any(child is leaf for leaf in self.leaves):
                node = Computed(child.title, self._computed_text(child), child.description)
            elif child.kind is Kind.ROWS and prefix + child.name in self.fields:
                node = self._rows_group(child)
            elif prefix + child.name in self.fields:
                node = self[prefix + child.name]
            if node is None:
                continue
            rules = group.visibility(child.key)
            if not rules:
                section = None
                items.append(node)
                continue
            if section is None or section.rules != rules:
                section = _section(group, rules, prefix)
                items.append(section)
            section.children.append(node)
        return items

    def _computed_text(self, leaf: Leaf) -> str:
        """The computed value as last saved (the server computes it again on every save)."""
        value = self.initial.get(leaf.name)
        if value is None or value == "":
            return "—"
        return str(show_number(value))

    def _row(self, leaf: Leaf, index: int | str, count: int) -> Row:
        assert leaf.item_group is not None
        number = index + 1 if isinstance(index, int) else index
        return Row(
            index=index if isinstance(index, int) else -1,
            title=f"{leaf.row_title} {number}",
            children=self._walk(leaf.item_group, f"{leaf.name}.{index}."),
            remove_action=f"{REMOVE_ROW}:{leaf.name}:{index}",
            can_remove=count > leaf.min_items,
        )

    def _rows_group(self, leaf: Leaf) -> RowsGroup:
        if self.is_bound:
            self.errors  # noqa: B018 - judged before the empty row's fields exist
        count = self.row_counts[leaf.name]
        # The empty row JavaScript copies when a row is added (``__row__`` is its number).
        template_fields = self._row_fields(leaf, "__row__")
        for name, row_field in template_fields.items():
            self.fields[name] = row_field
        template = self._row(leaf, "__row__", count + 1)
        template.children = [self._unbound(child) for child in template.children]
        for name in template_fields:
            del self.fields[name]
        return RowsGroup(
            name=leaf.name,
            title=leaf.title,
            row_title=leaf.row_title,
            description=leaf.description,
            count=self[leaf.name],
            rows=[self._row(leaf, index, count) for index in range(count)],
            template=template,
            add_action=f"{ADD_ROW}:{leaf.name}",
            can_add=leaf.max_items is None or count < leaf.max_items,
            min_items=leaf.min_items,
            max_items=leaf.max_items,
        )

    def _unbound(self, node: Any) -> Any:
        """An empty row's field as HTML now (it is not one of the form's fields)."""
        if isinstance(node, FieldGroup | Section):
            node.children = [self._unbound(child) for child in node.children]
            return node
        return UnboundField(render_to_string("eforms/field.html", {"field": node}), node.name)

    @property
    def has_required_fields(self) -> bool:
        return any(f.required for f in self.fields.values())
