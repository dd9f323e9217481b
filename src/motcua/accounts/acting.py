"""Acting for a business: chosen in the session, re-checked against memberships on every use.

A staff member whose role is revoked loses access at the next request: nothing is cached.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from .models import Business, BusinessMembership, User

SESSION_KEY = "acting_business_id"


def acting_business(request: HttpRequest) -> Business | None:
    user = request.user
    business_id = request.session.get(SESSION_KEY)
    if not business_id or not isinstance(user, User):
        return None
    membership = (
        BusinessMembership.objects.active()
        .select_related("business")
        .filter(user=user, business_id=business_id)
        .first()
    )
    if membership is None:
        request.session.pop(SESSION_KEY, None)
        return None
    return membership.business


def start_acting(request: HttpRequest, business: Business) -> None:
    request.session[SESSION_KEY] = business.pk


def stop_acting(request: HttpRequest) -> None:
    request.session.pop(SESSION_KEY, None)


def context(request: HttpRequest) -> dict[str, Any]:
    """Template context: the business the person is acting for, shown on every page."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    return {"acting_business": acting_business(request)}
