"""Bad authorization requests: a 400 page when the redirect URI is not trusted, never a 500."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.test import Client

from motcua.sandbox_eid.models import SandboxAuthorizationCode

from .helpers import (
    AUTHORIZE,
    DISCOVERY,
    JWKS,
    REDIRECT_URI,
    TOKEN,
    USERINFO,
    AuthorizationRequest,
    query_of,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("extra", "omit"),
    [
        ({"client_id": "unknown-service"}, ()),
        ({}, ("client_id",)),
        ({}, ("redirect_uri",)),
        ({"redirect_uri": "https://evil.example/accounts/eid/callback/"}, ()),
        ({"redirect_uri": "http://localhost:8000/somewhere-else/"}, ()),
        ({"redirect_uri": "http://localhost:8000/accounts/eid/callback/?next=/x"}, ()),
        ({"redirect_uri": "http://user@localhost/accounts/eid/callback/"}, ()),
        ({"redirect_uri": 'http://localhost/accounts/eid/callback/"\\'}, ()),
        ({"redirect_uri": "http://local\nhost/accounts/eid/callback/"}, ()),
        ({"redirect_uri": "http://localhost:99999/accounts/eid/callback/"}, ()),
        ({"redirect_uri": "javascript:alert(1)//testserver/accounts/eid/callback/"}, ()),
    ],
)
def test_untrusted_client_or_redirect_gets_a_page_not_a_redirect(
    client: Client, extra: dict[str, str], omit: tuple[str, ...]
) -> None:
    request = AuthorizationRequest(extra=extra, omit=omit)
    response = client.get(AUTHORIZE, request.params)
    assert response.status_code == 400
    assert "Location" not in response
    assert "MÔI TRƯỜNG THỬ NGHIỆM" in response.text
    assert '<html lang="vi">' in response.text
    # A POST (the identity form) is refused the same way: no code, no redirect.
    posted = client.post(f"{AUTHORIZE}?{urlencode(request.params)}", {"identity": "x"})
    assert posted.status_code == 400
    assert not SandboxAuthorizationCode.objects.exists()


def test_error_page_is_translated(client: Client) -> None:
    request = AuthorizationRequest(extra={"client_id": "unknown-service"})
    vietnamese = client.get(AUTHORIZE, request.params)
    assert "không được chấp nhận" in vietnamese.text
    assert "invalid_client" in vietnamese.text
    client.cookies["django_language"] = "en"
    english = client.get(AUTHORIZE, request.params)
    assert "is not registered here" in english.text


def test_duplicated_parameters_get_a_page(client: Client) -> None:
    query = urlencode(AuthorizationRequest().params) + "&client_id=motcua-platform"
    response = client.get(f"{AUTHORIZE}?{query}")
    assert response.status_code == 400
    assert "Location" not in response


@pytest.mark.parametrize(
    ("extra", "omit", "error"),
    [
        ({}, ("code_challenge",), "invalid_request"),
        ({}, ("code_challenge", "code_challenge_method"), "invalid_request"),
        ({}, ("code_challenge_method",), "invalid_request"),
        ({"code_challenge_method": "plain"}, (), "invalid_request"),
        ({"code_challenge": "too-short"}, (), "invalid_request"),
        ({"scope": "profile email"}, (), "invalid_scope"),
        ({"scope": "openid admin"}, (), "invalid_scope"),
        ({"response_type": "token"}, (), "unsupported_response_type"),
        ({"prompt": "none"}, (), "login_required"),
    ],
)
def test_invalid_requests_with_a_trusted_redirect_go_back_with_an_error(
    client: Client, extra: dict[str, str], omit: tuple[str, ...], error: str
) -> None:
    request = AuthorizationRequest(extra=extra, omit=omit)
    response = client.get(AUTHORIZE, request.params)
    assert response.status_code == 302
    assert response["Location"].startswith(REDIRECT_URI + "?")
    query = query_of(response["Location"])
    assert query["error"] == error
    assert query["state"] == request.state
    assert "code" not in query
    # Nor can the form be submitted to get a code anyway.
    posted = client.post(f"{AUTHORIZE}?{urlencode(request.params)}", {"action": "allow"})
    assert "code" not in query_of(posted["Location"])
    assert not SandboxAuthorizationCode.objects.exists()


def test_token_endpoint_errors_are_json(client: Client) -> None:
    response = client.post(TOKEN, {"grant_type": "password", "username": "x", "password": "y"})
    assert response.status_code == 400
    assert response.json()["error"] == "unsupported_grant_type"
    assert client.get(TOKEN).status_code == 405


@pytest.mark.parametrize("path", [DISCOVERY, JWKS, AUTHORIZE, TOKEN, USERINFO])
def test_everything_is_404_when_the_sandbox_is_off(
    client: Client, settings: pytest.FixtureRequest, path: str
) -> None:
    settings.MOTCUA_SANDBOX_ENABLED = False  # type: ignore[attr-defined]
    assert client.get(path, AuthorizationRequest().params).status_code == 404
    assert client.post(path).status_code == 404


def test_missing_setting_means_off(client: Client, settings: pytest.FixtureRequest) -> None:
    del settings.MOTCUA_SANDBOX_ENABLED  # type: ignore[attr-defined]
    assert client.get(DISCOVERY).status_code == 404


def test_plain_http_on_a_real_host_is_refused(
    client: Client, settings: pytest.FixtureRequest
) -> None:
    """Authlib's rule (RFC 8252 §7.3): http only on loopback; a demo deployment needs https."""
    settings.ALLOWED_HOSTS = ["*"]  # type: ignore[attr-defined]
    request = AuthorizationRequest()
    host = {"host": "demo.example.org"}
    page = client.get(AUTHORIZE, request.params, headers=host)
    assert page.status_code == 400
    assert "insecure_transport" in page.text
    assert "Location" not in page
    token = client.post(TOKEN, {"grant_type": "authorization_code"}, headers=host)
    assert token.status_code == 400
    assert token.json()["error"] == "insecure_transport"
    assert client.get(AUTHORIZE, request.params, headers=host, secure=True).status_code == 200


def test_loopback_hosts_may_use_plain_http(client: Client) -> None:
    request = AuthorizationRequest()
    for host in ("127.0.0.1:8000", "localhost:8000"):
        assert client.get(AUTHORIZE, request.params, headers={"host": host}).status_code == 200
