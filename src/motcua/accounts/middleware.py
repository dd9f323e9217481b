"""Officer pages open only after a second factor (TOTP) in this session.

Officer powers on every other page and API view are held back by ``dossiers.services``
(``officer_roles`` asks ``second_factor.passed_second_factor``).
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from .second_factor import OFFICER_SCOPE, passed_second_factor

OFFICER_PREFIXES = ("/can-bo/", "/admin/")
OPEN_PATHS = ("/admin/login/", "/admin/logout/", "/admin/jsi18n/")


def redirect_to_second_factor(request: HttpRequest) -> HttpResponseRedirect:
    """To the second factor, then back to the page asked for, with its query (a list's filter,
    a search) when it can be asked for again: a GET."""
    wanted = request.get_full_path() if request.method == "GET" else request.path
    return HttpResponseRedirect(
        reverse("accounts:second_factor") + "?" + urlencode({"next": wanted})
    )


def needs_second_factor(request: HttpRequest) -> bool:
    user = request.user
    if not user.is_authenticated:
        return False
    return not passed_second_factor(user)


class OfficerSecondFactorMiddleware:
    """Sends a signed-in person without a verified second factor to the TOTP page.

    Runs after ``django_otp``'s middleware, which sets ``request.user.is_verified``.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path
        if (
            path.startswith(OFFICER_PREFIXES)
            and not path.startswith(OPEN_PATHS)
            and needs_second_factor(request)
        ):
            return redirect_to_second_factor(request)
        if _asks_officer_scope(request) and needs_second_factor(request):
            # An app asks for officer powers: the authorization server grants them only in a
            # session that passed the second factor, so ask for it before the consent page.
            target = (
                reverse("accounts:second_factor")
                + "?"
                + urlencode({"next": request.get_full_path()})
            )
            return HttpResponseRedirect(target)
        return self.get_response(request)


def _asks_officer_scope(request: HttpRequest) -> bool:
    return (
        request.method == "GET"
        and request.path == reverse("oauth2_provider:authorize")
        and OFFICER_SCOPE in request.GET.get("scope", "").split()
    )
