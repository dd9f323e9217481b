"""The builder's forms: a field of a chosen kind, a step, a condition, a cross-field rule.

Each form turns what the author picked into the JSON Schema ``design`` writes (``to_schema``)
and, for editing, back (``initial_for``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.eforms.references import PERSONAL_LISTS, REFERENCE_LISTS

from .design import Node, key_from_label
from .kinds import FieldKind

_NUMBER_KINDS = ("integer", "number")


class StepForm(forms.Form):
    title = forms.CharField(label=_("Title of the step"), max_length=200)


def _parse_options(text: str) -> tuple[list[str], list[str]]:
    """Lines ``Nam`` or ``nam = Nam`` → (values, labels)."""
    values: list[str] = []
    labels: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        value, sep, label = line.partition("=")
        if sep:
            value, label = value.strip(), label.strip()
        else:
            label = line
            value = key_from_label(line, set(values))
        if not value or not label:
            raise forms.ValidationError(_("Each line is «Label» or «value = Label»."))
        if value in values:
            raise forms.ValidationError(
                _("The value «%(value)s» is on two lines.") % {"value": value}
            )
        values.append(value)
        labels.append(label)
    if len(values) < 2:
        raise forms.ValidationError(_("Give at least two options, one per line."))
    return values, labels


def _options_text(schema: Mapping[str, Any]) -> str:
    values = list(schema.get("enum", []))
    labels = list(schema.get("x-enumNames", values))
    return "\n".join(f"{value} = {label}" for value, label in zip(values, labels, strict=False))


class FieldForm(forms.Form):
    """One field of the e-form. Which inputs it shows depends on the kind (chosen before)."""

    title = forms.CharField(label=_("Label the citizen reads"), max_length=300)
    key = forms.SlugField(
        label=_("Key in the answers"),
        max_length=63,
        required=False,
        help_text=_("Left empty, it is made from the label (Họ và tên → ho_va_ten)."),
    )
    description = forms.CharField(
        label=_("Help text under the field"), max_length=1000, required=False
    )
    required = forms.BooleanField(label=_("Must be answered"), required=False)

    def __init__(
        self,
        *args: Any,
        kind: FieldKind,
        siblings: list[Node],
        editing: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.siblings = [node for node in siblings if node.key != editing]
        if editing:
            self.fields["key"].disabled = True
            self.fields["key"].help_text = _("The key of a published field stays as it is.")
        if kind in (FieldKind.TEXT, FieldKind.TEXTAREA):
            self.fields["min_length"] = forms.IntegerField(
                label=_("At least (characters)"), min_value=0, max_value=10000, required=False
            )
            self.fields["max_length"] = forms.IntegerField(
                label=_("At most (characters)"), min_value=1, max_value=10000, required=False
            )
        if kind is FieldKind.TEXT:
            self.fields["pattern"] = forms.CharField(
                label=_("Pattern (regular expression)"),
                max_length=200,
                required=False,
                help_text=_(r"E.g. ^\d{12}$ for a 12-digit citizen ID number."),
            )
        if kind in (FieldKind.INTEGER, FieldKind.NUMBER):
            self.fields["minimum"] = forms.DecimalField(label=_("Smallest value"), required=False)
            self.fields["maximum"] = forms.DecimalField(label=_("Largest value"), required=False)
        if kind in (FieldKind.CHOICE, FieldKind.MULTI_CHOICE):
            self.fields["options"] = forms.CharField(
                label=_("Options, one per line"),
                widget=forms.Textarea(attrs={"rows": 5}),
                help_text=_("«Label», or «value = Label» to fix the value stored."),
            )
        if kind is FieldKind.REFERENCE:
            self.fields["reference"] = forms.ChoiceField(
                label=_("List"),
                # the platform's lists, and the persons' own (a digital address, ``addresses``)
                choices=[(name, ref.title) for name, ref in REFERENCE_LISTS.items()]
                + [(name, mine.title) for name, mine in PERSONAL_LISTS.items()],
            )
        if kind is FieldKind.ROWS:
            self.fields["row_title"] = forms.CharField(
                label=_("What one row is called"), max_length=200, help_text=_("E.g. Thành viên.")
            )
            self.fields["min_items"] = forms.IntegerField(
                label=_("At least (rows)"), min_value=0, max_value=100, required=False
            )
            self.fields["max_items"] = forms.IntegerField(
                label=_("At most (rows)"), min_value=1, max_value=100, required=False
            )
        if kind is FieldKind.COMPUTED:
            self._computed_fields()

    def _computed_fields(self) -> None:
        dates = [(n.key, n.title) for n in self.siblings if n.schema.get("format") == "date"]
        numbers = [
            (n.key, n.title)
            for n in self.siblings
            if n.schema.get("type") in _NUMBER_KINDS and "x-computed" not in n.schema
        ]
        self.fields["operation"] = forms.ChoiceField(
            label=_("Computed as"),
            choices=[
                ("age", _("Age in whole years from a date")),
                ("multiply", _("A number times an amount (e.g. copies × fee)")),
                ("sum", _("The sum of numbers")),
            ],
            widget=forms.RadioSelect,
        )
        self.fields["age_from"] = forms.ChoiceField(
            label=_("Date of birth field (age)"), choices=[("", "—"), *dates], required=False
        )
        self.fields["age_on"] = forms.ChoiceField(
            label=_("Age on (date field; empty: today)"),
            choices=[("", _("today")), *dates],
            required=False,
        )
        self.fields["factor_field"] = forms.ChoiceField(
            label=_("Number field (multiply)"), choices=[("", "—"), *numbers], required=False
        )
        self.fields["factor"] = forms.DecimalField(
            label=_("Times (multiply)"), required=False, help_text=_("E.g. 8000 đồng a copy.")
        )
        self.fields["addends"] = forms.MultipleChoiceField(
            label=_("Numbers to add (sum)"),
            choices=numbers,
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )

    # --- from the form to the schema --------------------------------------------------------

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if "options" in cleaned:
            try:
                cleaned["option_values"], cleaned["option_labels"] = _parse_options(
                    cleaned["options"]
                )
            except forms.ValidationError as error:
                self.add_error("options", error)
        low, high = cleaned.get("min_length"), cleaned.get("max_length")
        if low is not None and high is not None and low > high:
            self.add_error("max_length", _("At most must not be less than at least."))
        low, high = cleaned.get("minimum"), cleaned.get("maximum")
        if low is not None and high is not None and low > high:
            self.add_error("maximum", _("The largest value must not be below the smallest."))
        low, high = cleaned.get("min_items"), cleaned.get("max_items")
        if low is not None and high is not None and low > high:
            self.add_error("max_items", _("At most must not be less than at least."))
        if self.kind is FieldKind.COMPUTED:
            self._clean_computed(cleaned)
        return cleaned

    def _clean_computed(self, cleaned: dict[str, Any]) -> None:
        operation = cleaned.get("operation")
        if operation == "age" and not cleaned.get("age_from"):
            self.add_error("age_from", _("Choose the date the age is counted from."))
        if operation == "multiply":
            if not cleaned.get("factor_field"):
                self.add_error("factor_field", _("Choose the number to multiply."))
            if cleaned.get("factor") is None:
                self.add_error("factor", _("Give the amount to multiply by."))
        if operation == "sum" and len(cleaned.get("addends") or []) < 2:
            self.add_error("addends", _("Choose at least two numbers to add."))

    def key_for(self, taken: set[str]) -> str:
        return self.cleaned_data.get("key") or key_from_label(self.cleaned_data["title"], taken)

    def to_schema(self) -> dict[str, Any]:
        data = self.cleaned_data
        kind = self.kind
        field: dict[str, Any] = {"title": data["title"]}
        if data.get("description"):
            field["description"] = data["description"]
        if kind in (FieldKind.TEXT, FieldKind.TEXTAREA):
            field["type"] = "string"
            if kind is FieldKind.TEXTAREA:
                field["x-widget"] = "textarea"
            for name, keyword in (
                ("min_length", "minLength"),
                ("max_length", "maxLength"),
                ("pattern", "pattern"),
            ):
                if data.get(name) not in (None, ""):
                    field[keyword] = data[name]
            if data.get("required") and "minLength" not in field:
                field["minLength"] = 1
        elif kind in (FieldKind.DATE, FieldKind.DATETIME, FieldKind.EMAIL):
            formats = {FieldKind.DATE: "date", FieldKind.DATETIME: "date-time"}
            field |= {"type": "string", "format": formats.get(kind, "email")}
        elif kind in (FieldKind.INTEGER, FieldKind.NUMBER):
            field["type"] = "integer" if kind is FieldKind.INTEGER else "number"
            for name in ("minimum", "maximum"):
                if data.get(name) is not None:
                    field[name] = _plain(data[name], integer=kind is FieldKind.INTEGER)
        elif kind is FieldKind.YES_NO:
            field["type"] = "boolean"
        elif kind is FieldKind.DECLARATION:
            field |= {"type": "boolean", "const": True}
        elif kind is FieldKind.CHOICE:
            field |= {
                "type": "string",
                "enum": data["option_values"],
                "x-enumNames": data["option_labels"],
            }
        elif kind is FieldKind.MULTI_CHOICE:
            field |= {
                "type": "array",
                "uniqueItems": True,
                "items": {
                    "type": "string",
                    "enum": data["option_values"],
                    "x-enumNames": data["option_labels"],
                },
            }
        elif kind is FieldKind.LINES:
            field |= {"type": "array", "items": {"type": "string", "minLength": 1}}
        elif kind is FieldKind.REFERENCE:
            field |= {"type": "string", "x-reference": data["reference"]}
        elif kind is FieldKind.ROWS:
            field |= {
                "type": "array",
                "items": {
                    "type": "object",
                    "title": data["row_title"],
                    "properties": {},
                    "required": [],
                },
            }
            if data.get("min_items") is not None:
                field["minItems"] = data["min_items"]
            if data.get("max_items") is not None:
                field["maxItems"] = data["max_items"]
        elif kind is FieldKind.GROUP:
            field |= {"type": "object", "properties": {}, "required": []}
        elif kind is FieldKind.COMPUTED:
            field |= {"type": "integer", "x-computed": self._computation()}
        return field

    def _computation(self) -> dict[str, Any]:
        data = self.cleaned_data
        if data["operation"] == "age":
            found: dict[str, Any] = {"age": data["age_from"]}
            if data.get("age_on"):
                found["on"] = data["age_on"]
            return found
        if data["operation"] == "multiply":
            return {"multiply": [data["factor_field"], _plain(data["factor"], integer=False)]}
        return {"sum": list(data["addends"])}


def _plain(value: Any, *, integer: bool) -> int | float:
    if integer or value == value.to_integral_value():
        return int(value)
    return float(value)


def initial_for(schema: Mapping[str, Any], *, key: str, required: bool) -> dict[str, Any]:
    """What a FieldForm shows for a field already in the form."""
    initial: dict[str, Any] = {
        "title": schema.get("title", key),
        "key": key,
        "description": schema.get("description", ""),
        "required": required,
        "min_length": schema.get("minLength"),
        "max_length": schema.get("maxLength"),
        "pattern": schema.get("pattern", ""),
        "minimum": schema.get("minimum"),
        "maximum": schema.get("maximum"),
        "reference": schema.get("x-reference", ""),
        "min_items": schema.get("minItems"),
        "max_items": schema.get("maxItems"),
    }
    items: Mapping[str, Any] = schema["items"] if isinstance(schema.get("items"), Mapping) else {}
    if "enum" in schema:
        initial["options"] = _options_text(schema)
    elif "enum" in items:
        initial["options"] = _options_text(items)
    if items.get("type") == "object":
        initial["row_title"] = items.get("title", "")
    computed = schema.get("x-computed")
    if isinstance(computed, Mapping):
        if "age" in computed:
            initial |= {"operation": "age", "age_from": computed["age"]}
            initial["age_on"] = computed.get("on", "")
        elif "multiply" in computed:
            names = [x for x in computed["multiply"] if isinstance(x, str)]
            numbers = [x for x in computed["multiply"] if not isinstance(x, str)]
            initial |= {"operation": "multiply", "factor_field": (names or [""])[0]}
            initial["factor"] = (numbers or [None])[0]
        elif "sum" in computed:
            initial |= {"operation": "sum", "addends": list(computed["sum"])}
    return initial


class ConditionForm(forms.Form):
    """ "When «field» is «value», show these fields and require these" (same group)."""

    def __init__(self, *args: Any, siblings: list[Node], tested: Node | None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        testable = [n for n in siblings if _testable(n)]
        self.fields["field"] = forms.ChoiceField(
            label=_("When the answer to"),
            choices=[(n.key, n.title) for n in testable],
            help_text=_("A field of the same group."),
        )
        self.tested = tested
        if tested is None:
            return
        self.fields["field"].initial = tested.key
        others = [(n.key, n.title) for n in siblings if n.key != tested.key]
        self.fields["value"] = forms.ChoiceField(
            label=_("is"), choices=_values_of(tested.schema), widget=forms.RadioSelect
        )
        self.fields["shown"] = forms.MultipleChoiceField(
            label=_("show these fields (hidden otherwise)"),
            choices=others,
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )
        self.fields["required"] = forms.MultipleChoiceField(
            label=_("and require these answers"),
            choices=others,
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.tested is not None and not cleaned.get("shown") and not cleaned.get("required"):
            raise forms.ValidationError(_("Choose the fields the condition shows or requires."))
        return cleaned

    @property
    def answered(self) -> bool:
        """The condition is "the field has an answer", whatever it is."""
        return bool(self.cleaned_data["value"] == ANSWERED)

    def value(self) -> Any:
        raw = self.cleaned_data["value"]
        assert self.tested is not None
        if raw == ANSWERED:
            return None
        if self.tested.schema.get("type") == "boolean":
            return raw == "true"
        return raw


#: The value of the condition form's choice "is answered (any answer)".
ANSWERED = "$answered"


def _testable(node: Node) -> bool:
    """A field a condition can test: any single answer (not a group, a list or a computed)."""
    kind = node.schema.get("type")
    if node.is_group or kind == "array" or "x-computed" in node.schema:
        return False
    return not (kind == "boolean" and "const" in node.schema)


def _values_of(schema: Mapping[str, Any]) -> list[tuple[str, str]]:
    if schema.get("type") == "boolean":
        return [("true", str(_("Yes"))), ("false", str(_("No")))]
    values = list(schema.get("enum", []))
    labels = list(schema.get("x-enumNames", values))
    found = [(str(v), str(label)) for v, label in zip(values, labels, strict=False)]
    return [*found, (ANSWERED, str(_("answered (any answer)")))]


class RuleForm(forms.Form):
    """A check across two fields of the same group (dates or numbers)."""

    OPERATORS = [
        ("<", _("is before / less than")),
        ("<=", _("is not after / not more than")),
        (">", _("is after / more than")),
        (">=", _("is not before / not less than")),
        ("==", _("equals")),
        ("!=", _("differs from")),
    ]

    def __init__(self, *args: Any, siblings: list[Node], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        comparable = [
            (n.key, n.title)
            for n in siblings
            if n.schema.get("format") == "date" or n.schema.get("type") in _NUMBER_KINDS
        ]
        self.fields["left"] = forms.ChoiceField(label=_("The answer to"), choices=comparable)
        self.fields["op"] = forms.ChoiceField(
            label=_("must be such that it"), choices=self.OPERATORS
        )
        self.fields["right"] = forms.ChoiceField(
            label=_("the answer to (or today)"), choices=[("$today", _("today")), *comparable]
        )
        self.fields["message_vi"] = forms.CharField(
            label=_("Message shown when it does not hold (Vietnamese)"),
            max_length=300,
            required=False,
        )
        self.fields["message_en"] = forms.CharField(
            label=_("Message (English)"), max_length=300, required=False
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("left") and cleaned.get("left") == cleaned.get("right"):
            raise forms.ValidationError(_("Compare two different answers."))
        return cleaned
