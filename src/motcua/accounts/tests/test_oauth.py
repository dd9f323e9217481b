"""The OAuth2 server at ``/o/`` from the outside: who registers apps, which grants exist, scopes."""

from __future__ import annotations

import base64
import hashlib
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from oauth2_provider.models import AccessToken, Application

from motcua.accounts.models import AgencyMembership, User
from motcua.accounts.tests.factories import UserFactory, sign_in_with_second_factor
from motcua.agencies.tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-passphrase-1"
REDIRECT = "https://app.example.vn/callback"
VERIFIER = "a-code-verifier-that-is-long-enough-for-pkce-0123456789"
SECRET = "a-client-secret-of-the-system"


def app(
    *,
    client_type: str = Application.CLIENT_PUBLIC,
    grant: str = Application.GRANT_AUTHORIZATION_CODE,
    user: User | None = None,
) -> Application:
    return Application.objects.create(
        name="app",
        client_type=client_type,
        authorization_grant_type=grant,
        redirect_uris=REDIRECT,
        client_secret=SECRET,
        user=user,
    )


def basic(application: Application) -> dict[str, Any]:
    pair = f"{application.client_id}:{SECRET}".encode()
    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(pair).decode()}


def challenge(verifier: str = VERIFIER) -> str:
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def authorize(client: Client, application: Application, scope: str, **extra: str) -> Any:
    """The person allows the app on the consent page; returns the redirect's query."""
    params = {
        "response_type": "code",
        "client_id": application.client_id,
        "redirect_uri": REDIRECT,
        "scope": scope,
        "state": "s-1",
        "code_challenge": challenge(),
        "code_challenge_method": "S256",
        **extra,
    }
    client.get("/o/authorize/", params)
    response = client.post("/o/authorize/", {**params, "allow": "Authorize"})
    assert response.status_code == 302, response
    return parse_qs(urlsplit(response["Location"]).query)


def exchange(application: Application, code: str, verifier: str = VERIFIER) -> Any:
    return Client().post(
        "/o/token/",
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": REDIRECT,
            "client_id": application.client_id,
            "code_verifier": verifier,
        },
    )


def test_signed_in_people_cannot_register_applications(client: Client) -> None:
    client.force_login(UserFactory.create())
    for url in ("/o/applications/", "/o/applications/register/"):
        assert client.get(url).status_code == 404, url
    response = client.post(
        "/o/applications/register/",
        {
            "name": "x",
            "client_type": "confidential",
            "authorization_grant_type": "password",
            "redirect_uris": REDIRECT,
        },
    )
    assert response.status_code == 404
    assert not Application.objects.exists()


def test_the_password_grant_is_off_even_for_an_application_that_claims_it() -> None:
    """The finding: an officer's password turned into a bearer token with grant_type=password."""
    officer = UserFactory.create(username="canbo")
    registered = app(
        client_type=Application.CLIENT_CONFIDENTIAL, grant=Application.GRANT_PASSWORD, user=officer
    )
    response = Client().post(
        "/o/token/",
        {"grant_type": "password", "username": "canbo", "password": PASSWORD},
        **basic(registered),
    )
    assert response.status_code == 400
    assert response.json()["error"] == "unsupported_grant_type"
    assert not AccessToken.objects.exists()


def test_the_implicit_grant_is_off(client: Client) -> None:
    client.force_login(UserFactory.create())
    registered = app(grant=Application.GRANT_IMPLICIT)
    params = {
        "response_type": "token",
        "client_id": registered.client_id,
        "redirect_uri": REDIRECT,
        "scope": "read",
    }
    page = client.get("/o/authorize/", params)
    allowed = client.post("/o/authorize/", {**params, "allow": "Authorize"})
    for response in (page, allowed):
        assert "access_token" not in response.get("Location", "")
    assert not AccessToken.objects.exists()


def test_a_public_client_gets_the_code_flow_with_pkce_only(client: Client) -> None:
    person = UserFactory.create()
    client.force_login(person)
    registered = app()
    no_pkce = authorize(client, registered, "read", code_challenge="", code_challenge_method="")
    assert no_pkce.get("error") == ["invalid_request"] and "code" not in no_pkce

    query = authorize(client, registered, "read write")
    assert query["state"] == ["s-1"]
    wrong = exchange(registered, query["code"][0], verifier="another-verifier-" + "x" * 40)
    assert wrong.status_code == 400
    query = authorize(client, registered, "read write")
    issued = exchange(registered, query["code"][0])
    assert issued.status_code == 200, issued.content
    token = issued.json()
    assert token["scope"] == "read write"
    me = Client().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {token['access_token']}")
    assert me.status_code == 200 and me.json()["personal_id"] == person.personal_id

    # A public client may not use client credentials, even if its row says so.
    claims = app(grant=Application.GRANT_CLIENT_CREDENTIALS)
    refused = Client().post(
        "/o/token/", {"grant_type": "client_credentials", "client_id": claims.client_id}
    )
    assert refused.status_code in (400, 401)
    assert not AccessToken.objects.filter(application=claims).exists()


