"""Pre-filling an e-form from what the city already knows about the applicant.

One table, :data:`PROFILE_FIELDS`, says which e-form property names hold which piece of the
applicant's profile. The names are those the Đà Nẵng catalogue really uses
(``catalog/demo/catalog_danang.json``).

Many forms are about someone else: the birth registration form has ``ngay_sinh`` and
``gioi_tinh``, but they are the child's. So personal details (ID number, date of birth, sex,
address…) are filled only in an object that also asks for the applicant's own name
(``ho_ten``, ``ho_ten_nguoi_khai``…); contact details (phone, e-mail) are always the
applicant's. Role names (``ho_ten_me``, ``ho_ten_chu_ho``, ``ho_ten_benh_nhan``…) are left
alone: the person filing is often not that person. Every value is checked against the
property's schema first, and the citizen can change anything pre-filled.

A schema may also say where a property's value comes from: ``"x-prefill": "eid.full_name"``
or ``"x-prefill": "store.GIAY_KHAI_SINH.ngay_sinh"``. The part before the first dot names a
*prefill source* an app registers at start-up (:data:`sources`): the ``accounts`` app answers
``eid.*`` from the identity the national e-ID gave, the personal data store ``store.*`` from
the applicant's valid documents. eforms knows none of them (docs/architecture.md). Each value
comes with where it came from, shown beside the field as long as the answer is unchanged.
"""

from __future__ import annotations

import datetime
import enum
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Final

from django.utils.translation import gettext_lazy as _

from .fields import nfc
from .schema import Group, Kind, Leaf, parse
from .validation import validator_for


class Scope(enum.Enum):
    #: The applicant's own name: an object with one of these is about the applicant.
    APPLICANT = "applicant"
    #: Filled only in an object about the applicant.
    PERSONAL = "personal"
    #: Always the applicant's (who to contact about the dossier).
    CONTACT = "contact"


@dataclass(frozen=True)
class ProfileField:
    """Where a property's value comes from: profile keys tried in order, and its scope."""

    profile_keys: tuple[str, ...]
    scope: Scope
    autocomplete: str = ""


_NAME = ProfileField(("full_name",), Scope.APPLICANT, "name")
_PERSONAL_ID = ProfileField(("personal_id",), Scope.PERSONAL)
_BIRTH_DATE = ProfileField(("date_of_birth",), Scope.PERSONAL, "bday")
_SEX = ProfileField(("sex",), Scope.PERSONAL, "sex")
_ADDRESS = ProfileField(
    ("address", "current_address", "permanent_address"), Scope.PERSONAL, "street-address"
)
_CURRENT_ADDRESS = ProfileField(("current_address", "address"), Scope.PERSONAL, "street-address")
_PERMANENT_ADDRESS = ProfileField(
    ("permanent_address", "address"), Scope.PERSONAL, "street-address"
)
_PHONE = ProfileField(("phone",), Scope.CONTACT, "tel")
_EMAIL = ProfileField(("email",), Scope.CONTACT, "email")

#: E-form property name → the applicant's profile. Profile keys: ``full_name``,
#: ``personal_id``, ``date_of_birth`` (a date or ISO text), ``sex`` (``male``/``female`` as in
#: ``accounts.Sex``, or ``Nam``/``Nữ``), ``phone``, ``email``, ``address``, ``current_address``,
#: ``permanent_address``, ``ethnicity``, ``occupation``.
PROFILE_FIELDS: Final[Mapping[str, ProfileField]] = MappingProxyType(
    {
        # the applicant's own name
        "ho_ten": _NAME,
        "ho_va_ten": _NAME,
        "ho_ten_nguoi_khai": _NAME,
        "ho_ten_nguoi_yeu_cau": _NAME,
        "ho_ten_nguoi_de_nghi": _NAME,
        "ho_ten_nguoi_ky": _NAME,
        "ho_ten_nguoi_nop": _NAME,
        # identity
        "so_dinh_danh": _PERSONAL_ID,
        "so_dinh_danh_ca_nhan": _PERSONAL_ID,
        "so_cccd": _PERSONAL_ID,
        "cccd": _PERSONAL_ID,
        "so_can_cuoc": _PERSONAL_ID,
        "ngay_sinh": _BIRTH_DATE,
        "gioi_tinh": _SEX,
        "dan_toc": ProfileField(("ethnicity",), Scope.PERSONAL),
        "nghe_nghiep": ProfileField(("occupation",), Scope.PERSONAL, "organization-title"),
        # where the applicant lives
        "dia_chi": _ADDRESS,
        "noi_cu_tru": _CURRENT_ADDRESS,
        "noi_o_hien_nay": _CURRENT_ADDRESS,
        "dia_chi_tam_tru": _CURRENT_ADDRESS,
        "dia_chi_thuong_tru": _PERMANENT_ADDRESS,
        "noi_thuong_tru": _PERMANENT_ADDRESS,
        # how to reach the applicant
        "dien_thoai": _PHONE,
        "so_dien_thoai": _PHONE,
        "email": _EMAIL,
        "thu_dien_tu": _EMAIL,
    }
)

