"""/api/v1/me/ with an OAuth2 bearer token (mobile apps) and with a session."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone
from oauth2_provider.models import AccessToken, Application

from motcua.accounts.tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def bearer_token(user: object, *, expired: bool = False) -> str:
    app = Application.objects.create(
        name="Motcua mobile",
        client_type=Application.CLIENT_PUBLIC,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris="vn.motcua.app://callback",
    )
    expires = timezone.now() + datetime.timedelta(hours=-1 if expired else 1)
    token = AccessToken.objects.create(
        user=user, application=app, token=f"tok-{app.pk}-{expired}", expires=expires, scope="read"
    )
    return token.token


def test_me_with_bearer_token(client: Client) -> None:
    membership = MembershipFactory.create()
    token = bearer_token(membership.user)
    body = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert body["personal_id"] == membership.user.personal_id
    assert body["assurance_level"] == 2
    assert body["businesses"] == [
        {
            "tax_code": membership.business.tax_code,
            "name": membership.business.name,
            "role": "legal_representative",
            "granted_at": body["businesses"][0]["granted_at"],
        }
    ]


def test_expired_or_unknown_token_is_refused(client: Client) -> None:
    user = UserFactory.create()
    expired = bearer_token(user, expired=True)
    assert client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {expired}").status_code == 401
    assert client.get("/api/v1/me/", HTTP_AUTHORIZATION="Bearer nope").status_code == 401


def test_me_with_session(client: Client) -> None:
    user = UserFactory.create()
    client.force_login(user)
    assert client.get("/api/v1/me/").json()["full_name"] == user.full_name


def test_me_is_in_the_openapi_schema(client: Client) -> None:
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    assert "/api/v1/me/" in schema["paths"]
    assert any("oauth2" in name.lower() for name in schema["components"]["securitySchemes"])
