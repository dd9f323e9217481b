"""Reading an e-form's JSON Schema into the fields a server-side form can show.

An e-form is a draft 2020-12 JSON Schema describing an object (``catalog/eforms.py`` checks it
is valid JSON Schema when the procedure is saved). This module accepts the subset a plain HTML
form can collect without losing meaning:

- properties of type ``string`` (optionally ``enum``/``const``, ``format`` ``date``,
  ``date-time`` or ``email``, ``minLength``, ``maxLength``, ``pattern``), ``integer`` and
  ``number`` (``enum``, ``minimum``, ``maximum``, ``exclusiveMinimum``, ``exclusiveMaximum``,
  ``multipleOf``) and ``boolean`` (``const: true`` for a box that must be ticked);
- nested objects, flattened to dotted field names (``nguoi_khai.ho_ten``);
- arrays of strings (one item per line, or check boxes when the items have an ``enum``);
- arrays of objects: repeating groups (the members of a household, the co-owners of a plot),
  one row per item with ``minItems``/``maxItems``; rows are added and removed by buttons that
  work without JavaScript (see ``forms.py``). A repeating group inside a row is refused;
- conditions on an object (``if``/``then``/``else``, directly or as entries of ``allOf``):
  the ``if`` gives ``const``/``enum`` values of yes/no or choice fields of the same object
  (``properties``) and lists them in ``required`` (or only lists a field: "is answered");
  ``then``/``else`` list fields that become ``required`` and hide fields with
  ``"properties": {"name": false}`` (a hidden field sent anyway is refused);
- ``dependentRequired`` (fields required once another, not yes/no, is answered);
- ``oneOf`` of objects for alternatives: each branch fixes one shared property with
  ``const`` and requires it; that property becomes the choice of the branches by their
  titles, and each branch's other fields are shown when it is chosen. Property names are
  unique across the branches.

Anything else raises :class:`UnsupportedSchema` naming every offending path, rather than
showing a form that silently ignores a rule.

Declared extensions (``x-`` keywords: a standard validator ignores them, so the schema stays
plain JSON Schema; the full contract, with examples, is ``docs/eforms.md``):

- ``x-steps`` (on the root: ``[{"title": ..., "properties": [names]}]``) splits a long form
  into steps; ``"x-widget": "textarea"`` asks for a multi-line box; ``x-enumNames`` gives
  labels beside an ``enum``'s values;
- ``"x-reference": "wards"`` on a text property (also ``provinces``, ``agencies``,
  ``nationalities``, ``ethnic_groups``; ``references.py``): a list box of the platform's
  list, checked on the server; ``expand_references`` writes it out as an ``enum``. A
  person's list (``digital-address``, registered by ``addresses``) offers the person's own
  values and a box to type another's code, checked for that person on the server;
- ``x-rules`` on an object: cross-field comparisons (``{"left": "ngay_sinh", "op": "<=",
  "right": "ngay_khai", "message": …}``) checked on the server, the message shown beside
  the fields; ``x-prefill`` on a property: where its first value comes from (``prefill.py``);
  ``x-computed`` on a number property (``{"age": "ngay_sinh"}``, ``{"multiply":
  ["so_ban_sao", 8000]}``, ``{"sum": [...]}``): computed by the server, never an input
  (``rules.py``).

Where a form cannot say what JSON can, the form is the stricter: a required text must not be
empty, a required yes/no box must be ticked (use ``"const": true`` to say so in the schema
too) and a required list needs at least one item.
"""

from __future__ import annotations

import enum
import math
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any, Final

from django.utils.translation import gettext as _

from .references import known_names, options
from .rules import computed_problems, rule_problems

#: A step shows at most this many fields when the schema has no ``x-steps``.
MAX_FIELDS_PER_STEP: Final = 6

#: A string whose ``maxLength`` reaches this is written in a multi-line box.
TEXTAREA_MIN_LENGTH: Final = 500

