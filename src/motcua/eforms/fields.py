"""Django form fields for e-form properties, and the number parsing they share.

People in Việt Nam write ``1.500.000`` for one and a half million and ``12,5`` for twelve and a
half; Django's own ``IntegerField`` would read ``"1.000"`` as 1. These fields read both the
Vietnamese and the English conventions, refuse what is ambiguous in neither, and show numbers
back in the active language so a value re-submitted from a re-rendered form keeps its meaning.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any, Final

from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import get_format

from . import messages

#: More digits than this is not a number anyone types into a form.
MAX_DIGITS: Final = 30

_SPACES: Final = " \u00a0\u202f\u2009"
_NUMBER_SHAPE: Final = re.compile(rf"[0-9]+(?:[.,{_SPACES}][0-9]+)*")


def nfc(value: str) -> str:
    """Vietnamese text in one Unicode form: ``Nữ`` typed on some keyboards is decomposed."""
    return unicodedata.normalize("NFC", value)


def parse_number(text: str, *, integer: bool, decimal_separator: str | None = None) -> Decimal:
    """Read a number as typed by a person; :class:`ValueError` when it cannot be read safely.

    Spaces always group thousands. With both ``.`` and ``,`` present, the last one is the
    decimal mark. A mark used more than once groups thousands. A single mark followed by exactly
    three digits (``1.500``) groups thousands in a whole-number field; in a decimal field it is
    read with the active language's convention (Vietnamese: ``1.500`` is 1500, ``1,5`` is 1.5).
    """
    value = text.strip().replace("\u2212", "-")
    sign = ""
    if value and value[0] in "+-":
        sign, value = ("-" if value[0] == "-" else ""), value[1:].lstrip()
    if not _NUMBER_SHAPE.fullmatch(value):
        raise ValueError("not a number")
    decimal_separator = decimal_separator or str(get_format("DECIMAL_SEPARATOR"))
    for space in _SPACES:
        value = value.replace(space, "_")
    marks = [char for char in value if char in ".,"]
    decimal_mark: str | None = None
    if len(set(marks)) == 2:
        decimal_mark = marks[-1]
        if marks.count(decimal_mark) != 1:
            raise ValueError("ambiguous separators")
    elif len(marks) == 1:
        head, tail = value.split(marks[0])
        groups_thousands = len(tail) == 3 and head.replace("_", "") not in {"0", ""}
        if not groups_thousands or (not integer and marks[0] == decimal_separator):
            decimal_mark = marks[0]
    whole, _, fraction = value.partition(decimal_mark) if decimal_mark else (value, "", "")
    if "_" in fraction or any(char in fraction for char in ".,"):
        raise ValueError("grouped decimals")
    groups = re.split(r"[._,]", whole)
    if len(groups) > 1 and (
        not 1 <= len(groups[0]) <= 3 or any(len(group) != 3 for group in groups[1:])
    ):
        raise ValueError("thousands must be grouped by three")
    digits = "".join(groups)
    if len(digits) + len(fraction) > MAX_DIGITS:
        raise ValueError("too many digits")
    if integer and fraction.strip("0"):
        raise ValueError("not a whole number")
    if integer:
        fraction = ""
    try:
        return Decimal(f"{sign}{digits}.{fraction}" if fraction else f"{sign}{digits}")
    except InvalidOperation as exc:  # pragma: no cover - the shape check above prevents it
        raise ValueError("not a number") from exc


def show_number(value: Any) -> Any:
    """A number as the active language writes it, without grouping (``12,5`` in Vietnamese)."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return value
    return messages.format_number(value)


class TextField(forms.CharField):
    """Text, stripped and in Unicode NFC."""

    def to_python(self, value: Any) -> str | None:
        text = super().to_python(value)
        return nfc(text) if isinstance(text, str) else text


class EmailTextField(forms.EmailField):
    def to_python(self, value: Any) -> str | None:
        text = super().to_python(value)
        return nfc(text) if isinstance(text, str) else text


class ChoiceField(forms.TypedChoiceField):
    """One value from an ``enum``; the choice is matched after NFC normalisation."""

    def to_python(self, value: Any) -> str:
        text = super().to_python(value)
        return nfc(text.strip()) if isinstance(text, str) else text


class MultiChoiceField(forms.TypedMultipleChoiceField):
    def to_python(self, value: Any) -> list[str]:
        values = super().to_python(value)
        return [nfc(str(item).strip()) for item in values]


