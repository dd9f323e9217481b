"""``x-prefill: "eid.<key>"``: e-form fields filled from the identity the national e-ID gave.

Only a person whose account the e-ID vouched for (assurance level 1 or 2) is answered: what a
local account typed itself is not said to come from the e-ID. Keys: ``full_name``,
``personal_id``, ``date_of_birth``, ``sex`` (``Nam``/``Nữ`` in a form's enum),
``permanent_address``, ``current_address`` and ``address`` (current, else permanent), each an
address written out as text (street, ward, province).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Final

from django.utils.translation import gettext_lazy as _

from motcua.eforms.prefill import Applicant, Prefilled, register_source
from motcua.eforms.references import label

from .models import AssuranceLevel, User

KEYS: Final = (
    "full_name",
    "personal_id",
    "date_of_birth",
    "sex",
    "permanent_address",
    "current_address",
    "address",
)


def _address(street: str, ward: int | None, province: int | None) -> str:
    parts = [
        street.strip(),
        label("wards", str(ward)) if ward else None,
        label("provinces", str(province)) if province else None,
    ]
    return ", ".join(part for part in parts if part) if street.strip() or ward else ""


def identity(user: User) -> dict[str, object]:
    """What the account keeps from the e-ID, by key (empty values left out)."""
    permanent = _address(
        user.permanent_street, user.permanent_ward_code, user.permanent_province_code
    )
    current = _address(user.current_street, user.current_ward_code, user.current_province_code)
    values: dict[str, object] = {
        "full_name": user.full_name,
        "personal_id": user.personal_id or "",
        "date_of_birth": user.date_of_birth,
        "sex": user.sex,
        "permanent_address": permanent,
        "current_address": current,
        "address": current or permanent,
    }
    return {key: value for key, value in values.items() if value not in (None, "")}


def resolve(applicant: Applicant, keys: Sequence[str]) -> Mapping[str, Prefilled]:
    person = applicant.person
    if not isinstance(person, User) or person.assurance_level <= AssuranceLevel.UNVERIFIED:
        return {}
    known = identity(person)
    origin = str(_("your e-ID (VNeID)"))
    return {key: Prefilled(known[key], origin) for key in keys if key in known}


register_source("eid", resolve)
