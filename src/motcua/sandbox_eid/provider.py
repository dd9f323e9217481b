"""The OpenID Connect provider itself, assembled from Authlib's server components.

* ``authlib.integrations.django_oauth2.AuthorizationServer`` with the authorization code grant
  (RFC 6749 §4.1) and confidential clients (``client_secret_basic`` / ``client_secret_post``);
* ``authlib.oauth2.rfc7636.CodeChallenge``, here required on every request and S256 only
  (RFC 9700 §2.1.1);
* ``authlib.oidc.core.OpenIDCode`` for RS256 ID tokens with ``nonce``, ``auth_time`` and ``acr``
  (OpenID Connect Core 1.0 §3.1);
* ``authlib.integrations.django_oauth2.ResourceProtector`` with a bearer token validator
  (RFC 6750) for the userinfo endpoint.

Views call into this module; state changes go through ``services``. The claims are described in
``claims``.
"""

from __future__ import annotations

import time
from typing import Any

from authlib.common.security import generate_token
from authlib.integrations.django_oauth2 import AuthorizationServer, ResourceProtector
from authlib.integrations.django_oauth2.requests import DjangoOAuth2Payload, DjangoOAuth2Request
from authlib.oauth2.rfc6749 import (
    InvalidGrantError,
    InvalidRequestError,
    InvalidScopeError,
    OAuth2Request,
    grants,
)
from authlib.oauth2.rfc6750 import BearerTokenGenerator, BearerTokenValidator
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oidc.core import OpenIDCode
from authlib.oidc.core.grants.util import is_openid_scope
from django.http import HttpRequest
from django.urls import reverse
from joserfc.jwk import KeySet

from . import selectors, services
from .claims import CLAIMS_SUPPORTED, assurance_claims, identity_claims
from .clients import (
    SUPPORTED_SCOPES,
    TOKEN_ENDPOINT_AUTH_METHODS,
    SandboxClient,
    find_client,
)
from .models import SandboxAccessToken, SandboxAuthorizationCode, SandboxIdentity

ACR_VALUES = ["1", "2"]
# Django's test client calls itself "testserver": it never leaves the process.
TEST_CLIENT_HOST = "testserver"


def new_access_token(**context: Any) -> str:
    """An opaque access token: 48 random letters and digits."""
    return str(generate_token(48))


def issuer_for(request: HttpRequest) -> str:
    """The issuer identifier: the absolute URL the sandbox is mounted at (``…/sandbox/eid``)."""
    return request.build_absolute_uri(reverse("sandbox_eid:jwks").rsplit("/", 1)[0])


