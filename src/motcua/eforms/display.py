"""An e-form's answers as a person reads them: each with its label, in the form's order.

The officer checking a dossier reads ``Họ, chữ đệm và tên của trẻ: Nguyễn Văn An`` and
``Ngày, tháng, năm sinh: 02/01/2024``, not ``ho_ten_tre`` and ``2024-01-02``::

    for section in answer_sections(dossier.rules.eform, dossier.form_data):
        section.title, [(answer.label, answer.text, answer.items) for answer in section.answers]

The order is the steps' order (``x-steps``, else the schema's), nested objects become
sections of their own under their title, lists are shown item by item. Answers the schema
does not describe (the procedure changed since, or a schema a form cannot show) are kept at
the end under their own keys, never dropped: the officer must see everything that was filed.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from .conditions import Verdict, verdict
from .fields import show_number
from .references import label as reference_label
from .references import shown_as_of
from .schema import Group, Kind, Leaf, UnsupportedSchema, parse, steps_for

#: What an unanswered question shows.
NOT_ANSWERED = "—"


@dataclass(frozen=True)
class Answer:
    label: str
    text: str  # the answer as one line ("" for a list: see ``items``)
    items: tuple[str, ...] = ()  # a list's answers, one per item
    name: str = ""  # the dotted name in the document (``nguoi_khai.ho_ten``)

    @property
    def answered(self) -> bool:
        return bool(self.items) or self.text != NOT_ANSWERED


@dataclass(frozen=True)
class Section:
    """A run of answers under one heading (``""``: the form itself); ``level`` 0 is the form,
    1 a nested object, 2 an object inside it …"""

    title: str
    level: int
    answers: tuple[Answer, ...] = field(default_factory=tuple)


def show_date(value: Any) -> str:
    """``2024-01-02`` as ``02/01/2024``; text that is not a date is shown as it is."""
    day = parse_date(value) if isinstance(value, str) else value
    if isinstance(day, datetime.datetime):
        day = day.date()
    return day.strftime("%d/%m/%Y") if isinstance(day, datetime.date) else str(value)


def show_datetime(value: Any) -> str:
    """``2024-01-02T08:30`` as ``02/01/2024 08:30`` (local time when it carries a zone)."""
    moment = parse_datetime(value) if isinstance(value, str) else value
    if not isinstance(moment, datetime.datetime):
        return show_date(value)
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return moment.strftime("%d/%m/%Y %H:%M")


def choice_label(schema: Mapping[str, Any], value: Any) -> str:
    """A choice by its label: ``x-enumNames`` (labels beside the ``enum``) when the schema
    gives them, else the value itself (the demo catalogue's values are their labels)."""
    if schema.get("x-reference"):
        return reference_label(str(schema["x-reference"]), value) or _plain(value)
    values = schema.get("enum")
    names = schema.get("x-enumNames")
    if isinstance(values, list) and isinstance(names, list) and len(names) == len(values):
        for known, name in zip(values, names, strict=True):
            if known == value and not isinstance(known, bool) and not isinstance(value, bool):
                return str(name)
    return _plain(value)


def _plain(value: Any) -> str:
    """Any JSON value as readable text: objects as ``key: value`` pairs, lists joined."""
    if value is None or value == "":
        return NOT_ANSWERED
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, int | float):
        return str(show_number(value))
    if isinstance(value, Mapping):
        return "; ".join(f"{key}: {_plain(item)}" for key, item in value.items()) or NOT_ANSWERED
    if isinstance(value, list | tuple):
        return ", ".join(_plain(item) for item in value) or NOT_ANSWERED
    return str(value)


def _text(leaf: Leaf, value: Any) -> str:
    if value is None or value == "":
        return NOT_ANSWERED
    if leaf.kind is Kind.DATE:
        return show_date(value)
    if leaf.kind is Kind.DATETIME:
        return show_datetime(value)
    if leaf.kind is Kind.CHOICE:
        return choice_label(leaf.schema, value)
    return _plain(value)


def _answer(leaf: Leaf, document: Mapping[str, Any]) -> Answer:
    value = _lookup(document, leaf.path)
    if leaf.kind in (Kind.LINES, Kind.MULTI_CHOICE) and isinstance(value, list) and value:
        item = leaf.item_leaf()
        items = tuple(_text(item, entry) for entry in value)
        return Answer(leaf.title, "", items, leaf.name)
    return Answer(leaf.title, _text(leaf, value), name=leaf.name)


def _lookup(document: Mapping[str, Any], path: Sequence[str]) -> Any:
    value: Any = document
    for key in path:
        if not isinstance(value, Mapping):
            return None
        value = value.get(key)
    return value


def _ordered(root: Group) -> Iterator[Leaf | Group]:
    """The root's children in the order the person filled them in (the steps' order)."""
    try:
        steps = steps_for(root)
    except UnsupportedSchema:
        yield from root.children
        return
    position = {name: index for index, name in enumerate(n for s in steps for n in s.field_names)}

    def first(node: Leaf | Group) -> int:
        return min((position.get(leaf.name, len(position)) for leaf in node.leaves()), default=0)

    yield from sorted(root.children, key=first)  # stable: ties keep the schema's order


