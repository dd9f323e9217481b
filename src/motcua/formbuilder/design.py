"""Editing an e-form's JSON Schema the way a form's author thinks of it: steps, fields, groups,
conditions, rules.

Every operation takes a schema and returns a new one (the argument is never changed), so the
builder's draft is always plain JSON Schema in the contract of ``docs/eforms.md``: what the
builder writes is what a developer would have written by hand, and a schema written by hand
opens in the builder with everything it says kept.

Fields are named by dotted paths: ``ho_ten`` at the top, ``thanh_vien.ho_ten`` for a field of a
repeating group's row, ``nguoi_khai.ho_ten`` in a nested group. Steps (``x-steps``) list the
top-level fields; while the draft is edited a step may be empty (``publishable`` drops it).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Final

from django.utils.translation import gettext as _

from motcua.catalog.text import fold
from motcua.eforms.schema import form_steps

_KEY: Final = re.compile(r"^[a-z][a-z0-9_]{0,62}$")


class DesignError(ValueError):
    """An edit the form cannot take, with the reason in the author's words."""


def empty_form(title: str = "") -> dict[str, Any]:
    return {
        "type": "object",
        "title": title,
        "properties": {},
        "required": [],
        "x-steps": [{"title": _("Information"), "properties": []}],
    }


def key_from_label(label: str, taken: set[str]) -> str:
    """``"Họ và tên"`` → ``ho_va_ten`` (``ho_va_ten_2`` when taken): no key to type."""
    words = re.sub(r"[^a-z0-9]+", "_", fold(label)).strip("_")[:50] or "truong"
    if not words[0].isalpha():
        words = f"truong_{words}"
    key, number = words, 2
    while key in taken:
        key = f"{words}_{number}"
        number += 1
    return key


def check_key(key: str) -> None:
    if not _KEY.match(key):
        raise DesignError(
            _(
                "A field's key is lower-case letters without accents, digits and _, starting "
                "with a letter (e.g. ho_ten)."
            )
        )


# --- finding things --------------------------------------------------------------------------


def _object_at(schema: dict[str, Any], group: str) -> dict[str, Any]:
    """The object schema whose ``properties`` hold the fields of ``group`` (``""``: the root)."""
    node = schema
    if not group:
        return node
    for part in group.split("."):
        child = node.get("properties", {}).get(part)
        if not isinstance(child, dict):
            raise DesignError(_("There is no group «%(name)s».") % {"name": group})
        if child.get("type") == "array" and isinstance(child.get("items"), dict):
            child = child["items"]
        if child.get("type") != "object":
            raise DesignError(_("«%(name)s» is not a group.") % {"name": group})
        node = child
    return node


def split_path(path: str) -> tuple[str, str]:
    """``"thanh_vien.ho_ten"`` → (``"thanh_vien"``, ``"ho_ten"``)."""
    group, _dot, key = path.rpartition(".")
    return group, key


def field_at(schema: dict[str, Any], path: str) -> dict[str, Any]:
    group, key = split_path(path)
    found = _object_at(schema, group).get("properties", {}).get(key)
    if not isinstance(found, dict):
        raise DesignError(_("There is no field «%(name)s».") % {"name": path})
    return found


def is_required(schema: dict[str, Any], path: str) -> bool:
    group, key = split_path(path)
    return key in _object_at(schema, group).get("required", [])


@dataclass(frozen=True)
class Node:
    """A field as the builder lists it."""

    path: str
    key: str
    schema: Mapping[str, Any]
    required: bool
    depth: int

    @property
    def title(self) -> str:
        return str(self.schema.get("title") or self.key)

    @property
    def is_group(self) -> bool:
        return self.schema.get("type") == "object" or (
            self.schema.get("type") == "array"
            and isinstance(self.schema.get("items"), Mapping)
            and self.schema["items"].get("type") == "object"
        )

    @property
    def is_rows(self) -> bool:
        return self.schema.get("type") == "array" and self.is_group

    @property
    def prefill(self) -> str:
        """Where the field's first value comes from (``x-prefill``, written by hand, kept)."""
        value = self.schema.get("x-prefill")
        return value if isinstance(value, str) else ""


