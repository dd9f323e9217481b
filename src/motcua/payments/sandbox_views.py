"""Pages and endpoints of the sandbox payment gateway (``/sandbox/pay/``).

Every endpoint answers 404 unless ``settings.MOTCUA_PAYMENT_SANDBOX_ENABLED`` is true, read
on each request. The payment page works without JavaScript.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from . import sandbox


def sandbox_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not settings.MOTCUA_PAYMENT_SANDBOX_ENABLED:
            raise Http404("The payment sandbox is switched off.")
        return view(request, *args, **kwargs)

    return wrapped


class _Redirect(HttpResponseRedirect):
    # The return URL is the merchant's, signed with its secret: any http(s) host is allowed.
    allowed_schemes = ["http", "https"]


@sandbox_only
@never_cache
@require_http_methods(["GET", "POST"])
def pay(request: HttpRequest) -> HttpResponse:
    """The payment page: check the signed request, show it, take the tester's choice."""
    params = request.GET.dict()
    try:
        order = sandbox.read_order(params)
    except sandbox.SandboxRefused as exc:
        return render(request, "payments/sandbox/refused.html", {"message": str(exc)}, status=400)
    txn = order.transaction
    if request.method == "POST":
        outcome = request.POST.get("outcome", "")
        if outcome not in sandbox.OUTCOMES:
            context = {"order": order, "params": params, "error": True}
            return render(request, "payments/sandbox/pay.html", context, status=400)
        txn = sandbox.complete(txn, outcome)
        base_url = settings.MOTCUA_PAYMENT_BASE_URL or request.build_absolute_uri("/")
        sandbox.deliver_ipn(txn, base_url)
        separator = "&" if "?" in txn.return_url else "?"
        return _Redirect(txn.return_url + separator + urlencode(sandbox.result_params(txn)))
    return render(request, "payments/sandbox/pay.html", {"order": order, "params": params})


@sandbox_only
@csrf_exempt
@require_POST
def querydr(request: HttpRequest) -> HttpResponse:
    """``merchant_webapi/api/transaction``: the sandbox's answer to ``querydr``."""
    try:
        body = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        body = None
    if not isinstance(body, dict):
        return JsonResponse({"vnp_ResponseCode": "03", "vnp_Message": "Invalid request format"})
    return JsonResponse(sandbox.answer_querydr(body))
