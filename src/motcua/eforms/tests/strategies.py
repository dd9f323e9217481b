"""Hypothesis strategies for e-form documents, schemas and the POST data a browser would send."""

from __future__ import annotations

import datetime
import json
import unicodedata
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.forms import CheckboxInput, CheckboxSelectMultiple, MultiWidget
from django.utils.datastructures import MultiValueDict
from hypothesis import assume
from hypothesis import strategies as st

from motcua.eforms.conditions import drop, verdict
from motcua.eforms.forms import EForm, initial_from_document
from motcua.eforms.references import PERSONAL_LISTS, options
from motcua.eforms.rules import rule_errors, with_computed
from motcua.eforms.schema import Group, Kind, Leaf, compile_pattern, parse
from motcua.eforms.validation import validator_for

DEMO_CATALOGUE = Path(__file__).resolve().parents[2] / "catalog" / "demo" / "catalog_danang.json"

VIETNAMESE = (
    "aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợ"
    "úùủũụứừửữựýỳỷỹỵAĂÂĐÊÔƠƯ0123456789 ,.-/()"
)
SAIGON = ZoneInfo("Asia/Ho_Chi_Minh")


def demo_eforms() -> list[tuple[str, dict[str, Any]]]:
    """Every case's e-form in the Đà Nẵng demo catalogue, with a readable id."""
    catalogue = json.loads(DEMO_CATALOGUE.read_text(encoding="utf-8"))
    found = []
    for procedure in catalogue["procedures"]:
        for index, case in enumerate(procedure.get("cases", [])):
            if case.get("eform"):
                found.append((f"{procedure['code']}-{index}", case["eform"]))
    return found


def _stable(text: str) -> bool:
    """Survives the form unchanged: stripped, NFC, one line, no NUL."""
    return (
        bool(text)
        and text == unicodedata.normalize("NFC", text.strip())
        and text.splitlines() == [text]
        and "\x00" not in text
    )


def texts(schema: Mapping[str, Any]) -> st.SearchStrategy[str]:
    if "pattern" in schema:
        pattern = compile_pattern(str(schema["pattern"]))
        base = st.from_regex(pattern, fullmatch=False)
    else:
        low = max(1, int(schema.get("minLength", 1)))
        high = min(int(schema.get("maxLength", 40)), max(low, 40))
        base = st.one_of(
            st.text(alphabet=VIETNAMESE, min_size=low, max_size=high),
            st.text(
                alphabet=st.characters(blacklist_categories=("Cs", "Cc")),
                min_size=low,
                max_size=high,
            ),
        )

    def fits(text: str) -> bool:
        return (
            _stable(text)
            and schema.get("minLength", 0) <= len(text) <= schema.get("maxLength", 10**6)
            and (("pattern" not in schema) or bool(compile_pattern(schema["pattern"]).search(text)))
        )

    return base.filter(fits)


def emails(schema: Mapping[str, Any]) -> st.SearchStrategy[str]:
    return st.from_regex(
        r"[a-z0-9]{1,10}(\.[a-z0-9]{1,5})?@[a-z0-9]{1,10}\.(vn|com|gov\.vn)", fullmatch=True
    ).filter(lambda text: len(text) <= schema.get("maxLength", 10**6))


def _bounds(schema: Mapping[str, Any], default: int) -> tuple[Decimal, Decimal]:
    low = max(
        Decimal(str(schema.get("minimum", -default))),
        Decimal(str(schema.get("exclusiveMinimum", -default))),
    )
    high = min(
        Decimal(str(schema.get("maximum", default))),
        Decimal(str(schema.get("exclusiveMaximum", default))),
    )
    return low, high


