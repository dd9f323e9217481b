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

Some lists depend on who fills in the form: a **person's list** (:class:`PersonalList`) is
registered at start-up by the app that knows the data (``addresses`` registers
``digital-address``: the person's household place, or a place they look up by its code). The
form shows the person's own choices and a box for a code; the server accepts only a value
``find(person, value)`` gives back, and without a person (a catalogue being checked) only a
well-formed one. Pages show ``label(value)``, as it was at a moment when one is given.

The answer holds the value (a code: stable when a name is spelled anew); pages show its label.
The schema stays plain JSON Schema: a standard validator ignores ``x-reference`` and accepts
any text, and :func:`expand_references` writes the list into the schema as an ``enum`` (with
``x-enumNames``) for a system that must check the values itself.
"""

from __future__ import annotations

import contextlib
import copy
import datetime
from collections.abc import Callable, Iterator, Mapping
from contextvars import ContextVar
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


@dataclass(frozen=True)
class PersonalList:
    """A list whose choices depend on the person filling in the form, registered by an app
    above eforms at start-up (:func:`register_personal`).

    - ``options_for(person)``: the person's own choices (offered first, in a list box);
    - ``find(person, value)``: the option when this person may choose ``value`` (typed or
      chosen), else ``None`` (unknown and not allowed look the same: nothing is disclosed);
    - ``well_formed(value)``: the value has the list's form (checked without a person);
    - ``label(value, as_of)``: the value as a reader sees it (the text it had at ``as_of``
      when given), ``None`` when the platform does not know it;
    - ``example(person)``: a value a check of the form may answer (the person's own, or a
      well-formed one without a person);
    - ``refusal``: the message beside the field when ``find`` gives nothing;
    - ``choose_label``, ``code_label``: the labels of the list box of the person's own values
      and of the box where a value is typed;
    - ``postal_label``: given, the values are postal addresses: the review step offers them
      for the post under this label (``label(value)`` is then the address written out).
    """

    name: str
    title: Any  # lazy text
    options_for: Callable[[Any], tuple[Option, ...]]
    find: Callable[[Any, str], Option | None]
    well_formed: Callable[[str], bool]
    label: Callable[[str, datetime.datetime | None], str | None]
    example: Callable[[Any], str | None]
    refusal: Any  # lazy text
    choose_label: Any  # lazy text
    code_label: Any  # lazy text
    postal_label: Any = None  # lazy text

    def usable(self, person: Any, value: str) -> Option | None:
        """``find`` for a person; without one (a form checked on its own), a well-formed
        value stands for itself."""
        if person is not None:
            return self.find(person, value)
        return Option(value, value) if self.well_formed(value) else None


PERSONAL_LISTS: dict[str, PersonalList] = {}

#: The moment the answers being shown were given (``shown_as_of``): a person's list shows
#: its values as they were then (an address corrected since is shown as it was filed).
_AS_OF: ContextVar[datetime.datetime | None] = ContextVar("eforms_references_as_of", default=None)


def register_personal(found: PersonalList) -> PersonalList:
    """Add a person's list (from an ``AppConfig.ready``); a name is registered once."""
    if found.name in REFERENCE_LISTS or (
        found.name in PERSONAL_LISTS and PERSONAL_LISTS[found.name] != found
    ):
        raise ValueError(f"The reference list {found.name!r} is already registered.")
    PERSONAL_LISTS[found.name] = found
    return found


def personal(name: str) -> PersonalList | None:
    return PERSONAL_LISTS.get(name)


def postal_list() -> PersonalList | None:
    """The person's list of postal addresses, if an app registered one."""
    return next((found for found in PERSONAL_LISTS.values() if found.postal_label), None)


def known_names() -> list[str]:
    """Every name an ``x-reference`` may give: the platform's lists and the persons' lists."""
    return [*REFERENCE_LISTS, *PERSONAL_LISTS]


@contextlib.contextmanager
def shown_as_of(moment: datetime.datetime | None) -> Iterator[None]:
    """Inside the block, persons' lists label values as they were at ``moment``."""
    token = _AS_OF.set(moment)
    try:
        yield
    finally:
        _AS_OF.reset(token)


def options(name: str) -> tuple[Option, ...]:
    """The options of the reference list ``name`` (empty for a name the platform lacks, and
    for a person's list, whose options depend on the person: ``PersonalList.options_for``)."""
    found = REFERENCE_LISTS.get(name)
    return found.options() if found is not None else ()


def label(name: str, value: Any) -> str | None:
    """The label of ``value`` in the list ``name``, or ``None`` when it is not in it."""
    mine = PERSONAL_LISTS.get(name)
    if mine is not None:
        return mine.label(value, _AS_OF.get()) if isinstance(value, str) else None
    for option in options(name):
        if option.value == value:
            return option.label
    return None


def personal_names(schema: Any) -> set[str]:
    """The persons' lists a schema asks from, anywhere in it."""
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, Mapping):
            name = node.get("x-reference")
            if isinstance(name, str) and name in PERSONAL_LISTS:
                found.add(name)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema)
    return found


def personal_answers(schema: Any, document: Any) -> list[tuple[str, str, str]]:
    """``(dotted path, list name, value)`` of every answer in ``document`` that comes from a
    person's list, rows of repeating groups and the branches of conditions included."""
    found: dict[str, tuple[str, str, str]] = {}

    def walk(node: Any, value: Any, path: tuple[str, ...]) -> None:
        if not isinstance(node, Mapping):
            return
        name = node.get("x-reference")
        if isinstance(name, str) and name in PERSONAL_LISTS and isinstance(value, str) and value:
            dotted = ".".join(path)
            found.setdefault(dotted, (dotted, name, value))
        if isinstance(value, Mapping):
            for key, sub in (node.get("properties") or {}).items():
                if key in value:
                    walk(sub, value[key], (*path, str(key)))
        if isinstance(value, list) and isinstance(node.get("items"), Mapping):
            for index, item in enumerate(value):
                walk(node["items"], item, (*path, str(index)))
        for keyword in ("allOf", "oneOf", "anyOf"):
            for sub in node.get(keyword) or ():
                walk(sub, value, path)
        for keyword in ("then", "else"):
            walk(node.get(keyword), value, path)

    walk(schema, document, ())
    return list(found.values())


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
