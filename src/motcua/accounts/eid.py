"""National e-ID sign-in over OpenID Connect (DOMAIN.md §7), through Authlib's client.

Authorization code flow with PKCE (S256), ``state`` and ``nonce`` kept in the session, and the
ID token's signature checked against the provider's JWKS (with ``iss``, ``aud``, ``exp`` and
``nonce``). The provider is configured by settings; in development and tests it is the sandbox
provider under ``/sandbox/eid/`` on this same server.
"""

from __future__ import annotations

from typing import Any

from authlib.integrations.django_client import DjangoOAuth2App, OAuth
from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

SANDBOX_DISCOVERY_PATH = "/sandbox/eid/.well-known/openid-configuration"


def discovery_url(request: HttpRequest) -> str:
    configured = getattr(settings, "MOTCUA_EID_DISCOVERY_URL", "")
    if configured:
        return str(configured)
    # No national provider configured: the sandbox on this server (development, demo, tests).
    return request.build_absolute_uri(SANDBOX_DISCOVERY_PATH)


def client_credentials() -> tuple[str, str]:
    client_id = getattr(settings, "MOTCUA_EID_CLIENT_ID", "")
    client_secret = getattr(settings, "MOTCUA_EID_CLIENT_SECRET", "")
    if client_id and client_secret:
        return str(client_id), str(client_secret)
    from motcua.sandbox_eid.clients import DEFAULT_CLIENT_ID, default_client_secret

    return DEFAULT_CLIENT_ID, default_client_secret()


def is_configured() -> bool:
    return bool(getattr(settings, "MOTCUA_EID_DISCOVERY_URL", "")) or bool(
        getattr(settings, "MOTCUA_SANDBOX_ENABLED", False)
    )


def eid_client(request: HttpRequest) -> DjangoOAuth2App:
    """A client for this request. Built per request: the provider's address may depend on it."""
    client_id, client_secret = client_credentials()
    registry = OAuth()
    client: DjangoOAuth2App = registry.register(
        name="national_eid",
        client_id=client_id,
        client_secret=client_secret,
        server_metadata_url=discovery_url(request),
        client_kwargs={
            "scope": "openid profile email phone address",
            "code_challenge_method": "S256",
            "timeout": getattr(settings, "MOTCUA_EID_TIMEOUT_SECONDS", 10),
        },
    )
    return client


def callback_url(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("accounts:eid_callback"))


def acr_values() -> str:
    """Ask for the highest level; the provider asserts what the person actually has."""
    return str(getattr(settings, "MOTCUA_EID_ACR_VALUES", "2"))


def fetch_identity_claims(request: HttpRequest) -> dict[str, Any]:
    """Finish the flow: check state, exchange the code, verify the ID token; return its claims."""
    client = eid_client(request)
    token = client.authorize_access_token(request)
    claims = dict(token.get("userinfo") or {})
    if not claims:
        from authlib.integrations.base_client import OAuthError

        raise OAuthError(error="missing_id_token", description="No ID token was returned.")
    return claims