def children(schema: dict[str, Any], group: str = "", depth: int = 0) -> Iterator[Node]:
    """The fields of ``group`` in order, each followed by its own fields when it is a group."""
    node = _object_at(schema, group)
    required = set(node.get("required", []))
    for key, child in node.get("properties", {}).items():
        if not isinstance(child, dict):
            continue
        path = f"{group}.{key}" if group else key
        item = Node(path, key, child, key in required, depth)
        yield item
        if item.is_group:
            yield from children(schema, path, depth + 1)


def siblings(schema: dict[str, Any], group: str) -> list[Node]:
    return [node for node in children(schema, group) if node.depth == 0]


def keys_in(schema: dict[str, Any], group: str) -> set[str]:
    return set(_object_at(schema, group).get("properties", {}))


# --- steps -----------------------------------------------------------------------------------


def with_steps(schema: Mapping[str, Any]) -> dict[str, Any]:
    """``schema`` with its steps written out (``x-steps``), as the form now shows them."""
    result = copy.deepcopy(dict(schema)) if schema else empty_form()
    result.setdefault("type", "object")
    result.setdefault("properties", {})
    if "x-steps" in result:
        return result
    top = list(result["properties"])
    steps: list[dict[str, Any]] = []
    for step in form_steps(result) if top else []:
        names: list[str] = []
        for name in step.field_names:
            head = name.split(".")[0]
            if head not in names and not any(head in s["properties"] for s in steps):
                names.append(head)
        steps.append({"title": str(step.title), "properties": names})
    result["x-steps"] = steps or [{"title": _("Information"), "properties": []}]
    return result


def steps(schema: dict[str, Any]) -> list[dict[str, Any]]:
    return list(schema.get("x-steps", []))


def add_step(schema: Mapping[str, Any], title: str) -> dict[str, Any]:
    result = with_steps(schema)
    result["x-steps"].append({"title": title, "properties": []})
    return result


def rename_step(schema: Mapping[str, Any], index: int, title: str) -> dict[str, Any]:
    result = with_steps(schema)
    _step(result, index)["title"] = title
    return result


def remove_step(schema: Mapping[str, Any], index: int) -> dict[str, Any]:
    result = with_steps(schema)
    if _step(result, index)["properties"]:
        raise DesignError(_("Move or delete the step's fields first."))
    if len(result["x-steps"]) == 1:
        raise DesignError(_("A form keeps at least one step."))
    del result["x-steps"][index]
    return result


def move_step(schema: Mapping[str, Any], index: int, offset: int) -> dict[str, Any]:
    result = with_steps(schema)
    _step(result, index)
    target = index + offset
    if 0 <= target < len(result["x-steps"]):
        listed = result["x-steps"]
        listed[index], listed[target] = listed[target], listed[index]
        _order_top_level(result)
    return result


def _step(schema: dict[str, Any], index: int) -> dict[str, Any]:
    listed = schema.get("x-steps", [])
    if not 0 <= index < len(listed):
        raise DesignError(_("There is no step %(number)d.") % {"number": index + 1})
    step: dict[str, Any] = listed[index]
    return step


def step_of(schema: dict[str, Any], key: str) -> int | None:
    for index, step in enumerate(schema.get("x-steps", [])):
        if key in step["properties"]:
            return index
    return None


def _order_top_level(schema: dict[str, Any]) -> None:
    """Top-level properties in the order of the steps, so the form shows what the list shows."""
    order = [key for step in schema.get("x-steps", []) for key in step["properties"]]
    properties = schema["properties"]
    schema["properties"] = {key: properties[key] for key in order if key in properties} | {
        key: value for key, value in properties.items() if key not in order
    }


