"""Cross-field rules (``x-rules``) and computed values (``x-computed``), checked on the server.

Both are declared extensions on an object of the schema (a standard JSON Schema validator
ignores them; this module is how the platform holds answers to them)::

    "x-rules": [
        {"left": "ngay_sinh", "op": "<=", "right": "ngay_khai",
         "message": "Ngày sinh của trẻ không được sau ngày khai."}
    ]

An operand is a field of the same object (its key), ``"$today"``, or ``{"value": …}``; ``op``
is one of ``<``, ``<=``, ``>``, ``>=``, ``==``, ``!=``. Dates compare as dates, numbers as
numbers; a rule is checked once both operands are answered. ``message`` (text, or
``{"vi": …, "en": …}``) is shown beside every field the rule names; without it a sentence is
made from the labels.

A computed property (``integer`` or ``number``) says how it is computed::

    "tuoi": {"type": "integer", "title": "Tuổi", "x-computed": {"age": "ngay_sinh"}}
    "le_phi": {"type": "integer", "x-computed": {"multiply": ["so_ban_sao", 8000]}}

``age`` counts whole years from a date field to ``"on"`` (another date field) or today;
``multiply`` and ``sum`` combine fields and numbers. The value is never taken from the
client: forms have no input for it, :func:`with_computed` writes it, and
:func:`extension_errors` refuses a document whose value differs.
"""

from __future__ import annotations

import copy
import datetime
import operator
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from typing import Any, Final

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

TODAY: Final = "$today"
OPERATORS: Final[dict[str, Callable[[Any, Any], bool]]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
    "!=": operator.ne,
}
COMPUTATIONS: Final = frozenset({"age", "multiply", "sum"})


# --- checking the declarations (schema.py reports the problems with their paths) ----------


def rule_problems(rules: Any, keys: Mapping[str, str]) -> list[tuple[str, str]]:
    """Problems of an object's ``x-rules``; ``keys``: its fields' key → JSON type/format."""
    if not isinstance(rules, list):
        return [("x-rules", _('"x-rules" must be a list of rules'))]
    problems: list[tuple[str, str]] = []
    for number, rule in enumerate(rules):
        where = f"x-rules[{number}]"
        if not isinstance(rule, Mapping) or rule.get("op") not in OPERATORS:
            problems.append(
                (
                    where,
                    _('a rule needs "left", "op" (one of %(ops)s) and "right"')
                    % {"ops": " ".join(OPERATORS)},
                )
            )
            continue
        for side in ("left", "right"):
            operand = rule.get(side)
            if isinstance(operand, str) and operand != TODAY and operand not in keys:
                problems.append(
                    (where, _('"%(name)s" is not a field of this object') % {"name": operand})
                )
            elif not isinstance(operand, str) and not (
                isinstance(operand, Mapping) and set(operand) == {"value"}
            ):
                problems.append(
                    (where, _('an operand is a field\'s name, "$today" or {"value": …}'))
                )
        message = rule.get("message", "")
        if not isinstance(message, str) and not (
            isinstance(message, Mapping) and all(isinstance(v, str) for v in message.values())
        ):
            problems.append((where, _('"message" must be text or {"vi": …, "en": …}')))
    return problems


def computed_problems(declared: Any, json_type: Any, keys: Mapping[str, str]) -> list[str]:
    """Problems of one property's ``x-computed``."""
    if json_type not in ("integer", "number"):
        return [_("a computed value must be an integer or a number")]
    if not isinstance(declared, Mapping) or len(set(declared) & COMPUTATIONS) != 1:
        return [
            _('"x-computed" gives one of: %(kinds)s') % {"kinds": ", ".join(sorted(COMPUTATIONS))}
        ]
    if "age" in declared:
        named = [declared["age"], *([declared["on"]] if "on" in declared else [])]
        if set(declared) - {"age", "on"} or any(keys.get(str(n)) != "date" for n in named):
            return [_('"age" counts years from a date field ("on": another date field)')]
        return []
    kind = "multiply" if "multiply" in declared else "sum"
    operands = declared[kind]
    if set(declared) != {kind} or not isinstance(operands, list) or not operands:
        return [_('"%(kind)s" needs a list of fields and numbers') % {"kind": kind}]
    for operand in operands:
        if isinstance(operand, bool):
            return [_('"%(kind)s" needs a list of fields and numbers') % {"kind": kind}]
        if isinstance(operand, str) and keys.get(operand) not in ("integer", "number"):
            return [_('"%(name)s" is not a number field of this object') % {"name": operand}]
        if not isinstance(operand, str | int | float):
            return [_('"%(kind)s" needs a list of fields and numbers') % {"kind": kind}]
    return []


