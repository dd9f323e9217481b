"""A relying party's side of the code flow, driven through Django's test client."""

from __future__ import annotations

import base64
import hashlib
import secrets
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlencode, urlsplit

from django.test import Client

from motcua.sandbox_eid.clients import DEFAULT_CLIENT_ID, default_client_secret
from motcua.sandbox_eid.models import SandboxIdentity

AUTHORIZE = "/sandbox/eid/authorize"
TOKEN = "/sandbox/eid/token"
USERINFO = "/sandbox/eid/userinfo"
JWKS = "/sandbox/eid/jwks"
DISCOVERY = "/sandbox/eid/.well-known/openid-configuration"
ISSUER = "http://testserver/sandbox/eid"
REDIRECT_URI = "http://testserver/accounts/eid/callback/"

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse


def s256(verifier: str) -> str:
    """RFC 7636 §4.2, computed here independently of Authlib."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


@dataclass
class AuthorizationRequest:
    """What a relying party remembers between the redirect and the callback."""

    state: str = field(default_factory=lambda: secrets.token_urlsafe(16))
    nonce: str = field(default_factory=lambda: secrets.token_urlsafe(16))
    verifier: str = field(default_factory=lambda: secrets.token_urlsafe(48))
    extra: dict[str, str] = field(default_factory=dict)
    omit: tuple[str, ...] = ()

    @property
    def params(self) -> dict[str, str]:
        params = {
            "response_type": "code",
            "client_id": DEFAULT_CLIENT_ID,
            "redirect_uri": REDIRECT_URI,
            "scope": "openid profile",
            "state": self.state,
            "nonce": self.nonce,
            "code_challenge": s256(self.verifier),
            "code_challenge_method": "S256",
            "acr_values": "2",
            **self.extra,
        }
        return {k: v for k, v in params.items() if k not in self.omit}


def query_of(location: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


def identity_named(name: str) -> SandboxIdentity:
    return SandboxIdentity.objects.get(name=name)


def choose(
    client: Client, request: AuthorizationRequest, identity: SandboxIdentity
) -> TestResponse:
    """Open the sign-in page, then submit its form as a browser does (query kept in the URL)."""
    url = f"{AUTHORIZE}?{urlencode(request.params)}"
    page = client.get(url)
    assert page.status_code == 200, page.content
    return client.post(url, {"identity": identity.sub, "action": "allow"})


def sign_in(client: Client, request: AuthorizationRequest, identity: SandboxIdentity) -> str:
    """Run the front channel and return the authorization code."""
    response = choose(client, request, identity)
    assert response.status_code == 302, response.content
    location = response["Location"]
    assert location.startswith(REDIRECT_URI + "?")
    query = query_of(location)
    assert query["state"] == request.state
    return query["code"]


def basic_auth(client_id: str = DEFAULT_CLIENT_ID, secret: str | None = None) -> str:
    raw = f"{client_id}:{secret if secret is not None else default_client_secret()}"
    return "Basic " + base64.b64encode(raw.encode()).decode()


def exchange(
    client: Client,
    code: str,
    verifier: str,
    *,
    redirect_uri: str = REDIRECT_URI,
    authorization: str | None = None,
    **extra: Any,
) -> TestResponse:
    """The back channel: POST the code to the token endpoint with HTTP Basic client auth."""
    data = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": redirect_uri,
        "code_verifier": verifier,
        **extra,
    }
    headers = {"authorization": authorization or basic_auth()} if authorization != "" else {}
    return client.post(TOKEN, data, headers=headers)