def publishable(schema: Mapping[str, Any]) -> dict[str, Any]:
    """The draft as it would be saved: empty steps dropped; no fields at all is no form."""
    result = copy.deepcopy(dict(schema))
    if not result.get("properties"):
        return {}
    listed = [step for step in result.get("x-steps", []) if step.get("properties")]
    if listed:
        result["x-steps"] = listed
    else:
        result.pop("x-steps", None)
    return result


# --- fields ----------------------------------------------------------------------------------


def add_field(
    schema: Mapping[str, Any],
    *,
    group: str,
    key: str,
    field: dict[str, Any],
    required: bool,
    step: int | None = None,
) -> dict[str, Any]:
    """Add ``field`` as ``key`` at the end of ``group`` (and of ``step`` for a top-level one)."""
    check_key(key)
    result = with_steps(schema)
    node = _object_at(result, group)
    properties = node.setdefault("properties", {})
    if key in properties:
        raise DesignError(
            _("This group already has a field with the key «%(key)s».") % {"key": key}
        )
    properties[key] = field
    _set_required(node, key, required)
    if not group:
        _step(result, step or 0)["properties"].append(key)
        _order_top_level(result)
    return result


def update_field(
    schema: Mapping[str, Any], path: str, field: dict[str, Any], *, required: bool
) -> dict[str, Any]:
    """Replace the field at ``path`` (keeping a group's own fields) and its being required."""
    result = with_steps(schema)
    group, key = split_path(path)
    node = _object_at(result, group)
    old = field_at(result, path)
    merged = dict(field)
    old_items = old.get("items")
    if isinstance(old_items, dict) and old_items.get("type") == "object" and "items" in merged:
        merged["items"] = {**old_items, "title": merged["items"].get("title", "")}
    if old.get("type") == "object" and merged.get("type") == "object":
        # the group's own fields, conditions and rules stay; its title and help change
        kept = ("properties", "required", "allOf", "x-rules", "dependentRequired")
        merged = {**old, **{k: v for k, v in merged.items() if k not in kept}}
    merged = {**_hand_written(old, merged), **merged}
    node["properties"][key] = merged
    _set_required(node, key, required)
    return result


#: The ``x-`` keywords the builder's field forms write (and so may take away).
BUILDER_KEYWORDS = frozenset({"x-widget", "x-reference", "x-computed", "x-enumNames"})


def _hand_written(old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, Any]:
    """The ``x-`` keywords of ``old`` the builder does not edit (``x-prefill`` …): they stay.
    ``x-prefill`` goes when the field becomes one nobody answers (a group, rows, computed)."""
    kept = {
        key: value
        for key, value in old.items()
        if str(key).startswith("x-") and key not in BUILDER_KEYWORDS
    }
    if new.get("type") in {"object", "array"} or "x-computed" in new:
        kept.pop("x-prefill", None)
    return kept


def _set_required(node: dict[str, Any], key: str, required: bool) -> None:
    listed = [name for name in node.get("required", []) if name != key]
    if required:
        listed.append(key)
    node["required"] = listed


def references_to(schema: Mapping[str, Any], path: str) -> list[str]:
    """Where other parts of the form name the field ``path`` (conditions, rules, computed)."""
    group, key = split_path(path)
    node = _object_at(dict(schema), group)
    found: list[str] = []
    for index, entry in enumerate(_conditions_of(node)):
        if key in _tested_keys(entry):
            found.append(_("condition %(number)d tests it") % {"number": index + 1})
    for index, rule in enumerate(node.get("x-rules", [])):
        if key in (rule.get("left"), rule.get("right")):
            found.append(_("rule %(number)d compares it") % {"number": index + 1})
    for other, child in node.get("properties", {}).items():
        computed = child.get("x-computed") if isinstance(child, dict) else None
        if computed and other != key and key in _named_in(computed):
            title = child.get("title") or other
            found.append(_("«%(field)s» is computed from it") % {"field": title})
    for other, names in node.get("dependentRequired", {}).items():
        if key == other or key in names:
            found.append(_("a field is required once another is answered"))
    return found


