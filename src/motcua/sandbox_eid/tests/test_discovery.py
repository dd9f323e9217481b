"""Discovery document and signing keys."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from joserfc.jwk import RSAKey

from motcua.sandbox_eid import services
from motcua.sandbox_eid.models import SandboxSigningKey

from .helpers import DISCOVERY, ISSUER, JWKS

pytestmark = pytest.mark.django_db


def test_discovery_document(client: Client) -> None:
    response = client.get(DISCOVERY)
    assert response.status_code == 200
    doc = response.json()
    assert doc["issuer"] == ISSUER
    assert doc["authorization_endpoint"] == f"{ISSUER}/authorize"
    assert doc["token_endpoint"] == f"{ISSUER}/token"
    assert doc["userinfo_endpoint"] == f"{ISSUER}/userinfo"
    assert doc["jwks_uri"] == f"{ISSUER}/jwks"
    assert doc["response_types_supported"] == ["code"]
    assert doc["grant_types_supported"] == ["authorization_code"]
    assert doc["subject_types_supported"] == ["public"]
    assert doc["id_token_signing_alg_values_supported"] == ["RS256"]
    assert doc["code_challenge_methods_supported"] == ["S256"]
    assert doc["scopes_supported"] == ["openid", "profile", "email", "phone", "address"]
    assert doc["token_endpoint_auth_methods_supported"] == [
        "client_secret_basic",
        "client_secret_post",
    ]
    assert doc["acr_values_supported"] == ["1", "2"]
    for claim in (
        "sub",
        "account_type",
        "personal_id",
        "tax_code",
        "name",
        "representative_name",
        "birthdate",
        "gender",
        "permanent_address",
        "current_address",
        "email",
        "phone_number",
        "acr",
        "assurance_level",
    ):
        assert claim in doc["claims_supported"]


def test_issuer_follows_the_host_and_scheme(client: Client) -> None:
    doc = client.get(DISCOVERY, headers={"host": "127.0.0.1:8000"}, secure=True).json()
    assert doc["issuer"] == "https://127.0.0.1:8000/sandbox/eid"


def test_jwks_publishes_one_public_rs256_key_that_persists(client: Client) -> None:
    keys = client.get(JWKS).json()["keys"]
    assert len(keys) == 1
    key = keys[0]
    assert key["kty"] == "RSA"
    assert key["alg"] == "RS256"
    assert key["use"] == "sig"
    assert key["kid"]
    assert not {"d", "p", "q", "dp", "dq", "qi"} & set(key)
    stored = SandboxSigningKey.objects.get()
    assert stored.kid == key["kid"]
    assert "PRIVATE KEY" in stored.private_pem

    services._loaded_keys.clear()  # as after a restart, or in another worker
    assert client.get(JWKS).json()["keys"] == keys
    assert SandboxSigningKey.objects.count() == 1


def test_the_newest_key_signs_and_older_ones_stay_published(client: Client) -> None:
    first = services.current_signing_key()
    older = first.created_at - datetime.timedelta(days=30)
    SandboxSigningKey.objects.filter(pk=first.pk).update(created_at=older)
    key = RSAKey.generate_key(2048, parameters={"use": "sig", "alg": "RS256"}, auto_kid=True)
    SandboxSigningKey.objects.create(
        kid=str(key.kid), private_pem=key.as_pem(private=True).decode()
    )

    assert services.current_signing_key().kid == key.kid
    kids = [published["kid"] for published in client.get(JWKS).json()["keys"]]
    assert kids == [key.kid, first.kid]
