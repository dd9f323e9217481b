"""Which fields a filled e-form shows and requires, decided on the server with the full rule.

The schema's ``if``/``then``/``else`` rules, its ``oneOf`` alternatives (see ``schema.py``)
and ``dependentRequired`` are evaluated on the answers themselves: the ``if`` by the JSON
Schema validator, so a form and any standard validator agree. A field hidden by a rule must
not be answered (the form refuses an answer there, never stores it); a field a rule requires
must be. Names are the form's dotted names, rows included (``thanh_vien.0.ho_ten``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from .schema import Condition, Group, Kind, Leaf
from .validation import validator_for


@dataclass(frozen=True)
class Verdict:
    """What the rules say about a document: fields hidden, fields required (dotted names)."""

    hidden: frozenset[str]
    required: frozenset[str]

    def is_hidden(self, name: str) -> bool:
        """Is the field ``name``, or an object or row holding it, hidden?"""
        parts = name.split(".")
        return any(".".join(parts[:end]) in self.hidden for end in range(1, len(parts) + 1))


def holds(condition: Condition, answers: Any) -> bool:
    """Does the rule's ``if`` hold for ``answers`` (the object it is declared on)?"""
    return bool(validator_for(condition.test).is_valid(answers))


def _answered(value: Any) -> bool:
    return value is not None and value != "" and value != []


def _walk(group: Group, answers: Mapping[str, Any], prefix: str) -> Iterator[tuple[str, str]]:
    """("hidden" | "required", dotted name) for ``group`` filled with ``answers``."""
    hidden: set[str] = set()
    for condition in group.conditions:
        met = holds(condition, answers)
        for key in condition.then_hidden if met else condition.else_hidden:
            hidden.add(key)
            yield "hidden", prefix + key
        for key in condition.then_required if met else condition.else_required:
            yield "required", prefix + key
    for key, names in group.dependent_required.items():
        if _answered(answers.get(key)) and key not in hidden:
            for name in names:
                yield "required", prefix + name
    for child in group.children:
        if child.key in hidden:
            continue
        value = answers.get(child.key)
        if isinstance(child, Group) and isinstance(value, Mapping):
            yield from _walk(child, value, f"{prefix}{child.key}.")
        elif isinstance(child, Leaf) and child.kind is Kind.ROWS and isinstance(value, list):
            assert child.item_group is not None
            for index, row in enumerate(value):
                if isinstance(row, Mapping):
                    yield from _walk(child.item_group, row, f"{prefix}{child.key}.{index}.")


def verdict(tree: Group, document: Mapping[str, Any]) -> Verdict:
    """The fields ``document``'s own answers hide and require."""
    found: dict[str, set[str]] = {"hidden": set(), "required": set()}
    start = f"{tree.name}." if tree.name else ""
    for what, name in _walk(tree, document if isinstance(document, Mapping) else {}, start):
        found[what].add(name)
    hidden = frozenset(found["hidden"])
    return Verdict(hidden, frozenset(n for n in found["required"] if n not in hidden))


def prune_hidden(tree: Group, document: Mapping[str, Any]) -> dict[str, Any]:
    """``document`` without the answers its rules now hide (an earlier answer changed).

    Used when a draft is saved step by step: choosing "no" on step 1 leaves the step-3
    answers that only apply to "yes" out of the dossier, as the applicant saw it.
    """
    result: dict[str, Any] = dict(document)
    for _round in range(10):  # a hidden field may itself have hidden others: until stable
        hidden = verdict(tree, result).hidden
        if not any(_has(result, name) for name in hidden):
            return result
        result = drop(result, hidden)
    return result


def _has(document: Any, name: str) -> bool:
    value = document
    for part in name.split("."):
        if isinstance(value, Mapping) and part in value:
            value = value[part]
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return False
    return True


def _without(document: Any, parts: list[str]) -> Any:
    if not parts:
        return document
    head, rest = parts[0], parts[1:]
    if isinstance(document, Mapping):
        if head not in document:
            return document
        copy = dict(document)
        if rest:
            copy[head] = _without(copy[head], rest)
        else:
            del copy[head]
        return copy
    if isinstance(document, list) and head.isdigit() and int(head) < len(document):
        copy_list = list(document)
        copy_list[int(head)] = _without(copy_list[int(head)], rest) if rest else {}
        return copy_list
    return document


def drop(document: Mapping[str, Any], names: frozenset[str] | set[str]) -> dict[str, Any]:
    """``document`` without the answers at the dotted ``names``."""
    result: Any = dict(document)
    for name in sorted(names, key=len, reverse=True):
        result = _without(result, name.split("."))
    return dict(result)
