"""Reference data an e-form chooses from: ``{"type": "string", "x-reference": "wards"}``.

The platform serves a few lists every form shares, so a form asks for "a ward" instead of
typing 94 names that go stale at the next reorganisation:

========================  ===================================================  ============
``x-reference``           the list                                             value
========================  ===================================================  ============
``wards``                 the city's wards after the 2025 reorganisation       ward code
                          (``vietnam-provinces``, ``MOTCUA_PROVINCE_CODE``)
``provinces``             the 34 provinces and cities after 2025               province code
``agencies``              the agencies in service (``agencies`` app)           agency code
``nationalities``         countries and territories, Vietnamese names (CLDR)   ISO 3166 code
``ethnic_groups``         Việt Nam's 54 ethnic groups (General Statistics       two digits
                          Office list, Decision 121-TCTK/PPCĐ of 1979)
========================  ===================================================  ============

The answer holds the value (a code: stable when a name is spelled anew); pages show its label.
The schema stays plain JSON Schema: a standard validator ignores ``x-reference`` and accepts
any text, and :func:`expand_references` writes the list into the schema as an ``enum`` (with
``x-enumNames``) for a system that must check the values itself.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Final

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from vietnam_provinces import Province, ProvinceCode, Ward


@dataclass(frozen=True)
class Option:
    value: str
    label: str


#: Việt Nam's 54 ethnic groups in the General Statistics Office's order (codes 01–54).
ETHNIC_GROUPS: Final = (
    "Kinh", "Tày", "Thái", "Hoa", "Khơ-me", "Mường", "Nùng", "Mông", "Dao", "Gia-rai",
    "Ngái", "Ê-đê", "Ba-na", "Xơ-đăng", "Sán Chay", "Cơ-ho", "Chăm", "Sán Dìu", "Hrê",
    "Mnông", "Ra-glai", "Xtiêng", "Bru-Vân Kiều", "Thổ", "Giáy", "Cơ-tu", "Gié-Triêng", "Mạ",
    "Khơ-mú", "Co", "Tà-ôi", "Chơ-ro", "Kháng", "Xinh-mun", "Hà Nhì", "Chu-ru", "Lào",
    "La Chí", "La Ha", "Phù Lá", "La Hủ", "Lự", "Lô Lô", "Chứt", "Mảng", "Pà Thẻn", "Cơ Lao",
    "Cống", "Bố Y", "Si La", "Pu Péo", "Brâu", "Ơ Đu", "Rơ-măm",
)  # fmt: skip


@lru_cache(maxsize=4)
def _wards(province_code: int) -> tuple[Option, ...]:
    province = ProvinceCode(province_code)
    return tuple(
        Option(str(int(ward.code)), ward.name)
        for ward in Ward.iter_all()
        if ward.province_code == province
    )


def wards() -> tuple[Option, ...]:
    return _wards(int(settings.MOTCUA_PROVINCE_CODE))


@lru_cache(maxsize=1)
def provinces() -> tuple[Option, ...]:
    return tuple(Option(str(int(p.code)), p.name) for p in Province.iter_all())


def agencies() -> tuple[Option, ...]:
    from motcua.agencies.models import Agency  # the catalogue of agencies, read when asked

    return tuple(
        Option(code, name)
        for code, name in Agency.objects.current().order_by("name").values_list("code", "name")
    )


@lru_cache(maxsize=1)
def nationalities() -> tuple[Option, ...]:
    from babel import Locale

    names = Locale("vi").territories
    # ISO 3166 alpha-2 countries only (CLDR also names continents "001" and groups "EU").
    found = [
        Option(code, str(name))
        for code, name in names.items()
        if len(code) == 2
        and code.isalpha()
        and code not in {"EU", "EZ", "UN", "QO", "ZZ", "XA", "XB"}
    ]
    found.sort(key=lambda option: (option.value != "VN", option.label))
    return tuple(found)


def ethnic_groups() -> tuple[Option, ...]:
    return tuple(Option(f"{n:02d}", name) for n, name in enumerate(ETHNIC_GROUPS, start=1))


@dataclass(frozen=True)
class ReferenceList:
    name: str
    title: Any  # lazy text
    options: Callable[[], tuple[Option, ...]]

    def labels(self) -> dict[str, str]:
        return {option.value: option.label for option in self.options()}


REFERENCE_LISTS: Final[Mapping[str, ReferenceList]] = {
    ref.name: ref
    for ref in (
        ReferenceList("wards", _("Wards"), wards),
        ReferenceList("provinces", _("Provinces and cities"), provinces),
        ReferenceList("agencies", _("Agencies"), agencies),
        ReferenceList("nationalities", _("Nationalities"), nationalities),
        ReferenceList("ethnic_groups", _("Ethnic groups"), ethnic_groups),
    )
}


def options(name: str) -> tuple[Option, ...]:
    """The options of the reference list ``name`` (empty for a name the platform lacks)."""
    found = REFERENCE_LISTS.get(name)
    return found.options() if found is not None else ()


def label(name: str, value: Any) -> str | None:
    """The label of ``value`` in the list ``name``, or ``None`` when it is not in it."""
    for option in options(name):
        if option.value == value:
            return option.label
    return None


def labels(name: str) -> dict[str, str]:
    """Value → label of the list ``name``."""
    return {option.value: option.label for option in options(name)}


def expand_references(schema: Any) -> Any:
    """``schema`` with every ``x-reference`` written out as ``enum`` + ``x-enumNames``, for
    systems that validate with a standard JSON Schema validator and must know the values."""
    expanded = copy.deepcopy(schema)

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            name = node.get("x-reference")
            if isinstance(name, str) and name in REFERENCE_LISTS:
                listed = options(name)
                node["enum"] = [option.value for option in listed]
                node["x-enumNames"] = [option.label for option in listed]
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(expanded)
    return expanded
