"""The kinds of field an author picks from, and the JSON Schema each one writes.

A kind is what the author sees ("Ngày", "Chọn một", "Nhóm lặp lại"); ``kind_of`` reads a
property back into its kind so that a schema written by hand, or by an earlier builder, opens
for editing.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

from motcua.eforms.schema import TEXTAREA_MIN_LENGTH


class FieldKind(enum.StrEnum):
    TEXT = "text"
    TEXTAREA = "textarea"
    DATE = "date"
    DATETIME = "datetime"
    EMAIL = "email"
    INTEGER = "integer"
    NUMBER = "number"
    YES_NO = "yes_no"
    DECLARATION = "declaration"
    CHOICE = "choice"
    MULTI_CHOICE = "multi_choice"
    LINES = "lines"
    REFERENCE = "reference"
    ROWS = "rows"
    GROUP = "group"
    COMPUTED = "computed"


LABELS: dict[FieldKind, Any] = {
    FieldKind.TEXT: _("Short text"),
    FieldKind.TEXTAREA: _("Long text"),
    FieldKind.DATE: _("Date"),
    FieldKind.DATETIME: _("Date and time"),
    FieldKind.EMAIL: _("E-mail address"),
    FieldKind.INTEGER: _("Whole number"),
    FieldKind.NUMBER: _("Number with decimals"),
    FieldKind.YES_NO: _("Yes / no"),
    FieldKind.DECLARATION: _("Box that must be ticked (declaration)"),
    FieldKind.CHOICE: _("Choose one"),
    FieldKind.MULTI_CHOICE: _("Choose several"),
    FieldKind.LINES: _("List, one item per line"),
    FieldKind.REFERENCE: _("Choose from the platform's list (wards, agencies, …)"),
    FieldKind.ROWS: _("Repeating group (a row per person or item)"),
    FieldKind.GROUP: _("Group of fields"),
    FieldKind.COMPUTED: _("Computed value (age, fee …)"),
}

HINTS: dict[FieldKind, Any] = {
    FieldKind.ROWS: _("E.g. the members of a household, the co-owners of a plot."),
    FieldKind.COMPUTED: _("Worked out by the server from other answers; never typed."),
    FieldKind.REFERENCE: _("The list stays up to date, e.g. wards after the 2025 reorganisation."),
}

#: Kinds a field of a repeating group's row may have (a row holds no group).
ROW_KINDS = [kind for kind in FieldKind if kind not in (FieldKind.ROWS, FieldKind.GROUP)]


def kind_of(schema: Mapping[str, Any]) -> FieldKind:
    """The kind an author would have picked to write ``schema``."""
    if "x-computed" in schema:
        return FieldKind.COMPUTED
    kind = schema.get("type")
    if kind == "object":
        return FieldKind.GROUP
    if kind == "array":
        items: Mapping[str, Any] = (
            schema["items"] if isinstance(schema.get("items"), Mapping) else {}
        )
        if items.get("type") == "object":
            return FieldKind.ROWS
        return FieldKind.MULTI_CHOICE if "enum" in items else FieldKind.LINES
    if kind == "boolean":
        return FieldKind.DECLARATION if schema.get("const") is True else FieldKind.YES_NO
    if kind == "integer":
        return FieldKind.INTEGER
    if kind == "number":
        return FieldKind.NUMBER
    if schema.get("x-reference"):
        return FieldKind.REFERENCE
    if "enum" in schema:
        return FieldKind.CHOICE
    formats = {"date": FieldKind.DATE, "date-time": FieldKind.DATETIME, "email": FieldKind.EMAIL}
    if schema.get("format") in formats:
        return formats[schema["format"]]
    if schema.get("x-widget") == "textarea" or schema.get("maxLength", 0) >= TEXTAREA_MIN_LENGTH:
        return FieldKind.TEXTAREA
    return FieldKind.TEXT
