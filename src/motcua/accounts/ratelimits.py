"""Rate limits on the endpoints that guess or check secrets, per client address and per target.

| limit | endpoints | target |
| --- | --- | --- |
| ``lookup`` | ``/tra-cuu-ho-so/`` and ``/api/v1/dossiers/lookup/`` (one count) | the dossier code |
| ``sign_in`` | ``/accounts/login/``, ``/admin/login/`` (POST) | the username |
| ``second_factor`` | ``/accounts/second-factor/`` (POST: TOTP or enrolment code) | the account |
| ``token`` | ``/o/token/`` (POST) | the client id |

Rates come from ``MOTCUA_RATE_LIMITS`` (settings.py, one environment variable each). Counting is
django-ratelimit's (``get_usage``: a fixed window per key, atomic ``add``/``incr`` in Django's
cache), so with ``REDIS_URL`` every worker shares the counts. Over a limit the answer is 429 with
``Retry-After``. django-axes' lockout after failed sign-ins stays as it is; this also slows
guessing that spreads over many usernames or dossier codes, and successes.

The limits sit in one middleware keyed by URL name, so the views (some are DOT's or the admin's)
stay as they are.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django_ratelimit.core import get_usage


def client_address(request: HttpRequest) -> str:
    """The client's address as django-axes sees it (``AXES_IPWARE_*`` for proxies)."""
    from axes.helpers import get_client_ip_address

    return get_client_ip_address(request) or request.META.get("REMOTE_ADDR", "") or "0.0.0.0"  # noqa: S104


def _lookup_code(request: HttpRequest) -> str | None:
    code = request.GET.get("code", "").strip().upper()[:40]
    return code or None


def _username(request: HttpRequest) -> str | None:
    if request.method != "POST":
        return None
    return request.POST.get("username", "").strip().lower()[:150] or None


def _account(request: HttpRequest) -> str | None:
    if request.method != "POST" or not request.user.is_authenticated:
        return None
    return str(request.user.pk)


def _client_id(request: HttpRequest) -> str | None:
    if request.method != "POST":
        return None
    scheme, _, value = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    if scheme.lower() == "basic":
        try:
            decoded = base64.b64decode(value.strip()).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            decoded = ""
        client_id = unquote(decoded.partition(":")[0])
    else:
        client_id = request.POST.get("client_id", "")
    return client_id.strip()[:100] or "-"


# URL name → (limit, the target it guards; None: this request is not counted).
GUARDED: dict[str, tuple[str, Callable[[HttpRequest], str | None]]] = {
    "dossiers:lookup": ("lookup", _lookup_code),
    "api:dossier-lookup": ("lookup", _lookup_code),
    "accounts:login": ("sign_in", _username),
    "admin:login": ("sign_in", _username),
    "accounts:second_factor": ("second_factor", _account),
    "oauth2_provider:token": ("token", _client_id),
}
JSON_ENDPOINTS = {"api:dossier-lookup", "oauth2_provider:token"}


def seconds_to_wait(request: HttpRequest, name: str, target: str) -> int | None:
    """Count this request against ``name``'s limits; the seconds to wait if it is over one."""
    rates = settings.MOTCUA_RATE_LIMITS[name]
    waits = []
    for kind, key in (("address", "ip"), ("target", lambda group, request: target)):
        usage = get_usage(
            request, group=f"motcua:{name}:{kind}", key=key, rate=rates[kind], increment=True
        )
        if usage is not None and usage["should_limit"]:
            waits.append(max(int(usage["time_left"]), 1))
    return max(waits) if waits else None


def too_many(request: HttpRequest, view_name: str, wait: int) -> HttpResponse:
    message = _("Too many attempts. Try again in %(seconds)d seconds.") % {"seconds": wait}
    response: HttpResponse
    if view_name in JSON_ENDPOINTS:
        response = JsonResponse({"detail": message}, status=429)
    else:
        response = render(request, "accounts/rate_limited.html", {"message": message}, status=429)
    response["Retry-After"] = str(wait)
    return response


class RateLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Any, args: Any, kwargs: Any
    ) -> HttpResponse | None:
        match = request.resolver_match
        guarded = GUARDED.get(match.view_name) if match is not None else None
        if guarded is None or match is None:
            return None
        name, target_of = guarded
        target = target_of(request)
        if target is None:
            return None
        wait = seconds_to_wait(request, name, target)
        return too_many(request, match.view_name, wait) if wait is not None else None
