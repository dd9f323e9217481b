"""Client registration: the default client, its secret, its redirect URIs, the override."""

from __future__ import annotations

import hashlib
import hmac

import pytest
from django.core.exceptions import ImproperlyConfigured

from motcua.sandbox_eid.clients import (
    DEFAULT_CLIENT_ID,
    default_client_secret,
    find_client,
    is_local_callback_uri,
    sandbox_clients,
)


@pytest.mark.parametrize(
    "uri",
    [
        "http://127.0.0.1/accounts/eid/callback/",
        "http://127.0.0.1:8000/accounts/eid/callback/",
        "http://localhost:54321/accounts/eid/callback/",
        "https://localhost/accounts/eid/callback/",
        "http://testserver/accounts/eid/callback/",
    ],
)
def test_local_callbacks_are_accepted(uri: str) -> None:
    assert is_local_callback_uri(uri)


@pytest.mark.parametrize(
    "uri",
    [
        "",
        "http://example.com/accounts/eid/callback/",
        "http://localhost.example.com/accounts/eid/callback/",
        "http://127.0.0.2/accounts/eid/callback/",
        "http://localhost/accounts/eid/callback",
        "http://localhost/accounts/eid/callback/extra",
        "http://localhost/accounts/eid/callback/?x=1",
        "http://localhost/accounts/eid/callback/#x",
        "http://a@localhost/accounts/eid/callback/",
        "http://localhost@evil.example/accounts/eid/callback/",
        "http://LOCALHOST/accounts/eid/callback/",
        "ftp://localhost/accounts/eid/callback/",
        "http://localhost:0x50/accounts/eid/callback/",
        "http://localhost:99999/accounts/eid/callback/",
        "http://local\thost/accounts/eid/callback/",
        "//localhost/accounts/eid/callback/",
    ],
)
def test_other_redirect_uris_are_refused(uri: str) -> None:
    assert not is_local_callback_uri(uri)


def test_default_client_secret_is_derived_from_the_secret_key(
    settings: pytest.FixtureRequest,
) -> None:
    settings.SECRET_KEY = "some-secret"  # type: ignore[attr-defined]
    expected = hmac.new(b"some-secret", b"sandbox-eid-client", hashlib.sha256).hexdigest()
    assert default_client_secret() == expected
    (client,) = sandbox_clients()
    assert client.client_id == DEFAULT_CLIENT_ID
    assert client.check_client_secret(expected)
    assert not client.check_client_secret(expected[:-1])


def test_clients_can_be_configured(settings: pytest.FixtureRequest) -> None:
    settings.MOTCUA_SANDBOX_EID_CLIENTS = [  # type: ignore[attr-defined]
        {
            "client_id": "demo-portal",
            "client_secret": "s3cret",
            "redirect_uris": ["https://demo.example/accounts/eid/callback/"],
        },
        {"client_id": "local-tool", "client_secret": "other"},
    ]
    assert find_client(DEFAULT_CLIENT_ID) is None
    demo = find_client("demo-portal")
    assert demo is not None
    assert demo.check_redirect_uri("https://demo.example/accounts/eid/callback/")
    assert not demo.check_redirect_uri("http://localhost/accounts/eid/callback/")
    local = find_client("local-tool")
    assert local is not None
    assert local.check_redirect_uri("http://localhost/accounts/eid/callback/")


def test_a_client_without_a_secret_is_a_configuration_error(
    settings: pytest.FixtureRequest,
) -> None:
    settings.MOTCUA_SANDBOX_EID_CLIENTS = [{"client_id": "x"}]  # type: ignore[attr-defined]
    with pytest.raises(ImproperlyConfigured):
        sandbox_clients()
