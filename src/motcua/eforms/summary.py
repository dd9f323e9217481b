"""A filled e-form as a person reads it: each answer with its label, in the form's order.

::

    for label, shown in summary(schema, document): ...

Dates are written day first (dd/mm/yyyy), yes/no and lists in words, numbers as the active
language writes them; a field left empty is left out.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Mapping
from typing import Any

from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from .conditions import Verdict, verdict
from .display import choice_label
from .fields import show_number
from .schema import Kind, Leaf, parse, steps_for


def _value_at(document: Mapping[str, Any], leaf: Leaf) -> Any:
    value: Any = document
    for key in leaf.path:
        if not isinstance(value, Mapping) or key not in value:
            return None
        value = value[key]
    return value


def shown_value(leaf: Leaf, value: Any) -> str:
    """One answer as text for a person."""
    if isinstance(value, list):
        item = leaf.item_leaf()
        return "; ".join(shown_value(item, one) for one in value)
    if leaf.kind is Kind.CHOICE and not isinstance(value, bool):
        return choice_label(leaf.schema, value)  # a reference list's or an alternative's name
    if leaf.kind is Kind.BOOLEAN or isinstance(value, bool):
        return _("Yes") if value else _("No")
    if leaf.kind is Kind.DATE and isinstance(value, str):
        day = parse_date(value)
        return day.strftime("%d/%m/%Y") if day else value
    if leaf.kind is Kind.DATETIME and isinstance(value, str):
        moment = parse_datetime(value)
        return moment.strftime("%d/%m/%Y %H:%M") if moment else value
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return str(show_number(value))


def summary(schema: Mapping[str, Any], document: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """(label, shown value) of every answered field of ``document``, in the order the form
    asks them (its steps: ``x-steps`` when declared; a database may reorder the schema's
    keys, the steps are what the applicant saw)."""
    if not schema:
        return
    root = parse(schema)
    hidden = verdict(root, document)
    for step in steps_for(root):
        for name in step.field_names:
            leaf = root.find(name)
            if isinstance(leaf, Leaf) and not hidden.is_hidden(leaf.name):
                yield from _answered(leaf, document, hidden)


def _answered(
    leaf: Leaf, document: Mapping[str, Any], hidden: Verdict, prefix: str = "", heading: str = ""
) -> Iterator[tuple[str, str]]:
    value = _value_at(document, leaf)
    if value is None or value == "" or value == []:
        return
    label = f"{heading} – {leaf.title}" if heading else leaf.title
    if leaf.kind is Kind.ROWS and leaf.item_group is not None and isinstance(value, list):
        # each row's answers under the row's name: "Thành viên 2 – Họ và tên"
        for index, row in enumerate(value):
            if not isinstance(row, Mapping):
                continue
            where = f"{prefix}{leaf.name}.{index}."
            for item in leaf.item_group.leaves():
                if not hidden.is_hidden(where + item.name):
                    yield from _answered(item, row, hidden, where, f"{leaf.row_title} {index + 1}")
        return
    yield label, shown_value(leaf, value)
