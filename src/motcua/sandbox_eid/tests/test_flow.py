"""The whole authorization code flow, as the platform's OIDC client will run it."""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.utils import timezone
from joserfc import jwt
from joserfc.jwk import KeySet

from motcua.sandbox_eid.clients import DEFAULT_CLIENT_ID, default_client_secret
from motcua.sandbox_eid.models import SandboxAccessToken, SandboxAuthorizationCode

from .helpers import (
    AUTHORIZE,
    ISSUER,
    JWKS,
    USERINFO,
    AuthorizationRequest,
    basic_auth,
    exchange,
    identity_named,
    query_of,
    sign_in,
)

pytestmark = pytest.mark.django_db


def verified_id_token(client: Client, id_token: str, request: AuthorizationRequest) -> jwt.Token:
    """Check the ID token as a relying party must (OpenID Connect Core §3.1.3.7)."""
    keys = KeySet.import_key_set(client.get(JWKS).json())
    token = jwt.decode(id_token, keys, algorithms=["RS256"])
    assert token.header["alg"] == "RS256"
    assert token.header["kid"] in {key.kid for key in keys}
    jwt.JWTClaimsRegistry(
        iss={"essential": True, "value": ISSUER},
        aud={"essential": True, "value": DEFAULT_CLIENT_ID},
        nonce={"essential": True, "value": request.nonce},
        sub={"essential": True},
        exp={"essential": True},
        iat={"essential": True},
        auth_time={"essential": True},
    ).validate(token.claims)
    return token


def test_full_code_flow_for_a_citizen(client: Client) -> None:
    request = AuthorizationRequest()
    citizen = identity_named("Nguyễn Văn An")

    page = client.get(AUTHORIZE, request.params)
    assert page.status_code == 200
    assert "MÔI TRƯỜNG THỬ NGHIỆM" in page.text
    assert "Nguyễn Văn An" in page.text
    assert "048085001234" in page.text
    assert "0401234566" in page.text  # businesses are offered too
    assert 'name="csrfmiddlewaretoken"' in page.text
    assert page["Cache-Control"].startswith("max-age=0")

    code = sign_in(client, request, citizen)
    response = exchange(client, code, request.verifier)
    assert response.status_code == 200, response.content
    assert response["Cache-Control"] == "no-store"
    tokens = response.json()
    assert tokens["token_type"] == "Bearer"
    assert tokens["expires_in"] == 600
    assert "refresh_token" not in tokens

    claims = verified_id_token(client, tokens["id_token"], request).claims
    assert claims["exp"] - claims["iat"] == 600
    assert claims["sub"] == citizen.sub
    assert claims["acr"] == claims["assurance_level"] == "2"
    assert claims["account_type"] == 1
    assert claims["personal_id"] == "048085001234"
    assert claims["name"] == "Nguyễn Văn An"
    assert claims["birthdate"] == "1985-03-12"
    assert claims["gender"] == "male"
    assert claims["permanent_address"] == {
        "province_code": 48,
        "ward_code": 20242,
        "street": "12 Bạch Đằng",
    }
    assert claims["current_address"]["ward_code"] == 20242
    assert claims["email"] == "nguyen.van.an@example.com"
    assert claims["phone_number"] == "+84900000001"
    assert "tax_code" not in claims

    info = client.get(USERINFO, headers={"authorization": f"Bearer {tokens['access_token']}"})
    assert info.status_code == 200
    userinfo = info.json()
    id_token_only = {"iss", "aud", "exp", "iat", "auth_time", "nonce", "at_hash"}
    assert userinfo == {k: v for k, v in claims.items() if k not in id_token_only}


def test_business_claims_and_client_secret_post(client: Client) -> None:
    request = AuthorizationRequest(extra={"scope": "openid"})
    business = identity_named("Công ty Cổ phần Phần mềm Sông Hàn")
    code = sign_in(client, request, business)
    response = exchange(
        client,
        code,
        request.verifier,
        authorization="",
        client_id=DEFAULT_CLIENT_ID,
        client_secret=default_client_secret(),
    )
    assert response.status_code == 200, response.content
    claims = verified_id_token(client, response.json()["id_token"], request).claims
    assert claims["account_type"] == 2
    assert claims["tax_code"] == "0401987658"
    assert claims["name"] == "Công ty Cổ phần Phần mềm Sông Hàn"
    assert claims["representative_name"] == "Trần Văn Hùng"
    assert claims["personal_id"] == "048075009012"
    assert "birthdate" not in claims
    assert "gender" not in claims


def test_level_1_identity_is_asserted_as_level_1_even_when_2_is_asked(client: Client) -> None:
    request = AuthorizationRequest(extra={"acr_values": "2"})
    page = client.get(AUTHORIZE, request.params)
    assert "Mức 1" in page.text  # level 1 identities stand out in the list
    code = sign_in(client, request, identity_named("Lê Hoàng Minh"))
    tokens = exchange(client, code, request.verifier).json()
    claims = verified_id_token(client, tokens["id_token"], request).claims
    assert claims["acr"] == "1"
    info = client.get(USERINFO, headers={"authorization": f"Bearer {tokens['access_token']}"})
    assert info.json()["assurance_level"] == "1"