def test_client_credentials_only_for_a_system_an_administrator_registered() -> None:
    system = app(
        client_type=Application.CLIENT_CONFIDENTIAL, grant=Application.GRANT_CLIENT_CREDENTIALS
    )
    issued = Client().post("/o/token/", {"grant_type": "client_credentials"}, **basic(system))
    assert issued.status_code == 200, issued.content
    token = issued.json()["access_token"]
    # It speaks for no person: nobody's account or dossiers.
    assert Client().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {token}").status_code in (
        401,
        403,
    )
    # Never officer powers.
    officer = Client().post(
        "/o/token/", {"grant_type": "client_credentials", "scope": "read officer"}, **basic(system)
    )
    assert officer.status_code == 400 and officer.json()["error"] == "invalid_scope"

    # One a person registered (the old self-service page set its owner): refused.
    owned = app(
        client_type=Application.CLIENT_CONFIDENTIAL,
        grant=Application.GRANT_CLIENT_CREDENTIALS,
        user=UserFactory.create(),
    )
    refused = Client().post("/o/token/", {"grant_type": "client_credentials"}, **basic(owned))
    assert refused.status_code in (400, 401)
    assert not AccessToken.objects.filter(application=owned).exists()


def officer() -> User:
    user = UserFactory.create(username="canbo")
    AgencyMembership.objects.create(user=user, agency=AgencyFactory.create(), role="receiver")
    return user


def test_the_officer_scope_needs_a_session_that_passed_the_second_factor() -> None:
    user = officer()
    registered = app()
    password_only = Client()
    password_only.force_login(user)
    # Asked for by the app: the person is sent to the second factor first.
    params = {
        "response_type": "code",
        "client_id": registered.client_id,
        "redirect_uri": REDIRECT,
        "scope": "read officer",
        "code_challenge": challenge(),
        "code_challenge_method": "S256",
    }
    page = password_only.get("/o/authorize/", params)
    assert page.status_code == 302 and page["Location"].startswith("/accounts/second-factor/")
    # Forced through the consent form anyway: refused.
    refused = password_only.post("/o/authorize/", {**params, "allow": "Authorize"})
    assert parse_qs(urlsplit(refused["Location"]).query).get("error") == ["invalid_scope"]

    verified = Client()
    sign_in_with_second_factor(verified, user)
    query = authorize(verified, registered, "read officer")
    issued = exchange(registered, query["code"][0])
    assert issued.status_code == 200 and issued.json()["scope"] == "read officer"
    # Refreshing keeps the scopes, and cannot add officer to a token that lacked it.
    plain = exchange(registered, authorize(verified, registered, "read")["code"][0]).json()
    widened = Client().post(
        "/o/token/",
        {
            "grant_type": "refresh_token",
            "refresh_token": plain["refresh_token"],
            "client_id": registered.client_id,
            "scope": "read officer",
        },
    )
    assert widened.status_code == 400 and widened.json()["error"] == "invalid_scope"


@pytest.mark.parametrize(
    ("client_type", "grant", "owner", "valid"),
    [
        ("public", "authorization-code", False, True),
        ("confidential", "authorization-code", True, True),
        ("confidential", "client-credentials", False, True),
        ("confidential", "client-credentials", True, False),
        ("public", "client-credentials", False, False),
        ("confidential", "password", False, False),
        ("public", "implicit", False, False),
    ],
)
def test_the_admin_registers_only_what_the_server_offers(
    client_type: str, grant: str, owner: bool, valid: bool
) -> None:
    from django.forms import modelform_factory

    from motcua.accounts.admin import ApplicationForm

    form_class = modelform_factory(Application, form=ApplicationForm, fields="__all__")
    form = form_class(
        data={
            "client_id": "client-1",
            "client_secret": SECRET,
            "name": "Hệ thống liên thông",
            "client_type": client_type,
            "authorization_grant_type": grant,
            "redirect_uris": REDIRECT if grant == "authorization-code" else "",
            "post_logout_redirect_uris": "",
            "allowed_origins": "",
            "algorithm": "",
            "user": UserFactory.create().pk if owner else "",
            "skip_authorization": "",
            "registration_source": "manual",
        }
    )
    assert form.is_valid() is valid, form.errors
