"""Whom an officer works for, and who may open officer pages: asked in one place.

Pages (the officer's home), worklists, payment reports and the dossier access checks all
start from the same question; it is answered here, from the models alone, so that any app can
ask it without importing another app's services.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from rest_framework.permissions import BasePermission

from motcua.agencies.models import Agency

from .middleware import needs_second_factor, redirect_to_second_factor
from .models import AgencyMembership, User
from .second_factor import passed_second_factor


def active_memberships(user: Any) -> QuerySet[AgencyMembership]:
    """The person's memberships in force today (none for an anonymous visitor)."""
    if not isinstance(user, User) or not user.is_authenticated:
        return AgencyMembership.objects.none()
    return AgencyMembership.objects.active().filter(user=user)


def agency_ids(user: Any) -> list[int]:
    """The ids of the agencies the person serves now (each once)."""
    return sorted(set(active_memberships(user).values_list("agency_id", flat=True)))


def agencies(user: Any) -> list[Agency]:
    """The agencies the person serves now, ordered by their code."""
    return list(Agency.objects.filter(pk__in=agency_ids(user)).order_by("code"))


def roles_at(user: Any, agency: Agency | int | None) -> set[str]:
    """The person's roles at ``agency`` by membership alone (no second-factor check here)."""
    if agency is None:
        return set()
    return set(active_memberships(user).filter(agency=agency).values_list("role", flat=True))


def officer_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed in, second factor verified (the middleware enforces it too), and an officer."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if needs_second_factor(request):
            return redirect_to_second_factor(request)
        if not active_memberships(request.user).exists():
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


class IsVerifiedOfficer(BasePermission):
    """API: an officer whose session passed the second factor, or whose bearer token holds the
    ``officer`` scope (granted only in such a session)."""

    def has_permission(self, request: Any, view: Any) -> bool:
        user = request.user
        return bool(
            user.is_authenticated
            and passed_second_factor(user)
            and active_memberships(user).exists()
        )
