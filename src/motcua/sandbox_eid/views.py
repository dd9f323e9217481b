"""Endpoints of the sandbox national e-ID provider (thin: Authlib and ``services`` do the work).

Every endpoint answers 404 unless ``settings.MOTCUA_SANDBOX_ENABLED`` is true, read on each
request. Discovery and JWKS (OpenID Connect Discovery 1.0), authorize (RFC 6749 §4.1.1 with
PKCE, RFC 7636), token (§4.1.3) and userinfo (OpenID Connect Core §5.3).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any

from authlib.integrations.django_oauth2.resource_protector import return_error_response
from authlib.oauth2 import OAuth2Error
from authlib.oauth2.rfc6749 import InvalidClientError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import provider, selectors, services
from .claims import all_claims
from .forms import IdentityChoiceForm
from .plugins import SandboxEidProvider

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

JSON_OPTIONS = {"ensure_ascii": False}

# Why an authorization request cannot go back to the service (RFC 6749 §4.1.2.1), with the
# error code a developer would expect for it.
UNTRUSTED_REDIRECT_ERRORS = {
    "missing_client_id": (
        "invalid_request",
        _("The request does not say which service (client_id) is asking."),
    ),
    "unknown_client": (
        "invalid_client",
        _("The service asking you to sign in (client_id) is not registered here."),
    ),
    "missing_redirect_uri": (
        "invalid_request",
        _("The request does not say where to send you back (redirect_uri)."),
    ),
    "unregistered_redirect_uri": (
        "invalid_request",
        _(
            "The address to send you back to (redirect_uri) is not registered for this "
            "service, so the sandbox will not send you there."
        ),
    ),
}


def sandbox_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """404 unless the sandboxes are switched on (checked per request, not at start-up)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not SandboxEidProvider.switched_on():
            raise Http404("The sandbox is switched off.")
        return view(request, *args, **kwargs)

    return wrapped


def error_page(
    request: HttpRequest, message: StrOrPromise, code: str, description: str = ""
) -> HttpResponse:
    """The 400 page for a request the provider will not send back to the service."""
    context = {"message": message, "error_code": code, "error_description": description}
    return render(request, "sandbox_eid/error.html", context, status=400)


def refuse(request: HttpRequest, error: OAuth2Error) -> HttpResponse:
    """Send the error to the service when Authlib validated its redirect URI, else show it."""
    if error.redirect_uri:
        response: HttpResponse = provider.server.handle_error_response(None, error)
        return response
    message = _("The sign-in request is not valid.")
    return error_page(request, message, error.error, error.get_error_description())


@sandbox_only
@require_GET
def discovery(request: HttpRequest) -> HttpResponse:
    return JsonResponse(provider.discovery_document(request), json_dumps_params=JSON_OPTIONS)


@sandbox_only
@require_GET
def jwks(request: HttpRequest) -> HttpResponse:
    return JsonResponse(services.public_jwks())


@sandbox_only
@never_cache
@require_http_methods(["GET", "POST"])
def authorize(request: HttpRequest) -> HttpResponse:
    """Check the request, let the tester pick a demo identity, then redirect with a code."""
    parameters = provider.request_parameters(request)
    problem = provider.untrusted_redirect_problem(parameters)
    if problem:
        code, message = UNTRUSTED_REDIRECT_ERRORS[problem]
        return error_page(request, message, code)
    try:
        grant = provider.server.get_consent_grant(request)
    except OAuth2Error as error:
        return refuse(request, error)

    form = IdentityChoiceForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if request.POST.get("action") == "cancel":
            # No user: Authlib answers access_denied at the redirect URI, with the state.
            return provider.server.create_authorization_response(request, None, grant)
        if form.is_valid():
            identity = form.cleaned_data["identity"]
            return provider.server.create_authorization_response(request, identity, grant)

    citizens, businesses = selectors.identities_by_kind()
    requested_acr = parameters.get("acr_values", "").split()
    context = {
        "form": form,
        "citizens": citizens,
        "businesses": businesses,
        "parameters": parameters,
        "client_id": parameters["client_id"],
        "level_2_requested": "2" in requested_acr,
        "chosen": request.POST.get("identity", ""),
    }
    return render(
        request, "sandbox_eid/authorize.html", context, status=400 if form.errors else 200
    )


@csrf_exempt
@sandbox_only
@require_POST
def token(request: HttpRequest) -> HttpResponse:
    """Exchange a code (with its PKCE verifier and the client's credentials) for tokens."""
    try:
        response: HttpResponse = provider.server.create_token_response(request)
    except OAuth2Error as error:  # raised before Authlib's own handling (insecure transport)
        response = provider.server.handle_error_response(None, error)
    except UnicodeDecodeError:  # HTTP Basic credentials that are not UTF-8
        malformed = InvalidClientError(status_code=401, description="Malformed client credentials.")
        response = provider.server.handle_error_response(None, malformed)
    return response


@csrf_exempt
@sandbox_only
@require_http_methods(["GET", "POST"])
def userinfo(request: HttpRequest) -> HttpResponse:
    """The claims of the identity the bearer access token was issued for."""
    try:
        access_token = provider.resource_protector.acquire_token(request, scopes=["openid"])
    except OAuth2Error as error:
        response: HttpResponse = return_error_response(error)
        return response
    response = JsonResponse(
        all_claims(access_token.identity, access_token.acr), json_dumps_params=JSON_OPTIONS
    )
    response["Cache-Control"] = "no-store"
    return response