class NumberField(forms.Field):
    """A whole or decimal number typed as text (``inputmode`` brings up the number keypad)."""

    widget = forms.TextInput

    def __init__(self, *, integer: bool, **kwargs: Any) -> None:
        self.integer = integer
        kwargs.setdefault(
            "error_messages",
            {"invalid": messages.INTEGER_INVALID if integer else messages.NUMBER_INVALID},
        )
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> int | Decimal | None:
        if isinstance(value, str):
            value = value.strip()
        if value in self.empty_values:
            return None
        if isinstance(value, bool):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        if isinstance(value, int | Decimal):
            number = Decimal(value)
        elif isinstance(value, float):
            number = Decimal(str(value))
        else:
            try:
                number = parse_number(str(value), integer=self.integer)
            except ValueError as exc:
                raise ValidationError(self.error_messages["invalid"], code="invalid") from exc
        if self.integer:
            if number != number.to_integral_value():
                raise ValidationError(self.error_messages["invalid"], code="invalid")
            return int(number)
        # JSON numbers are binary floats: check the value the document will hold.
        return Decimal(repr(float(number)))

    def prepare_value(self, value: Any) -> Any:
        return show_number(value)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs["inputmode"] = "numeric" if self.integer else "decimal"
        attrs.setdefault("spellcheck", "false")
        return attrs


class LinesField(forms.Field):
    """A list of texts, one per line; each line is cleaned by ``item_field``."""

    widget = forms.Textarea

    def __init__(
        self,
        *,
        item_field: forms.Field,
        list_validators: Sequence[Callable[[list[Any]], None]] = (),
        **kwargs: Any,
    ) -> None:
        self.item_field = item_field
        self.list_validators = list(list_validators)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> list[str]:
        if value in self.empty_values:
            return []
        if isinstance(value, list | tuple):
            lines = [str(item) for item in value]
        else:
            lines = str(value).splitlines()
        return [nfc(line.strip()) for line in lines if line.strip()]

    def validate(self, value: Any) -> None:
        if self.required and not value:
            raise ValidationError(self.error_messages["required"], code="required")

    def clean(self, value: Any) -> list[Any]:
        lines = self.to_python(value)
        self.validate(lines)
        cleaned: list[Any] = []
        errors: list[ValidationError] = []
        for number, line in enumerate(lines, start=1):
            try:
                cleaned.append(self.item_field.clean(line))
            except ValidationError as exc:
                errors.extend(
                    ValidationError(messages.LINE % {"number": number, "message": message})
                    for message in exc.messages
                )
        if errors:
            raise ValidationError(errors)
        for validator in self.list_validators:
            validator(cleaned)
        self.run_validators(cleaned)
        return cleaned

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return "\n".join(str(self.item_field.prepare_value(item)) for item in value)
        return value

    def has_changed(self, initial: Any, data: Any) -> bool:
        return self.to_python(initial) != self.to_python(data)


#: What the list box of a person's list offers when a code is typed instead.
NO_CHOICE: Final = ""


class PersonalChoiceWidget(forms.MultiWidget):
    """A person's own values in a list box, and a box to type another value's code (a plain
    form: nothing needs JavaScript). Posted as ``<name>_0`` (typed) and ``<name>_1`` (chosen):
    the typed box is always there, so links to the field (``…_0``) always find it."""

    template_name = "eforms/widgets/personal_choice.html"
    use_fieldset = True

    def __init__(
        self,
        own: Sequence[tuple[str, str]],
        *,
        choose_label: Any,
        code_label: Any,
        attrs: dict[str, Any] | None = None,
    ) -> None:
        self.own = [value for value, _label in own]
        self.choose_label = choose_label
        self.code_label = code_label
        choices = [(NO_CHOICE, str(messages.CHOOSE_OR_TYPE)), *own]
        typed = {"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false"}
        super().__init__([forms.TextInput(typed), forms.Select(choices=choices)], attrs)

    def decompress(self, value: Any) -> list[str]:
        if not value:
            return ["", NO_CHOICE]
        return ["", str(value)] if str(value) in self.own else [str(value), NO_CHOICE]

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"].update(
            has_own=bool(self.own),
            choose_label=self.choose_label,
            code_label=self.code_label,
        )
        return context


class PersonalChoiceField(forms.Field):
    """An answer from a person's list: one of theirs, or a value they typed, kept only when
    ``find(person, value)`` gives it back (``refusal`` beside the field otherwise)."""

    def __init__(
        self,
        *,
        own: Sequence[tuple[str, str]],
        find: Callable[[str], Any],
        refusal: Any,
        choose_label: Any,
        code_label: Any,
        attrs: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        self.find = find
        self.refusal = refusal
        kwargs.setdefault(
            "widget",
            PersonalChoiceWidget(
                own, choose_label=choose_label, code_label=code_label, attrs=attrs
            ),
        )
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> str | None:
        if isinstance(value, list | tuple):
            typed = str(value[0] or "").strip() if value else ""
            chosen = str(value[1] or "").strip() if len(value) > 1 else ""
            value = typed or chosen  # a typed code wins: the person wanted another
        text = nfc(str(value or "")).strip()
        return text or None

    def clean(self, value: Any) -> Any:
        cleaned = super().clean(value)  # "required" when nothing is chosen or typed
        if cleaned is None:
            return None
        found = self.find(cleaned)
        if found is None:  # unknown, or not this person's to choose: one message for both
            raise ValidationError(str(self.refusal), code="not_yours")
        return found.value
