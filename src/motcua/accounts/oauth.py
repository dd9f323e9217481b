"""The platform's OAuth2 authorization server (django-oauth-toolkit at ``/o/``), as RFC 9700 asks.

- Only administrators register applications (the Django admin; DOT's self-service pages are not
  served, see ``oauth_urls``).
- The password and implicit grants do not exist on this server (``MotcuaOAuthServer`` has no
  such grant), whatever an application's row says.
- Public clients (apps on a phone) get the authorization code flow, with PKCE
  (``PKCE_REQUIRED``), and refresh tokens; nothing else.
- Client credentials only for a confidential application an administrator registered for a
  system: no owning person (``user`` left empty).
- The ``officer`` scope (officer powers through the API) is granted only in a browser session
  that passed the second factor; refreshing keeps a token's scopes, never widens them.

Scopes are then enforced on every API view by ``api_auth.CachedOAuth2Authentication``.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from oauth2_provider.models import AbstractApplication
from oauth2_provider.oauth2_validators import OAuth2Validator
from oauthlib.oauth2.rfc6749.endpoints import (
    AuthorizationEndpoint,
    IntrospectEndpoint,
    ResourceEndpoint,
    RevocationEndpoint,
    TokenEndpoint,
)
from oauthlib.oauth2.rfc6749.grant_types import (
    AuthorizationCodeGrant,
    ClientCredentialsGrant,
    RefreshTokenGrant,
)
from oauthlib.oauth2.rfc6749.tokens import BearerToken

from .second_factor import OFFICER_SCOPE, passed_second_factor

AUTHORIZATION_CODE = AbstractApplication.GRANT_AUTHORIZATION_CODE
CLIENT_CREDENTIALS = AbstractApplication.GRANT_CLIENT_CREDENTIALS
ALLOWED_GRANT_TYPES = {AUTHORIZATION_CODE, CLIENT_CREDENTIALS}


def application_problem(*, client_type: str, grant_type: str, has_owner: bool) -> str | None:
    """Why an application may not be registered so (a translated message), or None."""
    if grant_type not in ALLOWED_GRANT_TYPES:
        return _("Only the authorization code and client credentials grants are offered.")
    if client_type == AbstractApplication.CLIENT_PUBLIC and grant_type != AUTHORIZATION_CODE:
        return _("A public client (an app on a phone) uses the authorization code flow only.")
    if grant_type == CLIENT_CREDENTIALS and has_owner:
        return _("Client credentials are for a system: leave the application's user empty.")
    return None


class MotcuaOAuthServer(
    AuthorizationEndpoint, IntrospectEndpoint, TokenEndpoint, ResourceEndpoint, RevocationEndpoint
):
    """oauthlib's ``Server`` with the authorization code, refresh and client credentials grants
    only: ``grant_type=password`` and ``response_type=token`` are unsupported here."""

    def __init__(
        self,
        request_validator: Any,
        token_expires_in: Any = None,
        token_generator: Any = None,
        refresh_token_generator: Any = None,
        *args: Any,
        **kwargs: Any,
    ) -> None:
        self.auth_grant = AuthorizationCodeGrant(request_validator)
        self.credentials_grant = ClientCredentialsGrant(request_validator)
        self.refresh_grant = RefreshTokenGrant(request_validator)
        self.bearer = BearerToken(
            request_validator, token_generator, token_expires_in, refresh_token_generator
        )
        AuthorizationEndpoint.__init__(
            self,
            default_response_type="code",
            response_types={"code": self.auth_grant},
            default_token_type=self.bearer,
        )
        TokenEndpoint.__init__(
            self,
            default_grant_type="authorization_code",
            grant_types={
                "authorization_code": self.auth_grant,
                "client_credentials": self.credentials_grant,
                "refresh_token": self.refresh_grant,
            },
            default_token_type=self.bearer,
        )
        ResourceEndpoint.__init__(
            self,
            default_token="Bearer",  # noqa: S106 - the token type's name, not a secret
            token_types={"Bearer": self.bearer},
        )
        RevocationEndpoint.__init__(self, request_validator)
        IntrospectEndpoint.__init__(self, request_validator)


class MotcuaOAuth2Validator(OAuth2Validator):
    """DOT's validator, refusing what an application row may still claim but this server does
    not offer (rows registered before these rules, or edited by hand)."""

    def _allowed(self, client: Any) -> bool:
        return (
            application_problem(
                client_type=client.client_type,
                grant_type=client.authorization_grant_type,
                has_owner=client.user_id is not None,
            )
            is None
        )

    def validate_grant_type(
        self, client_id: str, grant_type: str, client: Any, request: Any, *args: Any, **kwargs: Any
    ) -> bool:
        if not self._allowed(client):
            return False
        return bool(super().validate_grant_type(client_id, grant_type, client, request))

    def validate_response_type(
        self,
        client_id: str,
        response_type: str,
        client: Any,
        request: Any,
        *args: Any,
        **kwargs: Any,
    ) -> bool:
        if response_type != "code" or not self._allowed(client):
            return False
        return bool(super().validate_response_type(client_id, response_type, client, request))

    def validate_scopes(
        self,
        client_id: str,
        scopes: list[str],
        client: Any,
        request: Any,
        *args: Any,
        **kwargs: Any,
    ) -> bool:
        if not super().validate_scopes(client_id, scopes, client, request, *args, **kwargs):
            return False
        if OFFICER_SCOPE not in scopes:
            return True
        user = getattr(request, "user", None)
        if user is None:
            # Showing the consent page (the person is asked when they allow it); a client
            # asking for itself (client credentials) never acts as an officer.
            return getattr(request, "grant_type", None) is None and bool(
                getattr(request, "response_type", None)
            )
        return passed_second_factor(user)