#: Nested objects that describe the applicant (their properties are matched like top-level ones).
APPLICANT_GROUPS: Final = frozenset(
    {"nguoi_khai", "nguoi_yeu_cau", "nguoi_de_nghi", "nguoi_nop_ho_so", "thong_tin_nguoi_khai"}
)

#: How profiles spell sex → the e-form's enum values.
SEX_VALUES: Final[Mapping[str, str]] = MappingProxyType(
    {"male": "Nam", "female": "Nữ", "nam": "Nam", "nữ": "Nữ", "m": "Nam", "f": "Nữ"}
)


def _applicant_groups(tree: Group) -> Iterator[Group]:
    yield tree
    stack = list(tree.children)
    while stack:
        node = stack.pop()
        if isinstance(node, Group):
            if node.key in APPLICANT_GROUPS:
                yield node
            stack.extend(node.children)


def applicant_fields(tree: Group) -> Iterator[tuple[Leaf, ProfileField]]:
    """The form's fields that hold the applicant's own details, with their profile source."""
    for group in _applicant_groups(tree):
        leaves = [child for child in group.children if isinstance(child, Leaf)]
        about_applicant = any(
            PROFILE_FIELDS[leaf.key].scope is Scope.APPLICANT
            for leaf in leaves
            if leaf.key in PROFILE_FIELDS
        )
        for leaf in leaves:
            source = PROFILE_FIELDS.get(leaf.key)
            if source is None or (source.scope is Scope.PERSONAL and not about_applicant):
                continue
            yield leaf, source


def autocomplete_hints(tree: Group) -> dict[str, str]:
    """``autocomplete`` tokens for the applicant's own fields (never for a child's name)."""
    return {
        leaf.name: source.autocomplete
        for leaf, source in applicant_fields(tree)
        if source.autocomplete
    }


def _as_json(leaf: Leaf, source: ProfileField, value: Any) -> Any:
    if value is None or value == "":
        return None
    if leaf.kind is Kind.DATE:
        if isinstance(value, datetime.datetime):
            return value.date().isoformat()
        if isinstance(value, datetime.date):
            return value.isoformat()
        if isinstance(value, str):
            try:
                return datetime.date.fromisoformat(value.strip()).isoformat()
            except ValueError:
                return None
        return None
    if source is _SEX and isinstance(value, str):
        return SEX_VALUES.get(nfc(value.strip()).lower(), nfc(value.strip()))
    if leaf.kind is Kind.BOOLEAN:
        return value if isinstance(value, bool) else None
    if isinstance(value, bool | datetime.date):
        return None
    if leaf.json_type == "string" and isinstance(value, str | int):
        return nfc(str(value).strip()) or None
    if leaf.json_type in {"integer", "number"} and isinstance(value, int | float):
        return value
    return None


def prefill(schema: Mapping[str, Any], profile: Mapping[str, object]) -> dict[str, Any]:
    """Initial values, keyed by dotted field name, for the applicant's own fields.

    Only properties the schema has are filled, and only with values valid for them.
    """
    return {name: found.value for name, found in _from_profile(parse(schema), profile, {}).items()}


def _from_profile(
    tree: Group, profile: Mapping[str, object], origins: Mapping[str, str]
) -> dict[str, Prefilled]:
    initial: dict[str, Prefilled] = {}
    for leaf, source in applicant_fields(tree):
        for key in source.profile_keys:
            value = _as_json(leaf, source, profile.get(key))
            if value is not None:
                break
        else:
            continue
        if validator_for(leaf.schema).is_valid(value):
            initial[leaf.name] = Prefilled(value, str(origins.get(key, "")))
    return initial


# --- declared sources: "x-prefill" ------------------------------------------------------------

#: ``<source>.<what>``: a registered source's name, then what to take from it.
DECLARATION: Final = re.compile(r"^([a-z][a-z0-9_-]*)\.([^\s.][^\s]*)$")


@dataclass(frozen=True)
class Prefilled:
    """A value for a field and where it came from (``origin``: shown to the citizen, e.g.
    "your e-ID (VNeID)"; empty: nothing is shown)."""

    value: Any
    origin: str = ""


@dataclass(frozen=True)
class Applicant:
    """Who the form is filled in by (a person) and for (a business they act for, or None)."""

    person: Any
    business: Any = None


