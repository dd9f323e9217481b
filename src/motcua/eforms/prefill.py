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
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Final

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
    tree = parse(schema)
    initial: dict[str, Any] = {}
    for leaf, source in applicant_fields(tree):
        for key in source.profile_keys:
            value = _as_json(leaf, source, profile.get(key))
            if value is not None:
                break
        else:
            continue
        if validator_for(leaf.schema).is_valid(value):
            initial[leaf.name] = value
    return initial
