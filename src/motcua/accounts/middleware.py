"""Officer pages open only after a second factor (TOTP) in this session."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

OFFICER_PREFIXES = ("/can-bo/", "/admin/")
OPEN_PATHS = ("/admin/login/", "/admin/logout/", "/admin/jsi18n/")


def needs_second_factor(request: HttpRequest) -> bool:
    user = request.user
    if not user.is_authenticated:
        return False
    is_verified = getattr(user, "is_verified", None)
    return not (callable(is_verified) and is_verified())


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
            target = reverse("accounts:second_factor") + "?" + urlencode({"next": path})
            return HttpResponseRedirect(target)
        return self.get_response(request)
