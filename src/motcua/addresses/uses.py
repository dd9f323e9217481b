"""A digital address used elsewhere: chosen in an e-form, given for the post, kept by a dossier.

``addresses`` registers the e-form list ``digital-address`` (``eforms.references``, a person's
list) at start-up: the person's household places are offered, another place is typed by its
code, and the server accepts only a place the person may use (``access.may_use``); an unknown
code and another household's get the same words, so a guess learns nothing. The answer is the
platform's code; pages show the address text, as it was at the dossier's filing.
"""

from __future__ import annotations

import datetime
import re
from typing import Any, Final

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from motcua.eforms.references import Option, PersonalList, register_personal
from motcua.errors import DomainError

from . import access, codes, selectors, wards
from .models import Place, PlaceEvent

#: The ``x-reference`` of an e-form answer that is a digital address.
LIST_NAME: Final = "digital-address"

NOT_USABLE = _(
    "No digital address you may use has this code. Check the code, or choose your household's."
)

# ``… (4800000012)`` at the end of a postal address: the digital address it was chosen as.
_CODE_AT_END: Final = re.compile(r"\((\d{10})\)\s*$")


def text_from(snapshot: dict[str, Any]) -> str:
    """``24 Trần Phú, Phường Hải Châu, Thành phố Đà Nẵng`` from a place's fields."""
    ward = wards.ward(int(snapshot["ward_code"]))
    street = " ".join(
        part for part in (snapshot.get("house_number"), snapshot.get("street")) if part
    )
    parts = [
        street,
        ward.name if ward else str(snapshot["ward_code"]),
        wards.province_name(int(snapshot["province_code"])),
    ]
    return ", ".join(part for part in parts if part)


def text_of(place: Place, as_of: datetime.datetime | None = None) -> str:
    """The place's address text now, or as it was at ``as_of`` (from its history)."""
    if as_of is not None:
        then = (
            PlaceEvent.objects.filter(place=place, at__lte=as_of)
            .order_by("-at", "-pk")
            .values_list("snapshot", flat=True)
            .first()
        )
        if isinstance(then, dict):
            return text_from(then)
    return text_from(
        {
            "house_number": place.house_number,
            "street": place.street,
            "ward_code": place.ward_code,
            "province_code": place.province_code,
        }
    )


def label(place: Place, as_of: datetime.datetime | None = None) -> str:
    """The address as a reader sees it: text and code (``24 Trần Phú, … (4800000012)``)."""
    return f"{text_of(place, as_of)} ({place.code})"


def find(code: str) -> Place | None:
    """The place of any of its codes, or None (a malformed code too)."""
    try:
        return selectors.by_code(code)
    except DomainError:
        return None


def usable_place(person: Any, code: str) -> Place | None:
    """The place of ``code`` when ``person`` may use it, else None, whatever the reason."""
    place = find(code)
    return place if place is not None and access.may_use(person, place) else None


def chosen_for_post(address: str) -> Place | None:
    """The place a postal address was chosen as: the review step writes a chosen digital
    address as its ``label`` (``…, Thành phố Đà Nẵng (4800000012)``). Typed text that only
    ends with ten digits in brackets (a phone number) is text, not a choice."""
    match = _CODE_AT_END.search(address or "")
    place = find(match.group(1)) if match else None
    return place if place is not None and address.strip() == label(place) else None


# --- the e-form list ------------------------------------------------------------------------


def _options_for(person: Any) -> tuple[Option, ...]:
    return tuple(Option(place.code, label(place)) for place in access.household_places(person))


def _find(person: Any, value: str) -> Option | None:
    place = usable_place(person, value)
    return Option(place.code, label(place)) if place is not None else None


def _label(value: str, as_of: datetime.datetime | None) -> str | None:
    place = find(value)
    return label(place, as_of) if place is not None else None


def _example(person: Any) -> str | None:
    if person is None:  # a catalogue checked on its own: any well-formed code
        return codes.platform_code(int(settings.MOTCUA_PROVINCE_CODE), 1)
    own = access.household_places(person)
    return own[0].code if own else None


DIGITAL_ADDRESS = PersonalList(
    name=LIST_NAME,
    title=_("Digital addresses"),
    options_for=_options_for,
    find=_find,
    well_formed=selectors.well_formed,
    label=_label,
    example=_example,
    refusal=NOT_USABLE,
    choose_label=_("Your household's digital address"),
    code_label=_("Or another place's digital address (10 digits)"),
    postal_label=_("Post it to a digital address"),
)


def register() -> None:
    register_personal(DIGITAL_ADDRESS)