#: A source answers, for an applicant, the paths it is asked (``full_name``,
#: ``GIAY_KHAI_SINH.ngay_sinh``), leaving out what it does not know.
Resolver = Callable[[Applicant, Sequence[str]], Mapping[str, Prefilled]]


class PrefillSources:
    """The registry of ``x-prefill`` sources (ADR 0005's shape: a duplicate is refused)."""

    def __init__(self) -> None:
        self._resolvers: dict[str, Resolver] = {}

    def register(self, name: str, resolver: Resolver) -> Resolver:
        if not re.fullmatch(r"[a-z][a-z0-9_-]*", name):
            raise ValueError(f"A prefill source name must be lower-case letters: {name!r}.")
        if name in self._resolvers:
            raise ValueError(f"A prefill source {name!r} is already registered.")
        self._resolvers[name] = resolver
        return resolver

    def unregister(self, name: str) -> None:
        del self._resolvers[name]

    def names(self) -> list[str]:
        return sorted(self._resolvers)

    def __contains__(self, name: object) -> bool:
        return name in self._resolvers

    def resolve(self, applicant: Applicant, declarations: Sequence[str]) -> dict[str, Prefilled]:
        """Each declaration a source knows, by declaration; one call per source."""
        wanted: dict[str, list[str]] = {}
        for declaration in declarations:
            match = DECLARATION.match(declaration)
            if match and match[1] in self._resolvers:
                wanted.setdefault(match[1], []).append(match[2])
        found: dict[str, Prefilled] = {}
        for name, paths in wanted.items():
            answered = self._resolvers[name](applicant, paths)
            for path in paths:
                if path in answered:
                    found[f"{name}.{path}"] = answered[path]
        return found


sources = PrefillSources()
register_source = sources.register


def declaration_problem(value: object) -> str:
    """Why an ``x-prefill`` value cannot be used (``""``: it can)."""
    match = DECLARATION.match(value) if isinstance(value, str) else None
    if match is None:
        return str(_('"x-prefill" is a source and what to take from it, e.g. "eid.full_name"'))
    if sources.names() and match[1] not in sources:
        return str(
            _('"x-prefill" names a source the platform has (%(names)s)')
            % {"names": ", ".join(sources.names())}
        )
    return ""


def declared_fields(tree: Group) -> list[tuple[Leaf, str]]:
    """The fields (not in a repeating group's rows) that say where their value comes from."""
    return [
        (leaf, str(leaf.schema["x-prefill"]))
        for leaf in tree.leaves()
        if isinstance(leaf.schema.get("x-prefill"), str) and not leaf.computed
    ]


def _declared_json(leaf: Leaf, value: Any) -> Any:
    if leaf.kind is Kind.CHOICE and isinstance(value, str):
        mapped = SEX_VALUES.get(nfc(value.strip()).lower())
        if mapped is not None and mapped in leaf.choices:
            return mapped
    return _as_json(leaf, ProfileField((), Scope.CONTACT), value)


def prefill_values(
    schema: Mapping[str, Any],
    *,
    applicant: Applicant | None = None,
    profile: Mapping[str, object] | None = None,
    profile_origins: Mapping[str, str] | None = None,
) -> dict[str, Prefilled]:
    """Initial values with their origin, keyed by dotted field name: the applicant's own
    fields from ``profile`` (as :func:`prefill`), then every ``x-prefill`` a registered source
    answers for ``applicant`` (a declaration wins). A value that is not valid for its field is
    left out, so a pre-filled value never stands in the citizen's way."""
    tree = parse(schema)
    found = _from_profile(tree, profile or {}, profile_origins or {})
    declared = declared_fields(tree)
    if applicant is None or not declared:
        return found
    answered = sources.resolve(applicant, [declaration for _leaf, declaration in declared])
    for leaf, declaration in declared:
        if declaration not in answered:
            continue
        value = _declared_json(leaf, answered[declaration].value)
        if value is not None and validator_for(leaf.schema).is_valid(value):
            found[leaf.name] = Prefilled(value, answered[declaration].origin)
    return found


def as_document(values: Mapping[str, Any]) -> dict[str, Any]:
    """Dotted-name values (``nguoi_khai.ho_ten``) as a nested (partial) document."""
    document: dict[str, Any] = {}
    for name, value in values.items():
        *parents, key = name.split(".")
        node = document
        for parent in parents:
            node = node.setdefault(parent, {})
        node[key] = value
    return document


def still_prefilled(
    prefilled: Mapping[str, Prefilled], initial: Mapping[str, Any]
) -> dict[str, str]:
    """Field name → origin, for the pre-filled fields whose answer is still the value given."""
    return {
        name: found.origin
        for name, found in prefilled.items()
        if found.origin and initial.get(name) == found.value
    }