def _named_in(computed: Mapping[str, Any]) -> set[str]:
    names: set[str] = set()
    for value in computed.values():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str):
                names.add(item)
    return names


def remove_field(schema: Mapping[str, Any], path: str) -> dict[str, Any]:
    result = with_steps(schema)
    blockers = references_to(result, path)
    if blockers:
        raise DesignError(
            _("Other parts of the form use this field: %(where)s. Change them first.")
            % {"where": "; ".join(blockers)}
        )
    group, key = split_path(path)
    node = _object_at(result, group)
    field_at(result, path)
    del node["properties"][key]
    _set_required(node, key, False)
    for entry in _conditions_of(node):
        for branch in ("then", "else"):
            part = entry.get(branch)
            if isinstance(part, dict):
                if key in part.get("required", []):
                    part["required"] = [name for name in part["required"] if name != key]
                part.get("properties", {}).pop(key, None)
    if not group:
        for step in result["x-steps"]:
            step["properties"] = [name for name in step["properties"] if name != key]
    return result


def move_field(schema: Mapping[str, Any], path: str, offset: int) -> dict[str, Any]:
    """Move a field up (-1) or down (+1) among its group's fields; a top-level field moves
    within its step, and past the step's end into the next step."""
    result = with_steps(schema)
    group, key = split_path(path)
    field_at(result, path)
    if group:
        node = _object_at(result, group)
        order = list(node["properties"])
        index = order.index(key)
        target = index + offset
        if 0 <= target < len(order):
            order[index], order[target] = order[target], order[index]
            node["properties"] = {name: node["properties"][name] for name in order}
        return result
    number = step_of(result, key)
    if number is None:
        return result
    listed = result["x-steps"][number]["properties"]
    index = listed.index(key)
    target = index + offset
    if 0 <= target < len(listed):
        listed[index], listed[target] = listed[target], listed[index]
    elif 0 <= number + offset < len(result["x-steps"]):
        listed.remove(key)
        neighbour = result["x-steps"][number + offset]["properties"]
        if offset < 0:
            neighbour.append(key)
        else:
            neighbour.insert(0, key)
    _order_top_level(result)
    return result


# --- conditions and rules --------------------------------------------------------------------


