"""Can a citizen fill this e-form? The check a form's author runs before publishing it.

A schema can be valid JSON Schema, shown by the form, and still be impossible to fill: a field
hidden whichever answers are given, a field one branch both requires and hides, limits that no
value meets. ``fillability_problems`` tries every combination of the answers that the form's
conditions test (per object: yes/no, each choice, unanswered), and then asks the example
generator for one whole answer the validator accepts.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping
from typing import Any, Final

from django.utils.translation import gettext as _

from .conditions import holds
from .examples import NoAnswer, example_document
from .schema import Group, Kind, Leaf, UnsupportedSchema, parse, steps_for

#: Combinations of tested answers tried per object; more are sampled in order.
MAX_COMBINATIONS: Final = 512

_UNANSWERED: Final = object()


def fillability_problems(schema: Mapping[str, Any]) -> list[str]:
    """Why no citizen could fill ``schema`` in some or every branch (empty when they can)."""
    if not schema:
        return []
    try:
        tree = parse(schema)
        steps_for(tree)
    except UnsupportedSchema as exc:
        return [f"{path}: {reason}" for path, reason in exc.problems]
    problems = [problem for group in _groups(tree) for problem in _branch_problems(group)]
    if problems:
        return problems
    try:
        example_document(schema)
    except NoAnswer as exc:
        problems.extend(
            _("No answer satisfies «%(field)s»: %(reasons)s")
            % {"field": _label(tree, name), "reasons": "; ".join(reasons)}
            for name, reasons in exc.errors.items()
        )
    return problems


def _groups(group: Group) -> Iterator[Group]:
    yield group
    for child in group.children:
        if isinstance(child, Group):
            yield from _groups(child)
        elif child.kind is Kind.ROWS and child.item_group is not None:
            yield from _groups(child.item_group)


def _label(tree: Group, name: str) -> str:
    node = tree.find(name)
    return node.title if node is not None and name else (name or _("the form"))


def _candidates(group: Group, key: str, values: tuple[Any, ...] | None) -> list[Any]:
    """Answers worth trying for the tested field ``key``: each value it may take, unanswered."""
    child = group.child(key)
    found: list[Any] = [_UNANSWERED]
    if isinstance(child, Leaf) and child.kind is Kind.BOOLEAN:
        found += [True, False]
    elif isinstance(child, Leaf) and child.choices:
        found += list(child.choices)
    if values:
        found += [value for value in values if value not in found]
    if values is None and len(found) == 1:
        found.append("x")  # "is answered" tests: any answer will do
    return found


def _branch_problems(group: Group) -> list[str]:
    if not group.conditions:
        return []
    tested: dict[str, list[Any]] = {}
    for condition in group.conditions:
        for clause in condition.clauses:
            options = _candidates(group, clause.key, clause.values)
            known = tested.setdefault(clause.key, [])
            known.extend(option for option in options if option not in known)
    keys = list(tested)
    shown_somewhere: set[str] = set()
    clashes: dict[str, dict[str, Any]] = {}
    combinations = itertools.islice(itertools.product(*tested.values()), MAX_COMBINATIONS)
    for values in combinations:
        answers = {key: value for key, value in zip(keys, values, strict=True)}
        answers = {key: value for key, value in answers.items() if value is not _UNANSWERED}
        hidden: set[str] = set()
        required: set[str] = set()
        for condition in group.conditions:
            met = holds(condition, answers)
            hidden.update(condition.then_hidden if met else condition.else_hidden)
            required.update(condition.then_required if met else condition.else_required)
        shown_somewhere.update(child.key for child in group.children if child.key not in hidden)
        for key in sorted(required & hidden):
            clashes.setdefault(key, answers)
    problems: list[str] = []
    for child in group.children:
        if child.key not in shown_somewhere:
            problems.append(
                _("«%(field)s» is hidden whichever answers are given: no one can fill it.")
                % {"field": child.title}
            )
    for key, answers in clashes.items():
        clash = group.child(key)
        problems.append(
            _("«%(field)s» is both required and hidden when %(answers)s.")
            % {
                "field": clash.title if clash is not None else key,
                "answers": _describe(group, answers),
            }
        )
    return problems


def _describe(group: Group, answers: Mapping[str, Any]) -> str:
    if not answers:
        return _("nothing is answered")
    parts = []
    for key, value in answers.items():
        child = group.child(key)
        title = child.title if child is not None else key
        if value is True:
            shown = _("Yes")
        elif value is False:
            shown = _("No")
        else:
            shown = str(value)
        parts.append(f"«{title}» = «{shown}»")
    return ", ".join(parts)
