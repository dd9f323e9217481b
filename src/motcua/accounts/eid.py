"""National e-ID sign-in over OpenID Connect (DOMAIN.md §7), through Authlib's client.

Authorization code flow with PKCE (S256), ``state`` and ``nonce`` kept in the session, and the
ID token's signature checked against the provider's JWKS (with ``iss``, ``aud``, ``exp`` and
``nonce``). The provider is a plugin of the ``eid_providers`` registry chosen by
``MOTCUA_EID_PROVIDER``: "national" (configured from ``MOTCUA_EID_*``) or "sandbox" (the
sandbox provider under ``/sandbox/eid/`` on this same server, registered by the
``sandbox_eid`` app and refused while ``MOTCUA_SANDBOX_ENABLED`` is off). Left empty, the
national provider is chosen once its discovery URL is set, the sandbox otherwise.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import Any

from authlib.integrations.django_client import DjangoOAuth2App, OAuth
from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from motcua.plugins import Plugin, Registry, UnknownPlugin


class EidProvider(Plugin, ABC):
    """An OpenID Connect provider the platform signs people in with."""

    @abstractmethod
    def discovery_url(self, request: HttpRequest) -> str:
        """The provider's discovery document (the address may depend on the request)."""

    @abstractmethod
    def client_credentials(self) -> tuple[str, str]:
        """This platform's client id and secret at the provider."""

    def can_start(self) -> bool:
        """Whether a sign-in can be started at all (the provider's address is known)."""
        return True


eid_providers: Registry[EidProvider] = Registry(
    EidProvider, kind="eid_provider", setting="MOTCUA_EID_PROVIDER"
)


@eid_providers.register
class NationalEidProvider(EidProvider):
    """The national e-ID service (VNeID), from ``MOTCUA_EID_DISCOVERY_URL`` and credentials."""

    identifier = "national"
    verbose_name = "National e-ID (OpenID Connect)"

    def discovery_url(self, request: HttpRequest) -> str:
        return str(settings.MOTCUA_EID_DISCOVERY_URL)

    def client_credentials(self) -> tuple[str, str]:
        return str(settings.MOTCUA_EID_CLIENT_ID), str(settings.MOTCUA_EID_CLIENT_SECRET)

    def can_start(self) -> bool:
        return bool(settings.MOTCUA_EID_DISCOVERY_URL)

    def check_config(self) -> list[str]:
        problems = []
        if not settings.MOTCUA_EID_DISCOVERY_URL:
            problems.append("MOTCUA_EID_DISCOVERY_URL is not set")
        if not (settings.MOTCUA_EID_CLIENT_ID and settings.MOTCUA_EID_CLIENT_SECRET):
            problems.append("MOTCUA_EID_CLIENT_ID or MOTCUA_EID_CLIENT_SECRET is not set")
        return problems


def provider_identifier() -> str:
    """The provider ``MOTCUA_EID_PROVIDER`` names; empty: national once configured, else sandbox."""
    if settings.MOTCUA_EID_PROVIDER:
        return str(settings.MOTCUA_EID_PROVIDER)
    return NationalEidProvider.identifier if settings.MOTCUA_EID_DISCOVERY_URL else "sandbox"


def provider() -> EidProvider:
    """The selected provider; ``UnknownPlugin`` when it is missing or a sandbox switched off."""
    return eid_providers.usable(provider_identifier())()


@eid_providers.selector
def _selection() -> dict[str, Callable[[], EidProvider]]:
    return {"sign-in": provider}


def is_configured() -> bool:
    try:
        return provider().can_start()
    except UnknownPlugin:
        return False


def eid_client(request: HttpRequest) -> DjangoOAuth2App:
    """A client for this request. Built per request: the provider's address may depend on it."""
    chosen = provider()
    client_id, client_secret = chosen.client_credentials()
    registry = OAuth()
    client: DjangoOAuth2App = registry.register(
        name="national_eid",
        client_id=client_id,
        client_secret=client_secret,
        server_metadata_url=chosen.discovery_url(request),
        client_kwargs={
            "scope": "openid profile email phone address",
            "code_challenge_method": "S256",
            "timeout": settings.MOTCUA_EID_TIMEOUT_SECONDS,
        },
    )
    return client


def callback_url(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("accounts:eid_callback"))


def acr_values() -> str:
    """Ask for the highest level; the provider asserts what the person actually has."""
    return str(settings.MOTCUA_EID_ACR_VALUES)


def fetch_identity_claims(request: HttpRequest) -> dict[str, Any]:
    """Finish the flow: check state, exchange the code, verify the ID token; return its claims."""
    client = eid_client(request)
    token = client.authorize_access_token(request)
    claims = dict(token.get("userinfo") or {})
    if not claims:
        from authlib.integrations.base_client import OAuthError

        raise OAuthError(error="missing_id_token", description="No ID token was returned.")
    return claims