def _conditions_of(node: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The object's ``if``/``then``/``else`` rules: its own, then those in ``allOf``."""
    found: list[dict[str, Any]] = []
    if "if" in node:
        found.append(dict(node))  # a copy: edits go through the allOf entries
    found.extend(
        entry for entry in node.get("allOf", []) if isinstance(entry, dict) and "if" in entry
    )
    return found


def _tested_keys(entry: Mapping[str, Any]) -> set[str]:
    test = entry.get("if", {})
    return set(test.get("properties", {})) | set(test.get("required", []))


@dataclass(frozen=True)
class ConditionView:
    index: int
    field: str
    value: Any
    shown: tuple[str, ...]
    required: tuple[str, ...]
    editable: bool
    #: The test is "the field is answered" (any value), not a value of it.
    answered: bool = False


def conditions(schema: dict[str, Any], group: str = "") -> list[ConditionView]:
    """The group's conditions as "when «field» is «value», show … and require …"."""
    node = _object_at(schema, group)
    found: list[ConditionView] = []
    entries = [node] if "if" in node else []
    entries += [e for e in node.get("allOf", []) if isinstance(e, dict) and "if" in e]
    for index, entry in enumerate(entries):
        test = entry.get("if", {})
        tested = list(test.get("properties", {}).items())
        field, value, answered = ("", None, False)
        if len(tested) == 1 and isinstance(tested[0][1], dict) and "const" in tested[0][1]:
            field, value = tested[0][0], tested[0][1]["const"]
        elif not tested and len(test.get("required", [])) == 1:
            field, answered = test["required"][0], True
        else_part = entry.get("else", {}) if isinstance(entry.get("else"), dict) else {}
        then_part = entry.get("then", {}) if isinstance(entry.get("then"), dict) else {}
        shown = tuple(k for k, v in else_part.get("properties", {}).items() if v is False)
        found.append(
            ConditionView(
                index=index,
                field=field,
                value=value,
                shown=shown,
                required=tuple(then_part.get("required", [])),
                editable=entry is not node and bool(field),
                answered=answered,
            )
        )
    return found


def add_condition(
    schema: Mapping[str, Any],
    *,
    group: str,
    field: str,
    value: Any,
    shown: list[str],
    required: list[str],
    answered: bool = False,
) -> dict[str, Any]:
    """When «field» is «value» (or, with ``answered``, has any answer), show ``shown``
    (hidden otherwise) and require ``required``."""
    result = with_steps(schema)
    node = _object_at(result, group)
    properties = node.get("properties", {})
    if field not in properties:
        raise DesignError(_("Choose the field the condition tests."))
    unknown = [name for name in [*shown, *required] if name not in properties]
    if unknown or field in shown or field in required:
        raise DesignError(_("A condition shows and requires other fields of the same group."))
    if not shown and not required:
        raise DesignError(_("Choose the fields the condition shows or requires."))
    if answered and properties[field].get("type") == "boolean":
        raise DesignError(_("A yes/no field is always answered: test it for yes or no."))
    test: dict[str, Any] = {"required": [field]}
    if not answered:
        test["properties"] = {field: {"const": value}}
    entry: dict[str, Any] = {
        "if": test,
        "then": {"required": list(required)} if required else {},
    }
    if shown:
        entry["else"] = {"properties": {name: False for name in shown}}
    # A field shown only when the condition holds is required only then (if at all).
    node["required"] = [name for name in node.get("required", []) if name not in shown]
    node.setdefault("allOf", []).append(entry)
    return result


def remove_condition(schema: Mapping[str, Any], *, group: str, index: int) -> dict[str, Any]:
    result = with_steps(schema)
    node = _object_at(result, group)
    own = 1 if "if" in node else 0
    entries = [e for e in node.get("allOf", []) if isinstance(e, dict) and "if" in e]
    if index < own or index - own >= len(entries):
        raise DesignError(_("This condition cannot be removed here."))
    node["allOf"] = [e for e in node["allOf"] if e is not entries[index - own]]
    if not node["allOf"]:
        del node["allOf"]
    return result


def add_rule(
    schema: Mapping[str, Any],
    *,
    group: str,
    left: str,
    op: str,
    right: str | dict[str, Any],
    message: dict[str, str],
) -> dict[str, Any]:
    result = with_steps(schema)
    node = _object_at(result, group)
    rule: dict[str, Any] = {"left": left, "op": op, "right": right}
    if any(message.values()):
        rule["message"] = {language: text for language, text in message.items() if text}
    node.setdefault("x-rules", []).append(rule)
    return result


def remove_rule(schema: Mapping[str, Any], *, group: str, index: int) -> dict[str, Any]:
    result = with_steps(schema)
    node = _object_at(result, group)
    listed = node.get("x-rules", [])
    if not 0 <= index < len(listed):
        raise DesignError(_("There is no such rule."))
    del listed[index]
    if not listed:
        del node["x-rules"]
    return result


def rules(schema: dict[str, Any], group: str = "") -> list[dict[str, Any]]:
    return list(_object_at(schema, group).get("x-rules", []))


def groups(schema: dict[str, Any]) -> list[Node]:
    """Every group (nested object or repeating group) a field can be added to."""
    return [node for node in children(schema) if node.is_group]
