"""Who may see and change which places and households (models only, as ADR 0007 asks).

A ward officer (any role at a ward's people's committee, second factor passed) manages the
places of that ward; a citizen sees the household they live in, and nothing else of anyone.
In a form or for the post, a citizen may use the places of their households, and a confirmed
place no household lives at (an office, a plot, a shop): never another household's.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from motcua.accounts import access as accounts_access
from motcua.accounts.models import User
from motcua.accounts.second_factor import passed_second_factor

from .models import Household, HouseholdMember, Place, PlaceStatus


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


def household_places(user: Any) -> list[Place]:
    """The places of the households the person lives in or heads now, theirs to use."""
    if not isinstance(user, User) or not user.is_authenticated:
        return []
    lived_in = HouseholdMember.objects.filter(
        user=user, left_at__isnull=True, household__ended_at=None
    ).values("household__place")
    headed = Household.objects.filter(head=user, ended_at=None).values("place")
    return list(
        Place.objects.filter(Q(pk__in=lived_in) | Q(pk__in=headed)).order_by("code").distinct()
    )


def may_use(user: Any, place: Place) -> bool:
    """Whether the person may give ``place`` as an address in a form or for the post."""
    if not isinstance(user, User) or not user.is_authenticated:
        return False
    if any(own.pk == place.pk for own in household_places(user)):
        return True
    someone_lives_there = Household.objects.filter(place=place, ended_at=None).exists()
    return place.status == PlaceStatus.CONFIRMED and not someone_lives_there
