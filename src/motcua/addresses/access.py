"""Who may see and change which places and households (models only, as ADR 0007 asks).

A ward officer (any role at a ward's people's committee, second factor passed) manages the
places of that ward; a citizen sees the household they live in, and nothing else of anyone.
"""

from __future__ import annotations

from typing import Any

from motcua.accounts import access as accounts_access
from motcua.accounts.models import User
from motcua.accounts.second_factor import passed_second_factor

from .models import Household, HouseholdMember, Place


def officer_ward_codes(user: Any) -> set[int]:
    """The wards whose places this person manages now (empty without the second factor)."""
    if not isinstance(user, User) or not passed_second_factor(user):
        return set()
    return {
        code
        for code in accounts_access.active_memberships(user)
        .filter(agency__ward_code__isnull=False)
        .values_list("agency__ward_code", flat=True)
        if code is not None
    }


def manages_ward(user: Any, ward_code: int) -> bool:
    return ward_code in officer_ward_codes(user)


def manages(user: Any, place: Place) -> bool:
    return manages_ward(user, place.ward_code)


def current_household(user: Any) -> Household | None:
    """The household the person lives in now, if the ward has recorded one."""
    if not isinstance(user, User) or not user.is_authenticated:
        return None
    member = (
        HouseholdMember.objects.filter(user=user, left_at__isnull=True, household__ended_at=None)
        .select_related("household__place", "household__head")
        .first()
    )
    return member.household if member else None