def discovery_document(request: HttpRequest) -> dict[str, Any]:
    """OpenID Provider metadata (OpenID Connect Discovery 1.0 §3)."""

    def url(name: str) -> str:
        return request.build_absolute_uri(reverse(f"sandbox_eid:{name}"))

    return {
        "issuer": issuer_for(request),
        "authorization_endpoint": url("authorize"),
        "token_endpoint": url("token"),
        "userinfo_endpoint": url("userinfo"),
        "jwks_uri": url("jwks"),
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "grant_types_supported": ["authorization_code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "code_challenge_methods_supported": ["S256"],
        "scopes_supported": list(SUPPORTED_SCOPES),
        "token_endpoint_auth_methods_supported": list(TOKEN_ENDPOINT_AUTH_METHODS),
        "acr_values_supported": ACR_VALUES,
        "claims_supported": CLAIMS_SUPPORTED,
        "claims_parameter_supported": False,
        "request_parameter_supported": False,
        "request_uri_parameter_supported": False,
    }


def request_parameters(request: HttpRequest) -> dict[str, str]:
    """The request's OAuth parameters exactly as Authlib reads them (query, then form)."""
    return dict(DjangoOAuth2Payload(request).data)


def untrusted_redirect_problem(parameters: dict[str, str]) -> str | None:
    """Why errors of this authorization request cannot be sent to its redirect URI, if so.

    RFC 6749 §4.1.2.1: with a missing or unknown client, or a redirect URI not registered for
    it, the provider must tell the user instead of redirecting. Returns ``None`` when the
    redirect URI is trusted, else one of ``missing_client_id``, ``unknown_client``,
    ``missing_redirect_uri``, ``unregistered_redirect_uri``.
    """
    client_id = parameters.get("client_id")
    if not client_id:
        return "missing_client_id"
    client = find_client(client_id)
    if client is None:
        return "unknown_client"
    redirect_uri = parameters.get("redirect_uri")
    if not redirect_uri:
        return "missing_redirect_uri"
    if not client.check_redirect_uri(redirect_uri):
        return "unregistered_redirect_uri"
    return None


class SandboxOAuth2Request(DjangoOAuth2Request):
    """Authlib's Django request, carrying the issuer for the ID token.

    Authlib refuses plain http except on loopback hosts (RFC 8252 §7.3). Django's test client
    (host ``testserver``) is in-process, so for it the check is made as for ``localhost``;
    every other host keeps the rule (a demo deployment must use https).
    """

    def __init__(self, request: HttpRequest) -> None:
        uri = request.build_absolute_uri()
        if not request.is_secure() and request.get_host().split(":")[0] == TEST_CLIENT_HOST:
            uri = uri.replace(f"http://{TEST_CLIENT_HOST}", "http://localhost", 1)
        # What DjangoOAuth2Request.__init__ does, with the URI above.
        OAuth2Request.__init__(self, method=request.method, uri=uri, headers=request.headers)
        self.payload = DjangoOAuth2Payload(request)
        self._request = request
        self.issuer = issuer_for(request)


class S256CodeChallenge(CodeChallenge):
    """PKCE (RFC 7636) on every authorization request, S256 only (RFC 9700 §2.1.1)."""

    SUPPORTED_CODE_CHALLENGE_METHOD = ["S256"]

    def validate_code_challenge(self, grant: Any, redirect_uri: Any) -> None:
        data = grant.request.payload.data
        if not data.get("code_challenge"):
            raise InvalidRequestError("Missing 'code_challenge': PKCE with S256 is required.")
        if data.get("code_challenge_method") != "S256":
            raise InvalidRequestError("'code_challenge_method' must be 'S256'.")
        super().validate_code_challenge(grant, redirect_uri)


class SandboxOpenIDCode(OpenIDCode):
    """ID tokens (OpenID Connect Core §2) signed RS256 with the stored key, named by ``kid``."""

    def exists_nonce(self, nonce: str, request: OAuth2Request) -> bool:
        return selectors.nonce_was_used(request.payload.client_id, nonce)

    def resolve_client_private_key(self, client: SandboxClient) -> KeySet:
        return services.signing_key_set()

    def get_client_algorithm(self, client: SandboxClient) -> str:
        return "RS256"

    def get_encode_header(self, client: SandboxClient) -> dict[str, str]:
        return {"alg": "RS256", "typ": "JWT", "kid": services.current_signing_key().kid}

    def get_compatible_claims(self, request: SandboxOAuth2Request) -> dict[str, Any]:
        now = int(time.time())
        return {
            "iss": request.issuer,
            "aud": request.client.get_client_id(),
            "iat": now,
            "exp": now + int(services.ID_TOKEN_LIFETIME.total_seconds()),
            "auth_time": now,
        }

    def get_authorization_code_claims(
        self, authorization_code: SandboxAuthorizationCode
    ) -> dict[str, Any]:
        claims: dict[str, Any] = super().get_authorization_code_claims(authorization_code)
        claims.update(assurance_claims(authorization_code.acr))
        return claims

    def generate_user_info(self, user: SandboxIdentity, scope: str) -> dict[str, Any]:
        return identity_claims(user)


class SandboxAuthorizationCodeGrant(grants.AuthorizationCodeGrant):
    """The authorization code grant (RFC 6749 §4.1) for OpenID Connect: ``openid`` required."""

    TOKEN_ENDPOINT_AUTH_METHODS = list(TOKEN_ENDPOINT_AUTH_METHODS)

    def validate_requested_scope(self) -> None:
        super().validate_requested_scope()
        if not is_openid_scope(self.request.payload.scope):
            raise InvalidScopeError("The 'openid' scope is required.")

    def save_authorization_code(self, code: str, request: OAuth2Request) -> None:
        data = request.payload.data
        services.create_authorization_code(
            code=code,
            client_id=request.client.get_client_id(),
            redirect_uri=request.payload.redirect_uri,
            scope=request.scope,
            nonce=data.get("nonce") or "",
            code_challenge=data["code_challenge"],
            code_challenge_method=data["code_challenge_method"],
            identity=request.user,
        )

    def query_authorization_code(
        self, code: str, client: SandboxClient
    ) -> SandboxAuthorizationCode | None:
        item = selectors.find_authorization_code(code, client.get_client_id())
        if item is None or item.is_expired():
            return None
        if item.used:
            services.revoke_tokens_of(item)
            return None
        return item

    def authenticate_user(self, authorization_code: SandboxAuthorizationCode) -> SandboxIdentity:
        # Redeemed here, after PKCE verification and before any token exists, so two requests
        # racing with the same code cannot both get tokens.
        if not services.redeem_authorization_code(authorization_code):
            raise InvalidGrantError("The authorization code has already been used.")
        return authorization_code.identity

    def delete_authorization_code(self, authorization_code: SandboxAuthorizationCode) -> None:
        """Nothing to do: the code was marked used in ``authenticate_user`` and is kept."""


class SandboxAuthorizationServer(AuthorizationServer):
    """Authlib's Django authorization server with the sandbox's clients, tokens and grant."""

    def __init__(self) -> None:
        super().__init__(client_model=None, token_model=SandboxAccessToken)
        self.scopes_supported = list(SUPPORTED_SCOPES)
        lifetime = int(services.ACCESS_TOKEN_LIFETIME.total_seconds())
        self.register_token_generator(
            "default",
            BearerTokenGenerator(
                access_token_generator=new_access_token,
                expires_generator=lambda client, grant_type: lifetime,
            ),
        )
        self.register_grant(
            SandboxAuthorizationCodeGrant,
            [S256CodeChallenge(required=True), SandboxOpenIDCode(require_nonce=False)],
        )

    def query_client(self, client_id: str) -> SandboxClient | None:
        return find_client(client_id)

    def save_token(self, token: dict[str, Any], request: OAuth2Request) -> SandboxAccessToken:
        code: SandboxAuthorizationCode = request.authorization_code
        return services.create_access_token(
            token=token["access_token"],
            identity=request.user,
            client_id=request.client.get_client_id(),
            scope=token.get("scope", ""),
            acr=code.acr,
            expires_in=int(token["expires_in"]),
            authorization_code=code,
        )

    def create_oauth2_request(self, request: HttpRequest) -> SandboxOAuth2Request:
        return SandboxOAuth2Request(request)


class SandboxBearerTokenValidator(BearerTokenValidator):
    """Bearer access tokens (RFC 6750) looked up in the database."""

    def authenticate_token(self, token_string: str) -> SandboxAccessToken | None:
        return selectors.find_access_token(token_string)


server = SandboxAuthorizationServer()
resource_protector = ResourceProtector()
resource_protector.register_token_validator(SandboxBearerTokenValidator())