_ANNOTATIONS: Final = frozenset(
    {"title", "description", "default", "examples", "$comment", "deprecated", "readOnly"}
)
_ROOT_ONLY: Final = frozenset({"$schema", "$id"})
_NUMERIC: Final = frozenset(
    {"type", "enum", "const", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"}
    | {"multipleOf"}
)
_KEYWORDS: Final[dict[str, frozenset[str]]] = {
    "object": frozenset(
        {"type", "properties", "required", "additionalProperties"}
        | {"if", "then", "else", "allOf", "dependentRequired"}
    ),
    "string": frozenset({"type", "enum", "const", "format", "maxLength", "minLength", "pattern"}),
    "integer": _NUMERIC,
    "number": _NUMERIC,
    "boolean": frozenset({"type", "const", "enum"}),
    "array": frozenset({"type", "items", "minItems", "maxItems", "uniqueItems"}),
}


class Kind(enum.StrEnum):
    """How a property is collected."""

    TEXT = "text"
    DATE = "date"
    DATETIME = "datetime"
    EMAIL = "email"
    CHOICE = "choice"
    INTEGER = "integer"
    NUMBER = "number"
    BOOLEAN = "boolean"
    LINES = "lines"
    MULTI_CHOICE = "multi_choice"
    ROWS = "rows"


_FORMATS: Final[dict[str, Kind]] = {
    "date": Kind.DATE,
    "date-time": Kind.DATETIME,
    "email": Kind.EMAIL,
}


class UnsupportedSchema(ValueError):
    """The e-form uses JSON Schema that a server-side form cannot collect faithfully."""

    def __init__(self, problems: Sequence[tuple[str, str]]) -> None:
        self.problems: list[tuple[str, str]] = list(problems)
        listed = "; ".join(f"{path}: {reason}" for path, reason in self.problems)
        super().__init__(
            _("The e-form cannot be shown as a form: %(problems)s") % {"problems": listed}
        )


def _ecma_anchors(pattern: str) -> str:
    """``$`` as ECMA-262 reads it: the end of the text (Python's also allows a final newline)."""
    out: list[str] = []
    escaped = in_class = False
    for char in pattern:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "$":
            out.append(r"\Z")
            continue
        out.append(char)
    return "".join(out)


@lru_cache(maxsize=512)
def compile_pattern(pattern: str) -> re.Pattern[str]:
    """A JSON Schema ``pattern`` compiled to behave as ECMA-262, the dialect JSON Schema uses.

    ``\\d`` and ``\\w`` match ASCII only (Python would accept Arabic-Indic or full-width
    digits in an ID number) and ``$`` matches only at the very end (Python would accept
    ``"048123456789\\n"`` for ``^\\d{12}$``).
    """
    return re.compile(_ecma_anchors(pattern), re.ASCII)


@dataclass(frozen=True)
class Leaf:
    """One property that becomes one form field."""

    name: str
    path: tuple[str, ...]
    schema: Mapping[str, Any]
    kind: Kind
    json_type: str
    required: bool
    always_required: bool
    item_schema: Mapping[str, Any] = field(default_factory=dict)
    item_kind: Kind | None = None
    #: For a repeating group (:attr:`Kind.ROWS`): one row's fields, named relative to the row.
    item_group: Group | None = None

    @property
    def min_items(self) -> int:
        return int(self.schema.get("minItems", 0))

    @property
    def max_items(self) -> int | None:
        limit = self.schema.get("maxItems")
        return None if limit is None else int(limit)

    @property
    def row_title(self) -> str:
        """What one row is called (``Thành viên``): the items' title, else the list's."""
        return str(self.item_schema.get("title") or self.title)

    @property
    def key(self) -> str:
        return self.path[-1]

    @property
    def title(self) -> str:
        return str(self.schema.get("title") or self.key)

    @property
    def description(self) -> str:
        return str(self.schema.get("description") or "")

    @property
    def computed(self) -> bool:
        """Computed by the server from other answers (``x-computed``): no input in the form."""
        return "x-computed" in self.schema

    @property
    def reference(self) -> str:
        """The platform's reference list the answer comes from (``x-reference``), or ``""``."""
        return str(self.schema.get("x-reference") or "")

    @property
    def choices(self) -> list[Any]:
        """The allowed values of an enum (of the items, for an array)."""
        source = self.item_schema if self.kind is Kind.MULTI_CHOICE else self.schema
        if source.get("x-reference"):
            return [option.value for option in options(str(source["x-reference"]))]
        if "const" in source:
            return [source["const"]]
        return list(source.get("enum", []))

    @property
    def must_be_true(self) -> bool:
        return self.kind is Kind.BOOLEAN and self.choices == [True]

    def item_leaf(self) -> Leaf:
        """For a list, one of its items as a field of its own."""
        return Leaf(
            name=self.name,
            path=self.path,
            schema=self.item_schema,
            kind=self.item_kind or Kind.TEXT,
            json_type="string",
            required=True,
            always_required=True,
        )

    def leaves(self) -> Iterator[Leaf]:
        yield self


@dataclass(frozen=True)
class Clause:
    """One part of a condition's test: the field ``key`` (a sibling) has one of ``values``
    (any value when ``None``); ``required``: an unanswered field fails the test."""

    key: str
    values: tuple[Any, ...] | None
    required: bool


@dataclass(frozen=True)
class Condition:
    """``if``/``then``/``else`` on an object's own fields, in the form a form can show.

    ``test`` is the ``if`` schema (evaluated by the JSON Schema validator on the server, so the
    server decides with the full rule); the branches require fields (``required``) or hide
    them (``"properties": {"name": false}``: an answer there is refused).
    """

    test: Mapping[str, Any]
    clauses: tuple[Clause, ...]
    then_required: tuple[str, ...] = ()
    then_hidden: tuple[str, ...] = ()
    else_required: tuple[str, ...] = ()
    else_hidden: tuple[str, ...] = ()


@dataclass(frozen=True)
class Group:
    """A nested object (or the whole form, with the empty name)."""

    name: str
    path: tuple[str, ...]
    schema: Mapping[str, Any]
    required: bool
    always_required: bool
    children: tuple[Leaf | Group, ...]
    #: ``if``/``then``/``else`` rules (and a ``oneOf``'s branches) about this object's fields.
    conditions: tuple[Condition, ...] = ()
    #: ``dependentRequired``: a field's name → the fields it makes required once answered.
    dependent_required: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    #: For a ``oneOf`` property: the field that chooses the branch.
    discriminator: str = ""

    def visibility(self, key: str) -> tuple[tuple[Condition, bool], ...]:
        """When the child ``key`` is shown: each (condition, whether it must hold)."""
        found: list[tuple[Condition, bool]] = []
        for condition in self.conditions:
            if key in condition.then_hidden:
                found.append((condition, False))
            if key in condition.else_hidden:
                found.append((condition, True))
        return tuple(found)

    def required_when(self, key: str) -> tuple[tuple[Condition, bool], ...]:
        """When the child ``key`` must be answered by a condition: (condition, holds)."""
        found: list[tuple[Condition, bool]] = []
        for condition in self.conditions:
            if key in condition.then_required:
                found.append((condition, True))
            if key in condition.else_required:
                found.append((condition, False))
        return tuple(found)

    def child(self, key: str) -> Leaf | Group | None:
        return next((child for child in self.children if child.key == key), None)

    @property
    def key(self) -> str:
        return self.path[-1] if self.path else ""

    @property
    def title(self) -> str:
        return str(self.schema.get("title") or self.key)

    @property
    def description(self) -> str:
        return str(self.schema.get("description") or "")

    def leaves(self) -> Iterator[Leaf]:
        for child in self.children:
            yield from child.leaves()

    def find(self, name: str) -> Leaf | Group | None:
        """The node with the dotted ``name`` (``""`` is this group)."""
        if name == self.name:
            return self
        for child in self.children:
            if name == child.name:
                return child
            if isinstance(child, Group) and name.startswith(child.name + "."):
                return child.find(name)
        return None


@dataclass(frozen=True)
class Step:
    """One page of a multi-step form: its title and the dotted names of its fields."""

    title: str
    field_names: tuple[str, ...]


def _display(path: Sequence[str]) -> str:
    return ".".join(path) or "(root)"


def _json_type(value: Any) -> str | None:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return None


class _Parser:
    def __init__(self, *, in_rows: bool = False) -> None:
        self.problems: list[tuple[str, str]] = []
        self.in_rows = in_rows

    def problem(self, where: str, reason: str) -> None:
        self.problems.append((where, reason))

    def type_of(self, schema: Mapping[str, Any], where: str) -> str | None:
        declared = schema.get("type")
        if isinstance(declared, str):
            if declared not in _KEYWORDS:
                self.problem(where, _('type "%(type)s" is not supported') % {"type": declared})
                return None
            return declared
        if declared is not None:
            self.problem(where, _("a list of types is not supported; give one type"))
            return None
        if "properties" in schema or not schema:
            return "object"
        values = [schema["const"]] if "const" in schema else schema.get("enum")
        if isinstance(values, list) and values:
            types = {_json_type(value) for value in values}
            if len(types) == 1 and None not in types:
                inferred = types.pop()
                assert inferred is not None
                return inferred
        self.problem(where, _('the property has no "type"'))
        return None

    def check_keywords(
        self, schema: Mapping[str, Any], kind: str, where: str, *, root: bool = False
    ) -> None:
        allowed = _KEYWORDS[kind] | _ANNOTATIONS | (_ROOT_ONLY if root else frozenset())
        unknown = sorted(
            key for key in schema if key not in allowed and not str(key).startswith("x-")
        )
        if unknown:
            self.problem(
                where,
                _("these keywords are not supported here: %(keywords)s")
                % {"keywords": ", ".join(unknown)},
            )

    def check_values(self, schema: Mapping[str, Any], json_type: str, where: str) -> None:
        values = [schema["const"]] if "const" in schema else schema.get("enum")
        if values is None:
            return
        accepted = {json_type, "integer"} if json_type == "number" else {json_type}
        if not values or any(_json_type(value) not in accepted for value in values):
            self.problem(
                where,
                _("the allowed values must all be of type %(type)s") % {"type": json_type},
            )
        if json_type == "boolean" and values != [True]:
            self.problem(where, _("a yes/no property may only be restricted to true"))

    def check_prefill(self, schema: Mapping[str, Any], json_type: str, where: str) -> None:
        """``x-prefill``: on a field the citizen answers, outside a repeating group's rows."""
        from .prefill import declaration_problem  # prefill reads parsed schemas

        reason = declaration_problem(schema["x-prefill"])
        if not reason and (json_type in {"object", "array"} or "x-computed" in schema):
            reason = _('"x-prefill" is given only on a field the applicant answers')
        if not reason and self.in_rows:
            reason = _('"x-prefill" is not supported in the rows of a repeating group')
        if reason:
            self.problem(where, reason)

    def check_pattern(self, schema: Mapping[str, Any], where: str) -> None:
        pattern = schema.get("pattern")
        if pattern is None:
            return
        try:
            compile_pattern(str(pattern))
        except re.error:
            self.problem(where, _("the pattern is not a regular expression Python understands"))

    def scalar(
        self,
        schema: Mapping[str, Any],
        json_type: str,
        where: str,
    ) -> Kind | None:
        self.check_keywords(schema, json_type, where)
        self.check_values(schema, json_type, where)
        has_choices = "enum" in schema or "const" in schema
        if "x-reference" in schema:
            reference = schema["x-reference"]
            narrowed = any(keyword in schema for keyword in ("format", "pattern"))
            if json_type != "string" or has_choices or narrowed or reference not in known_names():
                self.problem(
                    where,
                    _(
                        '"x-reference" names one of the platform\'s lists (%(names)s) on a '
                        'text property without "enum", "format" or "pattern"'
                    )
                    % {"names": ", ".join(known_names())},
                )
                return None
            return Kind.CHOICE
        if json_type == "string":
            self.check_pattern(schema, where)
            fmt = schema.get("format")
            if fmt is not None and fmt not in _FORMATS:
                self.problem(where, _('format "%(format)s" is not supported') % {"format": fmt})
                return None
            if has_choices:
                return Kind.CHOICE
            return _FORMATS.get(str(fmt), Kind.TEXT) if fmt else Kind.TEXT
        if json_type == "boolean":
            return Kind.BOOLEAN
        if has_choices:
            return Kind.CHOICE
        return Kind.INTEGER if json_type == "integer" else Kind.NUMBER

    def rows(self, items: Mapping[str, Any], items_where: str) -> Group | None:
        """One row of a repeating group, parsed on its own (names relative to the row)."""
        if self.in_rows:
            self.problem(
                items_where, _("a repeating group inside a repeating group is not supported")
            )
            return None
        inner = _Parser(in_rows=True)
        row = inner.group(items, (), required=True, always_required=True)
        for path, reason in inner.problems:
            self.problem(items_where if path == "(root)" else f"{items_where}.{path}", reason)
        if not row.children and not inner.problems:
            self.problem(items_where, _("a repeating group needs at least one property"))
        return row

    def array(
        self, schema: Mapping[str, Any], where: str
    ) -> tuple[Kind | None, dict[str, Any], Kind | None, Group | None]:
        self.check_keywords(schema, "array", where)
        items = schema.get("items")
        items_where = where + "[]"
        if not isinstance(items, Mapping):
            self.problem(items_where, _('a list needs an "items" schema'))
            return None, {}, None, None
        item_type = self.type_of(items, items_where)
        if item_type is None:
            return None, {}, None, None
        if item_type == "object":
            row = self.rows(items, items_where)
            return (Kind.ROWS if row else None), dict(items), None, row
        if item_type != "string":
            self.problem(
                items_where,
                _("lists of %(type)s are not supported; only lists of text or of groups")
                % {"type": item_type},
            )
            return None, {}, None, None
        item_kind = self.scalar(items, "string", items_where)
        if item_kind is None:
            return None, {}, None, None
        if item_kind is Kind.CHOICE:
            return Kind.MULTI_CHOICE, dict(items), item_kind, None
        return Kind.LINES, dict(items), item_kind, None

    def group(
        self,
        schema: Mapping[str, Any],
        path: tuple[str, ...],
        *,
        required: bool,
        always_required: bool,
    ) -> Group:
        where = _display(path)
        self.check_keywords(schema, "object", where, root=not path)
        properties = schema.get("properties", {})
        if not isinstance(properties, Mapping):
            self.problem(where, _('"properties" must be an object'))
            properties = {}
        listed = schema.get("required", [])
        if not isinstance(listed, list) or not all(isinstance(name, str) for name in listed):
            self.problem(where, _('"required" must be a list of property names'))
            listed = []
        for name in listed:
            if name not in properties:
                self.problem(
                    where,
                    _('"%(name)s" is required but is not a property') % {"name": name},
                )
        extra = schema.get("additionalProperties", False)
        if not isinstance(extra, bool):
            self.problem(where, _('"additionalProperties" may only be true or false'))
        children: list[Leaf | Group] = []
        for key, prop in properties.items():
            child_path = (*path, str(key))
            child_where = _display(child_path)
            if not key or "." in key:
                self.problem(child_where, _('property names must not be empty or contain "."'))
                continue
            if not isinstance(prop, Mapping):
                self.problem(child_where, _("the property must be described by an object"))
                continue
            child_required = key in listed
            child_always = always_required and child_required
            if "oneOf" in prop:
                chosen = self.alternatives(
                    prop, child_path, required=child_required, always_required=child_always
                )
                if chosen is not None:
                    children.append(chosen)
                continue
            json_type = self.type_of(prop, child_where)
            if json_type is None:
                continue
            if "x-prefill" in prop:
                self.check_prefill(prop, json_type, child_where)
            if json_type == "object":
                children.append(
                    self.group(
                        prop, child_path, required=child_required, always_required=child_always
                    )
                )
                continue
            item_schema: dict[str, Any] = {}
            item_kind: Kind | None = None
            item_group: Group | None = None
            if json_type == "array":
                kind, item_schema, item_kind, item_group = self.array(prop, child_where)
            else:
                kind = self.scalar(prop, json_type, child_where)
            if kind is None:
                continue
            children.append(
                Leaf(
                    name=".".join(child_path),
                    path=child_path,
                    schema=prop,
                    kind=kind,
                    json_type=json_type,
                    required=child_required,
                    always_required=child_always,
                    item_schema=item_schema,
                    item_kind=item_kind,
                    item_group=item_group,
                )
            )
        by_key = {child.key: child for child in children}
        kinds = {
            child.key: str(child.schema.get("format") or child.json_type)
            for child in children
            if isinstance(child, Leaf)
        }
        if "x-rules" in schema:
            for rule_where, reason in rule_problems(schema["x-rules"], kinds):
                self.problem(f"{where}.{rule_where}", reason)
        for child in children:
            if isinstance(child, Leaf) and "x-computed" in child.schema:
                for reason in computed_problems(
                    child.schema["x-computed"], child.schema.get("type"), kinds
                ):
                    self.problem(child.name or where, reason)
        return Group(
            name=".".join(path),
            path=path,
            schema=schema,
            required=required,
            always_required=always_required,
            children=tuple(children),
            conditions=self.conditions(schema, where, by_key, listed),
            dependent_required=self.dependent(schema, where, by_key),
        )

    def alternatives(
        self,
        schema: Mapping[str, Any],
        path: tuple[str, ...],
        *,
        required: bool,
        always_required: bool,
    ) -> Group | None:
        """A ``oneOf`` of objects: one of several ways to answer, chosen by one field.

        Each alternative fixes the same property with ``const`` (and requires it): that
        property becomes a choice of the alternatives by their titles, and each
        alternative's other fields are shown when it is chosen.
        """
        where = _display(path)
        unknown = sorted(
            key
            for key in schema
            if key not in {"oneOf", "type"} | _ANNOTATIONS and not str(key).startswith("x-")
        )
        if unknown:
            self.problem(
                where,
                _("these keywords are not supported here: %(keywords)s")
                % {"keywords": ", ".join(unknown)},
            )
        if schema.get("type", "object") != "object":
            self.problem(where, _('the alternatives of "oneOf" must be objects'))
            return None
        branches = schema["oneOf"]
        if (
            not isinstance(branches, list)
            or len(branches) < 2
            or not all(isinstance(branch, Mapping) for branch in branches)
        ):
            self.problem(where, _('"oneOf" needs a list of at least two objects'))
            return None
        shared: list[str] | None = None
        for branch in branches:
            properties = branch.get("properties", {})
            listed = branch.get("required", [])
            fixed = [
                str(key)
                for key, prop in (properties.items() if isinstance(properties, Mapping) else [])
                if isinstance(prop, Mapping) and "const" in prop and key in listed
            ]
            shared = fixed if shared is None else [key for key in shared if key in fixed]
        if not shared:
            self.problem(
                where,
                _(
                    'each alternative must fix the same property with "const" and list it in '
                    '"required" (it says which alternative was chosen)'
                ),
            )
            return None
        chooser = shared[0]
        values = [branch["properties"][chooser]["const"] for branch in branches]
        if not all(isinstance(value, str) for value in values) or len(set(values)) != len(values):
            self.problem(
                f"{where}.{chooser}",
                _("the alternatives must give %(name)s different texts") % {"name": chooser},
            )
            return None
        titles = [
            str(branch.get("title") or value)
            for branch, value in zip(branches, values, strict=True)
        ]
        first = branches[0]["properties"][chooser]
        chooser_leaf = Leaf(
            name=".".join((*path, chooser)),
            path=(*path, chooser),
            schema={
                "type": "string",
                "title": first.get("title") or schema.get("title") or chooser,
                "description": first.get("description", ""),
                "enum": values,
                "x-enumNames": titles,
            },
            kind=Kind.CHOICE,
            json_type="string",
            required=True,
            always_required=always_required,
        )
        children: list[Leaf | Group] = [chooser_leaf]
        conditions: list[Condition] = []
        for number, (branch, value) in enumerate(zip(branches, values, strict=True)):
            branch_where = f"{where}.oneOf[{number}]"
            inner = _Parser(in_rows=self.in_rows)
            own = {
                **branch,
                "properties": {
                    k: v for k, v in branch.get("properties", {}).items() if k != chooser
                },
                "required": [k for k in branch.get("required", []) if k != chooser],
            }
            parsed = inner.group(own, path, required=True, always_required=False)
            for problem_path, reason in inner.problems:
                self.problem(branch_where if problem_path == where else problem_path, reason)
            if parsed.conditions or parsed.dependent_required:
                self.problem(branch_where, _("conditions inside an alternative are not supported"))
            keys: list[str] = []
            for child in parsed.children:
                if any(child.key == known.key for known in children):
                    self.problem(
                        f"{where}.{child.key}",
                        _("the property is in more than one alternative; give it its own name"),
                    )
                    continue
                children.append(replace(child, required=False, always_required=False))
                keys.append(child.key)
            conditions.append(
                Condition(
                    test={"properties": {chooser: {"const": value}}, "required": [chooser]},
                    clauses=(Clause(chooser, (value,), True),),
                    then_required=tuple(k for k in own["required"] if k in keys),
                    else_hidden=tuple(keys),
                )
            )
        return Group(
            name=".".join(path),
            path=path,
            schema=schema,
            required=required,
            always_required=always_required,
            children=tuple(children),
            conditions=tuple(conditions),
            discriminator=chooser,
        )

    def conditions(
        self,
        schema: Mapping[str, Any],
        where: str,
        by_key: Mapping[str, Leaf | Group],
        listed: Sequence[str],
    ) -> tuple[Condition, ...]:
        rules: list[tuple[str, Mapping[str, Any]]] = []
        if any(keyword in schema for keyword in ("if", "then", "else")):
            rules.append((where, schema))
        all_of = schema.get("allOf", [])
        if not isinstance(all_of, list):
            self.problem(where, _('"allOf" must be a list of if/then/else rules'))
            all_of = []
        for number, part in enumerate(all_of):
            part_where = f"{where}.allOf[{number}]"
            if not isinstance(part, Mapping) or set(part) - {"if", "then", "else"} - _ANNOTATIONS:
                self.problem(part_where, _('each entry of "allOf" must be an if/then/else rule'))
                continue
            rules.append((part_where, part))
        found: list[Condition] = []
        for rule_where, rule in rules:
            test = rule.get("if")
            if not isinstance(test, Mapping):
                self.problem(rule_where, _('"then" and "else" need an "if"'))
                continue
            clauses = self.clauses(test, rule_where + ".if", by_key)
            branches: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}
            for part in ("then", "else"):
                branches[part] = self.branch(rule.get(part, {}), f"{rule_where}.{part}", by_key)
            if clauses is None:
                continue
            tested = {clause.key for clause in clauses}
            targets = {key for required, hidden in branches.values() for key in required + hidden}
            if tested & targets:
                self.problem(rule_where, _("a rule cannot hide or require the field it tests"))
                continue
            for part, (_required, hidden) in branches.items():
                for key in hidden:
                    if key in listed:
                        self.problem(
                            f"{rule_where}.{part}",
                            _(
                                '"%(name)s" is always required but this rule hides it; '
                                "require it in the rule's other branch instead"
                            )
                            % {"name": key},
                        )
            found.append(
                Condition(
                    test=test,
                    clauses=clauses,
                    then_required=branches["then"][0],
                    then_hidden=branches["then"][1],
                    else_required=branches["else"][0],
                    else_hidden=branches["else"][1],
                )
            )
        return tuple(found)

    def clauses(
        self, test: Mapping[str, Any], where: str, by_key: Mapping[str, Leaf | Group]
    ) -> tuple[Clause, ...] | None:
        """The ``if`` of a rule: fixed values (``const``/``enum``) of yes/no or choice fields
        of the same object, or (``required``) that a field is answered."""
        if set(test) - {"properties", "required"} - _ANNOTATIONS:
            self.problem(where, _('a condition may only use "properties" and "required"'))
            return None
        properties = test.get("properties", {})
        required = test.get("required", [])
        if not isinstance(properties, Mapping) or not isinstance(required, list):
            self.problem(where, _('a condition may only use "properties" and "required"'))
            return None
        clauses: list[Clause] = []
        ok = True
        for key in [*properties, *[k for k in required if k not in properties]]:
            node = by_key.get(str(key))
            if not isinstance(node, Leaf) or node.kind is Kind.ROWS:
                self.problem(where, _('"%(name)s" is not a field of this object') % {"name": key})
                ok = False
                continue
            values: tuple[Any, ...] | None = None
            if key in properties:
                rule = properties[key]
                if (
                    not isinstance(rule, Mapping)
                    or len(rule) != 1
                    or not set(rule) <= {"const", "enum"}
                ):
                    self.problem(
                        where,
                        _('a condition on "%(name)s" may only give "const" or "enum"')
                        % {"name": key},
                    )
                    ok = False
                    continue
                values = (rule["const"],) if "const" in rule else tuple(rule.get("enum") or ())
                allowed = [True, False] if node.kind is Kind.BOOLEAN else node.choices
                if (
                    node.kind not in (Kind.BOOLEAN, Kind.CHOICE)
                    or not values
                    or any(
                        value not in allowed
                        or isinstance(value, bool) != (node.kind is Kind.BOOLEAN)
                        for value in values
                    )
                ):
                    self.problem(
                        where,
                        _("a condition may only test a yes/no or choice field for its own values"),
                    )
                    ok = False
                    continue
            elif node.kind is Kind.BOOLEAN:
                self.problem(
                    where,
                    _('a yes/no field is always answered; test it with "const" instead'),
                )
                ok = False
                continue
            clauses.append(Clause(str(key), values, key in required))
        if not clauses and ok:
            self.problem(where, _("the condition tests no field"))
            return None
        return tuple(clauses) if ok else None

    def branch(
        self, part: Any, where: str, by_key: Mapping[str, Leaf | Group]
    ) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(required, hidden) field names of ``then``/``else``."""
        if not isinstance(part, Mapping) or set(part) - {"required", "properties"} - _ANNOTATIONS:
            self.problem(
                where,
                _('a rule\'s branch may only list "required" fields and hide fields with false'),
            )
            return (), ()
        required = part.get("required", [])
        properties = part.get("properties", {})
        if not isinstance(required, list) or not isinstance(properties, Mapping):
            self.problem(where, _('"required" must be a list of property names'))
            return (), ()
        for key in [*required, *properties]:
            if key not in by_key:
                self.problem(where, _('"%(name)s" is not a property') % {"name": key})
                return (), ()
        if any(value is not False for value in properties.values()):
            self.problem(
                where,
                _('a rule\'s branch may only list "required" fields and hide fields with false'),
            )
            return (), ()
        return tuple(map(str, required)), tuple(map(str, properties))

    def dependent(
        self, schema: Mapping[str, Any], where: str, by_key: Mapping[str, Leaf | Group]
    ) -> dict[str, tuple[str, ...]]:
        declared = schema.get("dependentRequired", {})
        found: dict[str, tuple[str, ...]] = {}
        if not isinstance(declared, Mapping):
            self.problem(where, _('"dependentRequired" must map a field to a list of fields'))
            return found
        for key, names in declared.items():
            node = by_key.get(key)
            if node is None or not isinstance(names, list) or any(n not in by_key for n in names):
                self.problem(
                    f"{where}.dependentRequired",
                    _('"%(name)s" and the fields it requires must be properties') % {"name": key},
                )
                continue
            if isinstance(node, Leaf) and node.kind is Kind.BOOLEAN:
                self.problem(
                    f"{where}.dependentRequired",
                    _(
                        'a yes/no field is always answered; use "if" with "const": true to '
                        "require fields when it is ticked"
                    ),
                )
                continue
            found[str(key)] = tuple(map(str, names))
        return found


def parse(schema: Mapping[str, Any]) -> Group:
    """The form's tree of fields; raises :class:`UnsupportedSchema` listing every problem."""
    parser = _Parser()
    if not isinstance(schema, Mapping):
        raise UnsupportedSchema([("(root)", _("the e-form must be a JSON object"))])
    if schema and parser.type_of(schema, "(root)") not in (None, "object"):
        parser.problem("(root)", _('the e-form must describe an object ("type": "object")'))
        raise UnsupportedSchema(parser.problems)
    root = parser.group(schema, (), required=True, always_required=True)
    if parser.problems:
        raise UnsupportedSchema(parser.problems)
    return root