# --- evaluating them ------------------------------------------------------------------------


def _objects(
    schema: Any, value: Any, prefix: str = ""
) -> Iterator[tuple[Mapping[str, Any], dict[str, Any], str]]:
    """Every (object schema, its answers, dotted prefix) of a document, rows and the chosen
    alternative of a ``oneOf`` included."""
    if not isinstance(schema, Mapping) or not isinstance(value, dict):
        return
    yield schema, value, prefix
    for key, prop in (schema.get("properties") or {}).items():
        if not isinstance(prop, Mapping) or key not in value:
            continue
        inner = value[key]
        if "oneOf" in prop and isinstance(inner, dict):
            for branch in prop["oneOf"]:
                consts = {
                    k: p["const"]
                    for k, p in (branch.get("properties") or {}).items()
                    if isinstance(p, Mapping) and "const" in p
                }
                if consts and all(inner.get(k) == v for k, v in consts.items()):
                    yield from _objects(branch, inner, f"{prefix}{key}.")
                    break
        elif isinstance(inner, dict):
            yield from _objects(prop, inner, f"{prefix}{key}.")
        elif isinstance(inner, list) and isinstance(prop.get("items"), Mapping):
            for index, row in enumerate(inner):
                yield from _objects(prop["items"], row, f"{prefix}{key}.{index}.")


def _today() -> str:
    return timezone.localdate().isoformat()


def _operand(operand: Any, answers: Mapping[str, Any]) -> Any:
    if operand == TODAY:
        return _today()
    if isinstance(operand, Mapping):
        return operand.get("value")
    return answers.get(operand)


def _comparable(left: Any, right: Any) -> tuple[Any, Any] | None:
    if isinstance(left, bool) or isinstance(right, bool):
        return (left, right) if isinstance(left, bool) and isinstance(right, bool) else None
    if isinstance(left, int | float) and isinstance(right, int | float):
        return Decimal(str(left)), Decimal(str(right))
    if isinstance(left, str) and isinstance(right, str):
        if _is_date(left[:10]) and _is_date(right[:10]) and min(len(left), len(right)) == 10:
            return left[:10], right[:10]  # a date against a moment: compare the days
        return left, right
    return None


def _is_date(text: str) -> bool:
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return len(text) == 10


def _message(rule: Mapping[str, Any], labels: Mapping[str, str]) -> str:
    message = rule.get("message")
    if isinstance(message, str) and message:
        return message
    if isinstance(message, Mapping) and message:
        language = (get_language() or "vi").split("-")[0]
        return str(message.get(language) or message.get("vi") or next(iter(message.values())))

    def said(operand: Any) -> str:
        if operand == TODAY:
            return _("today")
        if isinstance(operand, Mapping):
            return str(operand.get("value"))
        return f"«{labels.get(operand, operand)}»"

    words = {
        "<": _("%(left)s must be before (less than) %(right)s."),
        "<=": _("%(left)s must not be after (greater than) %(right)s."),
        ">": _("%(left)s must be after (greater than) %(right)s."),
        ">=": _("%(left)s must not be before (less than) %(right)s."),
        "==": _("%(left)s must be the same as %(right)s."),
        "!=": _("%(left)s must differ from %(right)s."),
    }
    return words[rule["op"]] % {"left": said(rule["left"]), "right": said(rule["right"])}


