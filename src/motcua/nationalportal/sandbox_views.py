"""SANDBOX national portal: its HTTP endpoints and the pages showing what it holds.

Answers 404 unless ``settings.MOTCUA_SANDBOX_ENABLED`` is true, read on each request.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from . import sandbox
from .access import check_administrator
from .client import SandboxNationalPortal
from .models import SandboxCall, SandboxDossier

JSON_OPTIONS = {"ensure_ascii": False}


def sandbox_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not SandboxNationalPortal.switched_on():
            raise Http404("The sandbox is switched off.")
        return view(request, *args, **kwargs)

    return wrapped


def administrators_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The pages show the applicants' data the platform sent: administrators only."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        check_administrator(request.user)
        return view(request, *args, **kwargs)

    return wrapped


def _body(request: HttpRequest) -> dict[str, Any] | None:
    try:
        body = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return None
    return body if isinstance(body, dict) else None


def _error(code: str, message: str, status: int) -> JsonResponse:
    return JsonResponse(
        {"error_code": code, "message": message}, status=status, json_dumps_params=JSON_OPTIONS
    )


@sandbox_only
@csrf_exempt
@require_POST
def auth(request: HttpRequest) -> HttpResponse:
    body = _body(request)
    if body is None:
        return _error("01", "The request is not a JSON object.", 400)
    session = sandbox.sign_in(body)
    if session is None:
        return _error("401", "Wrong username or password (sandbox).", 401)
    return JsonResponse({"error_code": 0, "session": session})


def _service(answer: Callable[[dict[str, Any]], dict[str, Any]]) -> Callable[..., HttpResponse]:
    @sandbox_only
    @csrf_exempt
    @require_POST
    def view(request: HttpRequest) -> HttpResponse:
        body = _body(request)
        if body is None:
            return _error("01", "The request is not a JSON object.", 400)
        if not sandbox.session_valid(body.get("session")):
            return _error("401", "No valid session: sign in first (sandbox).", 401)
        try:
            return JsonResponse(answer(body), json_dumps_params=JSON_OPTIONS)
        except sandbox.Refused as refusal:
            return _error(refusal.code, str(refusal), 400)

    return view


sync = _service(sandbox.synchronise)
share = _service(sandbox.share)


@sandbox_only
@never_cache
@require_GET
@administrators_only
def home(request: HttpRequest) -> HttpResponse:
    """What the sandbox portal holds: the dossiers, newest change first, and the last calls."""
    query = request.GET.get("q", "").strip()[:40]
    dossiers = SandboxDossier.objects.all()
    if query:
        dossiers = dossiers.filter(code__icontains=query)
    page = Paginator(dossiers, 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "query": query,
        "calls": SandboxCall.objects.all()[:20],
        "refused": SandboxCall.objects.filter(accepted=False).count(),
        "published": len(sandbox.published()),
    }
    return render(request, "nationalportal/sandbox/home.html", context)


@sandbox_only
@never_cache
@require_GET
@administrators_only
def dossier(request: HttpRequest, code: str) -> HttpResponse:
    held = get_object_or_404(SandboxDossier, code=code)
    payload = json.dumps(held.payload, ensure_ascii=False, indent=2)
    return render(
        request, "nationalportal/sandbox/dossier.html", {"dossier": held, "payload": payload}
    )