def _declared_steps(root: Group, declared: Any) -> list[Step]:
    problems: list[tuple[str, str]] = []
    if not isinstance(declared, list) or not declared:
        raise UnsupportedSchema([("x-steps", _("must be a non-empty list of steps"))])
    order = {leaf.name: index for index, leaf in enumerate(root.leaves())}
    seen: set[str] = set()
    steps: list[Step] = []
    for number, entry in enumerate(declared, start=1):
        where = f"x-steps[{number}]"
        if (
            not isinstance(entry, Mapping)
            or not isinstance(entry.get("title"), str)
            or not isinstance(entry.get("properties"), list)
            or not entry["properties"]
        ):
            problems.append((where, _('each step needs a "title" and a list of "properties"')))
            continue
        names: list[str] = []
        for name in entry["properties"]:
            node = root.find(name) if isinstance(name, str) and name else None
            if node is None or node is root:
                problems.append((where, _('"%(name)s" is not a property') % {"name": name}))
                continue
            for leaf in node.leaves():
                if leaf.name in seen:
                    problems.append(
                        (where, _('"%(name)s" is in more than one step') % {"name": leaf.name})
                    )
                    continue
                seen.add(leaf.name)
                names.append(leaf.name)
        steps.append(Step(entry["title"], tuple(names)))
    if problems:
        raise UnsupportedSchema(problems)
    leftover = tuple(name for name in order if name not in seen)
    if leftover:
        # Never drop a field the schema asks for: it gets a step of its own at the end.
        steps.append(Step(_("Other information"), leftover))
    return steps