def rule_errors(schema: Mapping[str, Any], document: Any) -> dict[str, list[str]]:
    """Broken ``x-rules``: the message under every field the rule names (dotted names)."""
    errors: dict[str, list[str]] = {}
    for object_schema, answers, prefix in _objects(schema, document):
        rules = object_schema.get("x-rules")
        if not isinstance(rules, list):
            continue
        properties = object_schema.get("properties") or {}
        labels = {
            key: str(prop.get("title") or key)
            for key, prop in properties.items()
            if isinstance(prop, Mapping)
        }
        for rule in rules:
            if not isinstance(rule, Mapping) or rule.get("op") not in OPERATORS:
                continue
            left = _operand(rule.get("left"), answers)
            right = _operand(rule.get("right"), answers)
            if left is None or right is None or left == "" or right == "":
                continue
            pair = _comparable(left, right)
            if pair is None:
                continue
            try:
                ok = OPERATORS[rule["op"]](*pair)
            except TypeError:
                continue
            if ok:
                continue
            message = _message(rule, labels)
            named = [o for o in (rule["left"], rule["right"]) if isinstance(o, str) and o != TODAY]
            for key in named or [""]:
                found = errors.setdefault(prefix + key if key else prefix.rstrip("."), [])
                if message not in found:
                    found.append(message)
    return errors


def _age(born: Any, on: Any) -> int | None:
    try:
        start = datetime.date.fromisoformat(str(born)[:10])
        end = datetime.date.fromisoformat(str(on)[:10])
    except ValueError:
        return None
    return end.year - start.year - ((end.month, end.day) < (start.month, start.day))


def compute(declared: Mapping[str, Any], json_type: str, answers: Mapping[str, Any]) -> Any:
    """The value ``declared`` gives for ``answers`` (``None`` until its inputs are answered)."""
    if "age" in declared:
        born = answers.get(declared["age"])
        on = answers.get(declared["on"]) if "on" in declared else _today()
        return None if born is None or on is None else _age(born, on)
    kind = "multiply" if "multiply" in declared else "sum"
    numbers: list[Decimal] = []
    for operand in declared.get(kind, []):
        value = answers.get(operand) if isinstance(operand, str) else operand
        if isinstance(value, bool) or not isinstance(value, int | float):
            return None
        numbers.append(Decimal(str(value)))
    if not numbers:
        return None
    total = Decimal(1) if kind == "multiply" else Decimal(0)
    for number in numbers:
        total = total * number if kind == "multiply" else total + number
    if json_type == "integer" or total == total.to_integral_value():
        return int(total.to_integral_value())
    return float(total)


def _computed(object_schema: Mapping[str, Any]) -> Iterator[tuple[str, Mapping[str, Any], str]]:
    for key, prop in (object_schema.get("properties") or {}).items():
        if isinstance(prop, Mapping) and isinstance(prop.get("x-computed"), Mapping):
            yield key, prop["x-computed"], str(prop.get("type", "number"))


def with_computed(schema: Mapping[str, Any], document: Any) -> Any:
    """``document`` with every computed value written by the server (what the client sent for
    them is replaced; a value whose inputs are not answered yet is left out)."""
    result = copy.deepcopy(document)
    for object_schema, answers, _prefix in _objects(schema, result):
        for key, declared, json_type in _computed(object_schema):
            value = compute(declared, json_type, answers)
            if value is None:
                answers.pop(key, None)
            else:
                answers[key] = value
    return result


def computed_errors(schema: Mapping[str, Any], document: Any) -> dict[str, list[str]]:
    """Computed values that are not what the answers give: refused, never stored."""
    errors: dict[str, list[str]] = {}
    for object_schema, answers, prefix in _objects(schema, document):
        for key, declared, json_type in _computed(object_schema):
            expected = compute(declared, json_type, answers)
            if answers.get(key) != expected and not (expected is None and key not in answers):
                shown = "—" if expected is None else str(expected)
                errors[prefix + key] = [
                    _("This value is calculated from your other answers (%(value)s).")
                    % {"value": shown}
                ]
    return errors


def extension_errors(schema: Mapping[str, Any], document: Any) -> dict[str, list[str]]:
    """Broken cross-field rules and wrong computed values of ``document``, by dotted name."""
    errors = rule_errors(schema, document)
    for key, found in computed_errors(schema, document).items():
        errors.setdefault(key, []).extend(found)
    return errors