def test_wrong_code_verifier_is_refused(client: Client) -> None:
    request = AuthorizationRequest()
    code = sign_in(client, request, identity_named("Phạm Thị Thu Hà"))
    response = exchange(client, code, AuthorizationRequest().verifier)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"
    assert not SandboxAccessToken.objects.exists()


def test_missing_code_verifier_is_refused(client: Client) -> None:
    request = AuthorizationRequest()
    code = sign_in(client, request, identity_named("Phạm Thị Thu Hà"))
    response = exchange(client, code, "")
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"


def test_a_code_works_once_and_its_reuse_revokes_the_token(client: Client) -> None:
    request = AuthorizationRequest()
    code = sign_in(client, request, identity_named("Võ Đức Thắng"))
    first = exchange(client, code, request.verifier)
    assert first.status_code == 200
    second = exchange(client, code, request.verifier)
    assert second.status_code == 400
    assert second.json()["error"] == "invalid_grant"
    access_token = first.json()["access_token"]
    info = client.get(USERINFO, headers={"authorization": f"Bearer {access_token}"})
    assert info.status_code == 401


def test_expired_code_is_refused(client: Client) -> None:
    request = AuthorizationRequest()
    code = sign_in(client, request, identity_named("Võ Đức Thắng"))
    SandboxAuthorizationCode.objects.filter(code=code).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    response = exchange(client, code, request.verifier)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"


def test_token_request_needs_the_same_redirect_uri(client: Client) -> None:
    request = AuthorizationRequest()
    code = sign_in(client, request, identity_named("Võ Đức Thắng"))
    other = "http://localhost:8000/accounts/eid/callback/"
    response = exchange(client, code, request.verifier, redirect_uri=other)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"


@pytest.mark.parametrize(
    "authorization",
    [
        basic_auth(secret="not-the-secret"),
        basic_auth(client_id="someone-else"),
        "Basic //79",  # not UTF-8
        "",
    ],
)
def test_token_request_needs_client_authentication(client: Client, authorization: str) -> None:
    request = AuthorizationRequest()
    code = sign_in(client, request, identity_named("Võ Đức Thắng"))
    response = exchange(client, code, request.verifier, authorization=authorization)
    assert response.status_code in (400, 401)
    assert response.json()["error"] == "invalid_client"
    assert exchange(client, code, request.verifier).status_code == 200  # code not burnt


def test_token_endpoint_needs_no_csrf_token_but_the_sign_in_form_does() -> None:
    browser = Client(enforce_csrf_checks=True)
    request = AuthorizationRequest()
    url = f"{AUTHORIZE}?{urlencode(request.params)}"
    identity = identity_named("Nguyễn Văn An")
    assert browser.post(url, {"identity": identity.sub}).status_code == 403
    page = browser.get(url)
    token = page.context["csrf_token"]
    response = browser.post(url, {"identity": identity.sub, "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    code = query_of(response["Location"])["code"]
    assert exchange(browser, code, request.verifier).status_code == 200


def test_cancel_returns_access_denied_with_the_state(client: Client) -> None:
    request = AuthorizationRequest()
    url = f"{AUTHORIZE}?{urlencode(request.params)}"
    response = client.post(url, {"action": "cancel"})
    assert response.status_code == 302
    query = query_of(response["Location"])
    assert response["Location"].startswith("http://testserver/accounts/eid/callback/?")
    assert query["error"] == "access_denied"
    assert query["state"] == request.state
    assert "code" not in query


def test_submitting_without_choosing_shows_the_page_again(client: Client) -> None:
    request = AuthorizationRequest()
    url = f"{AUTHORIZE}?{urlencode(request.params)}"
    response = client.post(url, {"action": "allow"})
    assert response.status_code == 400
    assert 'role="alert"' in response.text
    response = client.post(url, {"identity": "no-such-identity", "action": "allow"})
    assert response.status_code == 400
    assert not SandboxAuthorizationCode.objects.exists()


def test_userinfo_needs_a_valid_bearer_token(client: Client) -> None:
    assert client.get(USERINFO).status_code == 401
    response = client.get(USERINFO, headers={"authorization": "Bearer nonsense"})
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_token"
    assert "Bearer" in response["WWW-Authenticate"]


def test_expired_access_token_is_refused(client: Client) -> None:
    request = AuthorizationRequest()
    code = sign_in(client, request, identity_named("Nguyễn Văn An"))
    access_token = exchange(client, code, request.verifier).json()["access_token"]
    SandboxAccessToken.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    info = client.get(USERINFO, headers={"authorization": f"Bearer {access_token}"})
    assert info.status_code == 401


def test_a_nonce_cannot_be_replayed(client: Client) -> None:
    first = AuthorizationRequest()
    sign_in(client, first, identity_named("Nguyễn Văn An"))
    replay = AuthorizationRequest(nonce=first.nonce)
    response = client.get(AUTHORIZE, replay.params)
    assert response.status_code == 302
    assert query_of(response["Location"])["error"] == "invalid_request"