def steps_for(root: Group) -> list[Step]:
    """The steps of a parsed form: ``x-steps`` when given, else runs of at most 6 fields.

    Without ``x-steps`` the fields are split in order into the fewest steps of at most
    :data:`MAX_FIELDS_PER_STEP` fields, of about equal size; a nested object stays whole.
    """
    if "x-steps" in root.schema:
        return _declared_steps(root, root.schema["x-steps"])
    groups = [[leaf.name for leaf in child.leaves()] for child in root.children]
    total = sum(len(names) for names in groups)
    # The fewest steps of at most MAX_FIELDS_PER_STEP fields, balanced: 7 fields are 4 + 3.
    target = math.ceil(total / math.ceil(total / MAX_FIELDS_PER_STEP)) if total else 0
    chunks: list[list[str]] = []
    current: list[str] = []
    for names in groups:
        if current and len(current) + len(names) > target:
            chunks.append(current)
            current = []
        current.extend(names)
    if current:
        chunks.append(current)
    if len(chunks) == 1:
        return [Step(root.title or _("Form"), tuple(chunks[0]))]
    return [
        Step(_("Part %(number)d of %(count)d") % {"number": number, "count": len(chunks)}, tuple(c))
        for number, c in enumerate(chunks, start=1)
    ]


def form_steps(schema: Mapping[str, Any]) -> list[Step]:
    """The steps of the e-form ``schema`` (an empty list when it has no fields)."""
    return steps_for(parse(schema))


def unsupported_problems(schema: Mapping[str, Any]) -> list[str]:
    """Why ``schema`` cannot be shown as a server-side form, one line per problem."""
    try:
        steps_for(parse(schema))
    except UnsupportedSchema as exc:
        return [f"{path}: {reason}" for path, reason in exc.problems]
    return []
