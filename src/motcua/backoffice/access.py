"""Who may open officer pages: a person with an active agency role and a verified second factor."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from rest_framework.permissions import BasePermission

from motcua.accounts.middleware import needs_second_factor
from motcua.accounts.models import AgencyMembership, User
from motcua.accounts.second_factor import passed_second_factor


def active_roles(user: Any) -> list[AgencyMembership]:
    if not isinstance(user, User):
        return []
    return list(user.agency_memberships.active().select_related("agency", "desk"))  # type: ignore[attr-defined]


def officer_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed in, second factor verified (the middleware enforces it too), and an officer."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if needs_second_factor(request):
            from django.shortcuts import redirect

            return redirect("accounts:second_factor")
        if not active_roles(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


class IsVerifiedOfficer(BasePermission):
    """API: an officer whose session passed the second factor, or whose bearer token holds the
    ``officer`` scope (granted only in such a session)."""

    def has_permission(self, request: Any, view: Any) -> bool:
        user = request.user
        return bool(user.is_authenticated and passed_second_factor(user) and active_roles(user))