def integers(schema: Mapping[str, Any]) -> st.SearchStrategy[int]:
    low, high = _bounds(schema, 10**12)
    step = int(schema.get("multipleOf", 1))
    smallest = -(-int(low.to_integral_value(rounding="ROUND_CEILING")) // step)
    largest = int(high.to_integral_value(rounding="ROUND_FLOOR")) // step
    return (
        st.integers(smallest, largest)
        .map(lambda k: k * step)
        .filter(lambda value: validator_for(schema).is_valid(value))
    )


def numbers(schema: Mapping[str, Any]) -> st.SearchStrategy[float | int]:
    low, high = _bounds(schema, 10**9)
    if "multipleOf" in schema:
        step = Decimal(str(schema["multipleOf"]))
        found = st.integers(int(-(-low // step)), int(high // step)).map(lambda k: float(k * step))
    else:
        found = st.decimals(min_value=low, max_value=high, places=3, allow_nan=False).map(float)
    return found.filter(lambda value: validator_for(schema).is_valid(value))


def dates() -> st.SearchStrategy[str]:
    # Up to today: forms ask for dates of birth, death, registration, all "not after today"
    # (x-rules against $today). Dates past it only made the rules refuse most drawn documents,
    # and Hypothesis' health check failed the demo's death registration now and then.
    return st.dates(datetime.date(1900, 1, 1), datetime.date.today()).map(datetime.date.isoformat)


def date_times() -> st.SearchStrategy[str]:
    return st.datetimes(datetime.datetime(1980, 1, 1), datetime.datetime(2100, 1, 1)).map(
        lambda moment: moment.replace(microsecond=0, tzinfo=SAIGON).isoformat()
    )


def values(leaf: Leaf) -> st.SearchStrategy[Any]:
    """Valid JSON values for one field, as the form gives them back."""
    schema = leaf.schema
    kind = leaf.kind
    if kind is Kind.CHOICE and leaf.reference in PERSONAL_LISTS:
        # a person's list (a digital address): without a person, a well-formed value
        return st.just(PERSONAL_LISTS[leaf.reference].example(None))
    if kind is Kind.CHOICE:
        return st.sampled_from(leaf.choices)
    if kind is Kind.BOOLEAN:
        return st.just(True) if leaf.must_be_true else st.booleans()
    if kind is Kind.INTEGER:
        return integers(schema)
    if kind is Kind.NUMBER:
        return numbers(schema)
    if kind is Kind.DATE:
        return dates()
    if kind is Kind.DATETIME:
        return date_times()
    if kind is Kind.EMAIL:
        return emails(schema)
    if kind is Kind.TEXT:
        return texts(schema)
    low = int(schema.get("minItems", 0))
    high = int(schema.get("maxItems", low + 4))
    if kind is Kind.ROWS:
        assert leaf.item_group is not None
        high = min(high, low + 3)
        return st.lists(documents(leaf.item_group), min_size=max(low, 1), max_size=max(high, 1))
    if kind is Kind.MULTI_CHOICE:
        return st.lists(st.sampled_from(leaf.choices), min_size=low, max_size=high, unique=True)
    item = leaf.item_leaf()
    return st.lists(
        values(item), min_size=low, max_size=high, unique=bool(schema.get("uniqueItems"))
    )


def _filled(value: Any) -> bool:
    return value not in (None, False, "", [])


@st.composite
def documents(draw: st.DrawFn, schema: Mapping[str, Any] | Group) -> dict[str, Any]:
    """A document valid for ``schema`` that the form can reproduce exactly.

    Optional yes/no answers are always present (an unticked box means ``false``), optional
    objects are present only with at least one real answer.
    """
    tree = schema if isinstance(schema, Group) else parse(schema)

    def build(group: Group) -> dict[str, Any]:
        document: dict[str, Any] = {}
        for child in group.children:
            if isinstance(child, Leaf) and child.computed:
                continue  # the server's: written by with_computed below
            if isinstance(child, Group):
                nested = build(child)
                answered = any(_filled(value) for value in _flat(nested))
                if child.required or (answered and draw(st.booleans())):
                    document[child.key] = nested
                continue
            if child.kind is Kind.BOOLEAN and child.required:
                document[child.key] = True  # a required yes/no box must be ticked
                continue
            always = child.kind is Kind.BOOLEAN and not child.must_be_true
            if child.required or always or draw(st.booleans()):
                # a list, like a text, is answered with at least one item
                document[child.key] = draw(values(child).filter(lambda value: value != []))
        return document

    document = build(tree)
    # The answers' own rules: leave out what they hide, answer what they require.
    for _round in range(4):
        verdict_now = verdict(tree, document)
        document = drop(document, verdict_now.hidden)
        missing = [name for name in sorted(verdict_now.required) if not _at(document, name)]
        if not missing:
            break
        for name in missing:
            node = tree.find(name)
            if isinstance(node, Leaf) and not node.computed:
                _put(document, name, draw(values(node).filter(_filled)))
    raw = schema if not isinstance(schema, Group) else schema.schema
    document = dict(with_computed(raw, document)) if not tree.name else document
    assume(not rule_errors(raw, document))  # the cross-field rules hold (x-rules)
    return document


def _at(document: Mapping[str, Any], name: str) -> bool:
    value: Any = document
    for part in name.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return False
        value = value[part]
    return _filled(value)


def _put(document: dict[str, Any], name: str, value: Any) -> None:
    *parents, last = name.split(".")
    target = document
    for part in parents:
        target = target.setdefault(part, {})
    target[last] = value


def _flat(document: Mapping[str, Any]) -> list[Any]:
    found: list[Any] = []
    for value in document.values():
        found.extend(_flat(value) if isinstance(value, Mapping) else [value])
    return found


def form_data(schema: Mapping[str, Any], document: Mapping[str, Any]) -> MultiValueDict:
    """What a browser posts for a form showing ``document`` (values as the widgets render them)."""
    form = EForm(schema, initial=initial_from_document(schema, document))
    data: MultiValueDict[str, str] = MultiValueDict()
    for bound in form:
        widget = bound.field.widget
        value = bound.value()
        if isinstance(widget, CheckboxInput):
            if value:
                data[bound.html_name] = "on"
        elif isinstance(widget, CheckboxSelectMultiple):
            data.setlist(bound.html_name, [str(item) for item in value or []])
        elif isinstance(widget, MultiWidget):  # a person's list: chosen, or typed
            for index, part in enumerate(widget.decompress(value) or []):
                data[f"{bound.html_name}_{index}"] = "" if part is None else str(part)
        else:
            shown = widget.format_value(value)
            if isinstance(shown, list):
                data.setlist(bound.html_name, shown)
            else:
                data[bound.html_name] = "" if shown is None else str(shown)
    return data


# Random simple schemas for the property tests.
_WORDS = st.text(alphabet=VIETNAMESE, min_size=1, max_size=12).filter(_stable)
_PATTERNS = [r"^\d{12}$", r"^0\d{9}$", r"^\d{10}(\d{3})?$", r"^[A-Z]{2}-\d{3}$", r"^[a-z]+$"]


@st.composite
def _number_schema(draw: st.DrawFn, json_type: str) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": json_type}
    low = draw(st.integers(-1000, 1000))
    span = draw(st.integers(1, 10**6)) + 2002  # room for a multiple of anything below
    if json_type == "number":
        low_value: int | float = low + draw(st.sampled_from([0, 0.5, 0.25, 0.125]))
    else:
        low_value = low
    if draw(st.booleans()):
        schema[draw(st.sampled_from(["minimum", "exclusiveMinimum"]))] = low_value
    if draw(st.booleans()):
        schema[draw(st.sampled_from(["maximum", "exclusiveMaximum"]))] = low_value + span
    if draw(st.booleans()):
        schema["multipleOf"] = (
            draw(st.sampled_from([1, 2, 5, 1000]))
            if json_type == "integer"
            else draw(st.sampled_from([0.5, 0.25, 0.1, 0.01, 2]))
        )
    if "multipleOf" in schema and json_type == "number":
        # keep the interval wide enough to hold a multiple
        schema.pop("exclusiveMinimum", None)
        schema.pop("exclusiveMaximum", None)
    return schema


@st.composite
def property_schemas(draw: st.DrawFn, *, nested: bool = True) -> dict[str, Any]:
    kind = draw(
        st.sampled_from(
            ["text", "enum", "integer", "number", "date", "datetime", "email", "boolean"]
            + ["consent", "lines", "checkboxes"]
            + (["object"] if nested else [])
        )
    )
    schema: dict[str, Any]
    if kind == "text":
        schema = {"type": "string"}
        if draw(st.booleans()):
            schema["pattern"] = draw(st.sampled_from(_PATTERNS))
        else:
            maximum = draw(st.integers(1, 600))
            schema["maxLength"] = maximum
            if draw(st.booleans()):
                schema["minLength"] = draw(st.integers(0, min(maximum, 30)))
    elif kind == "enum":
        schema = {
            "type": "string",
            "enum": draw(st.lists(_WORDS, min_size=1, max_size=8, unique=True)),
        }
    elif kind in {"integer", "number"}:
        schema = draw(_number_schema(kind))
    elif kind == "date":
        schema = {"type": "string", "format": "date"}
    elif kind == "datetime":
        schema = {"type": "string", "format": "date-time"}
    elif kind == "email":
        schema = {"type": "string", "format": "email", "maxLength": 254}
    elif kind == "boolean":
        schema = {"type": "boolean"}
    elif kind == "consent":
        schema = {"type": "boolean", "const": True}
    elif kind == "lines":
        items: dict[str, Any] = {"type": "string", "maxLength": draw(st.integers(1, 50))}
        schema = {"type": "array", "items": items}
        if draw(st.booleans()):
            schema["maxItems"] = draw(st.integers(1, 5))
        if draw(st.booleans()):
            schema["uniqueItems"] = True
    elif kind == "checkboxes":
        options = draw(st.lists(_WORDS, min_size=1, max_size=6, unique=True))
        schema = {"type": "array", "items": {"type": "string", "enum": options}}
        if draw(st.booleans()):
            schema["minItems"] = draw(st.integers(0, len(options)))
    else:
        schema = draw(object_schemas(nested=False, max_size=3))
    schema["title"] = draw(_WORDS)
    return schema


_NAMES = st.from_regex(r"[a-z][a-z_]{0,10}", fullmatch=True)


@st.composite
def object_schemas(draw: st.DrawFn, *, nested: bool = True, max_size: int = 8) -> dict[str, Any]:
    names = draw(st.lists(_NAMES, min_size=1, max_size=max_size, unique=True))
    properties = {name: draw(property_schemas(nested=nested)) for name in names}
    required = [name for name in names if draw(st.booleans())]
    return {"type": "object", "title": "Tờ khai", "required": required, "properties": properties}


# Schemas with the features of issue 18: repeating groups, conditions, alternatives,
# reference lists and computed values, mixed with the simple properties above.


@st.composite
def rows_schemas(draw: st.DrawFn) -> dict[str, Any]:
    item = draw(object_schemas(nested=False, max_size=3))
    item.pop("title", None)
    item["title"] = draw(_WORDS)
    schema: dict[str, Any] = {"type": "array", "title": draw(_WORDS), "items": item}
    low = draw(st.integers(0, 2))
    if draw(st.booleans()):
        schema["minItems"] = low
    if draw(st.booleans()):
        schema["maxItems"] = low + draw(st.integers(1, 3))
    return schema


def reference_schema(name: str) -> dict[str, Any]:
    return {"type": "string", "title": name, "x-reference": name}


@st.composite
def alternatives_schemas(draw: st.DrawFn) -> dict[str, Any]:
    names = draw(
        st.lists(_NAMES, min_size=2, max_size=4, unique=True).filter(lambda n: "cach" not in n)
    )
    return {
        "title": draw(_WORDS),
        "oneOf": [
            {
                "type": "object",
                "title": f"Cách {number}",
                "required": ["cach", name] if draw(st.booleans()) else ["cach"],
                "properties": {
                    "cach": {"const": f"c{number}"},
                    name: draw(property_schemas(nested=False)),
                },
            }
            for number, name in enumerate(names[:2])
        ],
    }


@st.composite
def feature_schemas(draw: st.DrawFn) -> dict[str, Any]:
    """A form using the features of issue 18 around a few simple fields."""
    schema = draw(object_schemas(nested=True, max_size=4))
    properties = schema["properties"]
    required: list[str] = schema["required"]
    for name in properties:
        if properties[name].get("type") == "boolean":
            properties[name].pop("const", None)  # a box that must be ticked is not a switch
    properties["dieu_kien"] = {"type": "boolean", "title": "Điều kiện"}
    if draw(st.booleans()):
        properties["thanh_vien"] = draw(rows_schemas())
        if draw(st.booleans()):
            required.append("thanh_vien")
    if draw(st.booleans()):
        properties["lua_chon"] = draw(alternatives_schemas())
        if draw(st.booleans()):
            required.append("lua_chon")
    if draw(st.booleans()):
        properties["phuong"] = reference_schema(draw(st.sampled_from(["wards", "ethnic_groups"])))
    if draw(st.booleans()):
        properties["so_luong"] = {
            "type": "integer",
            "title": "Số lượng",
            "minimum": 0,
            "maximum": 50,
        }
        properties["thanh_tien"] = {
            "type": "integer",
            "title": "Thành tiền",
            "x-computed": {"multiply": ["so_luong", 8000]},
        }
    # a rule on the switch: some optional fields only apply when it is ticked
    optional = [
        name
        for name in properties
        if name not in required
        and name != "dieu_kien"
        and "x-computed" not in properties[name]
        and name != "so_luong"
    ]
    shown = draw(st.lists(st.sampled_from(optional), unique=True, max_size=3)) if optional else []
    if shown:
        needed = draw(st.lists(st.sampled_from(shown), unique=True, max_size=len(shown)))
        schema["if"] = {"properties": {"dieu_kien": {"const": True}}, "required": ["dieu_kien"]}
        schema["then"] = {"required": needed}
        schema["else"] = {"properties": {name: False for name in shown}}
    text = [
        n
        for n, p in properties.items()
        if p.get("type") == "string"
        and "enum" not in p
        and "x-reference" not in p
        and "format" not in p
        and n not in shown
    ]
    if len(text) >= 2 and draw(st.booleans()):
        schema["dependentRequired"] = {text[0]: [text[1]]}
    return schema


def raw_posts(schema: Mapping[str, Any]) -> st.SearchStrategy[MultiValueDict]:
    """Whatever a browser (or anyone) might post: any text in any field, rows of any count."""
    tree = parse(schema)
    tricky = st.one_of(
        st.sampled_from(
            ["", " ", "0", "1.000", "12,5", "2024-02-30", "31/12/2024", "on", "x" * 300]
        ),
        st.text(max_size=20),
        st.sampled_from([o.value for o in options("wards")[:3]] + ["c0", "c1", "01", "99"]),
    )

    @st.composite
    def build(draw: st.DrawFn) -> MultiValueDict:
        posted: MultiValueDict[str, str] = MultiValueDict()
        pick: Any = draw  # one function drawing values of several types

        def fill(leaves: list[Leaf], prefix: str) -> None:
            for leaf in leaves:
                name = prefix + leaf.name
                if leaf.kind is Kind.ROWS and leaf.item_group is not None:
                    count = pick(st.integers(0, 5))
                    posted[name] = str(count)
                    for index in range(count):
                        fill(list(leaf.item_group.leaves()), f"{name}.{index}.")
                elif leaf.kind is Kind.CHOICE and leaf.choices and pick(st.booleans()):
                    posted[name] = str(pick(st.sampled_from(leaf.choices)))
                elif pick(st.booleans()):
                    if leaf.kind is Kind.MULTI_CHOICE:
                        posted.setlist(name, pick(st.lists(tricky, max_size=3)))
                    else:
                        posted[name] = pick(tricky)

        fill(list(tree.leaves()), "")
        return posted

    return build()
