"""Relying parties registered with the sandbox e-ID provider (the platform's OIDC client).

No secret lives in the repository. By default there is one confidential client,
``motcua-platform``, whose secret is derived from ``SECRET_KEY`` (``default_client_secret()``,
so the platform side computes the same value) and whose redirect URIs are the platform's e-ID
callback on a local machine: ``http(s)://<127.0.0.1 | localhost | testserver>[:port]
/accounts/eid/callback/`` (``is_local_callback_uri``; the test live server uses random ports).

``settings.MOTCUA_SANDBOX_EID_CLIENTS``, when set, replaces that default with a list of
``{"client_id": …, "client_secret": …, "redirect_uris": [...]}``; with ``redirect_uris`` the
redirect URI must be one of them exactly, without it the local callback rule applies.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from authlib.oauth2.rfc6749 import ClientMixin, list_to_scope, scope_to_list
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

DEFAULT_CLIENT_ID = "motcua-platform"
CALLBACK_PATH = "/accounts/eid/callback/"
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "testserver"})
SUPPORTED_SCOPES = ("openid", "profile", "email", "phone", "address")
TOKEN_ENDPOINT_AUTH_METHODS = ("client_secret_basic", "client_secret_post")


def default_client_secret() -> str:
    """The default client's secret: an HMAC of a fixed label under ``SECRET_KEY``."""
    return hmac.new(settings.SECRET_KEY.encode(), b"sandbox-eid-client", "sha256").hexdigest()


def is_local_callback_uri(uri: str) -> bool:
    """Whether ``uri`` is the platform's e-ID callback on this machine, on any port.

    The URI must be exactly ``scheme://host[:port]/accounts/eid/callback/`` in canonical form
    (lower-case scheme and host, no user, query or fragment), so nothing unusual can slip
    through a lenient URL parser into a ``Location`` header.
    """
    try:
        parts = urlsplit(uri)
        port = parts.port
    except ValueError:
        return False
    if parts.scheme not in ("http", "https") or parts.hostname not in LOCAL_HOSTS:
        return False
    canonical = f"{parts.scheme}://{parts.hostname}{'' if port is None else f':{port}'}"
    return uri == canonical + CALLBACK_PATH


@dataclass(frozen=True)
class SandboxClient(ClientMixin):
    """A registered relying party, as Authlib's ``ClientMixin`` expects it (RFC 6749 §2)."""

    client_id: str
    client_secret: str
    redirect_uris: tuple[str, ...] = ()

    @property
    def client_metadata(self) -> dict[str, Any]:
        return {}

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> None:
        # OpenID Connect Core §3.1.2.1: redirect_uri is required, never guessed.
        return None

    def get_allowed_scope(self, scope: str | None) -> str:
        if not scope:
            return ""
        return str(list_to_scope([s for s in scope_to_list(scope) if s in SUPPORTED_SCOPES]))

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        if self.redirect_uris:
            return redirect_uri in self.redirect_uris
        return is_local_callback_uri(redirect_uri)

    def check_client_secret(self, client_secret: str) -> bool:
        return hmac.compare_digest(client_secret.encode(), self.client_secret.encode())

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return endpoint == "token" and method in TOKEN_ENDPOINT_AUTH_METHODS

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type == "authorization_code"


def _configured_client(entry: Mapping[str, Any]) -> SandboxClient:
    try:
        client_id, client_secret = str(entry["client_id"]), str(entry["client_secret"])
    except (KeyError, TypeError) as exc:
        raise ImproperlyConfigured(
            "Each MOTCUA_SANDBOX_EID_CLIENTS entry needs client_id and client_secret."
        ) from exc
    if not client_id or not client_secret:
        raise ImproperlyConfigured("MOTCUA_SANDBOX_EID_CLIENTS: empty client_id or secret.")
    redirect_uris: Iterable[str] = entry.get("redirect_uris") or ()
    return SandboxClient(client_id, client_secret, tuple(str(uri) for uri in redirect_uris))


def sandbox_clients() -> list[SandboxClient]:
    """The registered clients, read from settings each time (tests may override them)."""
    configured = settings.MOTCUA_SANDBOX_EID_CLIENTS
    if configured is None:
        return [SandboxClient(DEFAULT_CLIENT_ID, default_client_secret())]
    return [_configured_client(entry) for entry in configured]


def find_client(client_id: str | None) -> SandboxClient | None:
    if not client_id:
        return None
    return next((c for c in sandbox_clients() if c.client_id == client_id), None)