def _sections(
    node: Group,
    nodes: Sequence[Leaf | Group],
    document: Mapping[str, Any],
    level: int,
    hidden: Verdict,
    *,
    title: str | None = None,
    prefix: str = "",
) -> Iterator[Section]:
    """``document``'s answers to ``nodes``; a repeating group becomes a section per row, and
    fields the answers' own rules hide (the alternative not chosen …) are left out."""
    run: list[Answer] = []
    title = (node.title if level else "") if title is None else title
    for child in nodes:
        if hidden.is_hidden(prefix + child.name):
            continue
        if isinstance(child, Leaf) and child.kind is Kind.ROWS and child.item_group is not None:
            if run or (level and title):
                yield Section(title, level, tuple(run))
                title, run = "", []
            rows = _lookup(document, child.path)
            listed = (
                [row for row in rows if isinstance(row, Mapping)] if isinstance(rows, list) else []
            )
            yield Section(
                child.title,
                level + 1,
                () if listed else (Answer(child.title, NOT_ANSWERED, name=child.name),),
            )
            for index, row in enumerate(listed):
                yield from _sections(
                    child.item_group,
                    list(child.item_group.children),
                    row,
                    level + 2,
                    hidden,
                    title=f"{child.row_title} {index + 1}",
                    prefix=f"{prefix}{child.name}.{index}.",
                )
            continue
        if isinstance(child, Leaf):
            answer = _answer(child, document)
            run.append(replace(answer, name=prefix + answer.name))
            continue
        if run or (level and title):
            yield Section(title, level, tuple(run))
            title, run = "", []
        yield from _sections(child, child.children, document, level + 1, hidden, prefix=prefix)
    if run:
        yield Section(title, level, tuple(run))


def _extra(document: Mapping[str, Any], known: set[str], prefix: str = "") -> Iterator[Answer]:
    for key, value in document.items():
        name = f"{prefix}{key}"
        if name in known:
            continue
        if isinstance(value, Mapping) and any(k.startswith(name + ".") for k in known):
            yield from _extra(value, known, name + ".")
        elif isinstance(value, list) and value:
            yield Answer(name, "", tuple(_plain(item) for item in value), name)
        else:
            yield Answer(name, _plain(value), name=name)


def answer_sections(
    schema: Mapping[str, Any],
    document: Mapping[str, Any],
    *,
    as_of: datetime.datetime | None = None,
) -> list[Section]:
    """The answers of ``document`` to the e-form ``schema``, labelled, in the form's order;
    with ``as_of`` (a dossier's filing), a person's list's value as it was then (the address
    text at filing, not as corrected since)."""
    with shown_as_of(as_of):
        return _answer_sections(schema, document)


def _answer_sections(schema: Mapping[str, Any], document: Mapping[str, Any]) -> list[Section]:
    document = document if isinstance(document, Mapping) else {}
    try:
        root = parse(schema) if schema else None
    except UnsupportedSchema:
        root = None
    sections: list[Section] = []
    known: set[str] = set()
    if root is not None:
        hidden = verdict(root, document)
        sections = [s for s in _sections(root, list(_ordered(root)), document, 0, hidden)]
        known = {leaf.name for leaf in root.leaves()}
    extra = tuple(_extra(document, known))
    if extra:
        title = _("Other answers") if root is not None and root.children else ""
        sections.append(Section(title, 1 if title else 0, extra))
    return sections


def readable(
    schema: Mapping[str, Any],
    document: Mapping[str, Any],
    *,
    as_of: datetime.datetime | None = None,
) -> dict[str, Any]:
    """``document`` with the same shape, each answer as a person reads it: dates day first,
    choices by their label (a reference list's name, not its code). Result templates use it:
    ``{% for row in form.thanh_vien %}{{ row.ho_ten }}, {{ row.ngay_sinh }}{% endfor %}``.
    Answers the schema does not describe are kept as they are. ``as_of``: as in
    :func:`answer_sections`."""
    with shown_as_of(as_of):
        return _readable_document(schema, document)


def _readable_document(schema: Mapping[str, Any], document: Mapping[str, Any]) -> dict[str, Any]:
    try:
        root = parse(schema) if schema else None
    except UnsupportedSchema:
        root = None
    if root is None or not isinstance(document, Mapping):
        return dict(document) if isinstance(document, Mapping) else {}
    return _readable(root, document)


def _readable(group: Group, document: Mapping[str, Any]) -> dict[str, Any]:
    shown: dict[str, Any] = dict(document)
    for child in group.children:
        if child.key not in document:
            continue
        value = document[child.key]
        if isinstance(child, Group):
            shown[child.key] = _readable(child, value) if isinstance(value, Mapping) else value
        elif child.kind is Kind.ROWS and child.item_group is not None and isinstance(value, list):
            shown[child.key] = [
                _readable(child.item_group, row) if isinstance(row, Mapping) else row
                for row in value
            ]
        elif isinstance(value, list):
            item = child.item_leaf()
            shown[child.key] = [_readable_value(item, one) for one in value]
        else:
            shown[child.key] = _readable_value(child, value)
    return shown


def _readable_value(leaf: Leaf, value: Any) -> Any:
    if value is None or isinstance(value, bool):
        return value
    if leaf.kind is Kind.DATE:
        return show_date(value)
    if leaf.kind is Kind.DATETIME:
        return show_datetime(value)
    if leaf.kind is Kind.CHOICE:
        return choice_label(leaf.schema, value)
    return value
