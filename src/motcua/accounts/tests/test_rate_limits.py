"""Rate limits from the outside: 429 with Retry-After, per address and per target, shared."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
import redis
from django.core.cache import cache
from django.test import Client
from oauth2_provider.models import Application

from motcua.accounts.tests.factories import UserFactory
from motcua.dossiers.tests.factories import World, file_dossier, make_world
from motcua.tests.redis_cache import real_redis_cache

pytestmark = pytest.mark.django_db

REDIS_URL = os.environ.get("MOTCUA_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture(autouse=True)
def limits(settings: Any) -> Iterator[None]:
    settings.RATELIMIT_ENABLE = True
    settings.MOTCUA_RATE_LIMITS = {
        "lookup": {"address": "6/10m", "target": "3/10m"},
        "sign_in": {"address": "6/10m", "target": "3/10m"},
        "second_factor": {"address": "6/10m", "target": "3/10m"},
        "token": {"address": "6/10m", "target": "3/10m"},
    }
    cache.clear()
    yield
    cache.clear()


def from_address(address: str) -> Client:
    return Client(REMOTE_ADDR=address)


def assert_limited(response: Any) -> None:
    assert response.status_code == 429, response
    assert 1 <= int(response["Retry-After"]) <= 600


@pytest.fixture
def world(db: None) -> World:
    return make_world()


def test_the_lookup_page_and_api_share_a_limit_per_dossier_code(world: World) -> None:
    """The finding: the look-up by code and receipt code could be guessed without end."""
    dossier = file_dossier(world)
    wrong = {"code": dossier.code, "secret": "000000"}
    answers = [
        from_address("203.0.113.1").get("/tra-cuu-ho-so/", wrong).status_code,
        from_address("203.0.113.2").get("/api/v1/dossiers/lookup/", wrong).status_code,
        from_address("203.0.113.3").get("/tra-cuu-ho-so/", wrong).status_code,
    ]
    assert 429 not in answers
    # A fourth try at the same code, from yet another address, page or API: refused.
    assert_limited(from_address("203.0.113.4").get("/tra-cuu-ho-so/", wrong))
    api = from_address("203.0.113.5").get("/api/v1/dossiers/lookup/", wrong)
    assert_limited(api)
    assert "detail" in api.json()
    # Another dossier's code is still answered; the empty form is not counted.
    assert (
        from_address("203.0.113.6").get("/tra-cuu-ho-so/", {"code": "H17.02-X"}).status_code != 429
    )
    assert from_address("203.0.113.4").get("/tra-cuu-ho-so/").status_code == 200


def test_the_lookup_limit_per_address(world: World) -> None:
    client = from_address("198.51.100.7")
    codes = [f"H17.02-260101-{n:04d}" for n in range(6)]
    assert all(client.get("/tra-cuu-ho-so/", {"code": c}).status_code != 429 for c in codes)
    assert_limited(client.get("/tra-cuu-ho-so/", {"code": "H17.02-260101-0099"}))
    assert from_address("198.51.100.8").get("/tra-cuu-ho-so/", {"code": "X"}).status_code != 429


def test_sign_in_is_limited_per_username_and_per_address() -> None:
    UserFactory.create(username="canbo")
    for n in range(3):
        response = from_address(f"192.0.2.{n}").post(
            "/accounts/login/", {"username": "canbo", "password": "wrong-one"}
        )
        assert response.status_code != 429
    # The username is spread over addresses: the fourth try is refused, even with the password.
    refused = from_address("192.0.2.9").post(
        "/accounts/login/", {"username": "CanBo", "password": "a-long-passphrase-1"}
    )
    assert_limited(refused)
    assert "_auth_user_id" not in refused.wsgi_request.session
    admin = from_address("192.0.2.10").post("/admin/login/", {"username": "canbo", "password": "x"})
    assert_limited(admin)

    one = from_address("192.0.2.50")
    for n in range(6):
        assert (
            one.post("/accounts/login/", {"username": f"u{n}", "password": "x"}).status_code != 429
        )
    assert_limited(one.post("/accounts/login/", {"username": "u99", "password": "x"}))
    assert one.get("/accounts/login/").status_code == 200  # showing the form is not counted


def test_second_factor_codes_are_limited_per_account() -> None:
    user = UserFactory.create()
    answers = []
    for n in range(4):
        client = from_address(f"192.0.2.{60 + n}")
        client.force_login(user)
        answers.append(client.post("/accounts/second-factor/", {"token": "123456"}))
    assert all(response.status_code != 429 for response in answers[:3])
    assert_limited(answers[3])


def test_the_token_endpoint_is_limited_per_client() -> None:
    app = Application.objects.create(
        name="app",
        client_type=Application.CLIENT_PUBLIC,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris="https://app.example.vn/callback",
    )
    body = {"grant_type": "authorization_code", "code": "guess", "client_id": app.client_id}
    for n in range(3):
        assert from_address(f"192.0.2.{80 + n}").post("/o/token/", body).status_code == 400
    refused = from_address("192.0.2.90").post("/o/token/", body)
    assert_limited(refused)
    assert "detail" in refused.json()


def test_limits_are_off_when_disabled(settings: Any, world: World) -> None:
    settings.RATELIMIT_ENABLE = False
    client = from_address("198.51.100.99")
    for _ in range(10):
        assert client.get("/tra-cuu-ho-so/", {"code": "H17.02-X"}).status_code != 429


@pytest.fixture
def redis_cache(settings: Any) -> Iterator[str]:
    with real_redis_cache(settings, "rl", REDIS_URL) as prefix:
        yield prefix


def test_counts_live_in_redis_and_are_shared_between_workers(
    redis_cache: str, world: World
) -> None:
    from django.core.cache import caches

    code = {"code": "H17.02-260101-0001", "secret": "000000"}
    for n in range(3):
        assert from_address(f"203.0.113.{20 + n}").get("/tra-cuu-ho-so/", code).status_code != 429
    server = redis.Redis.from_url(REDIS_URL, socket_timeout=5)
    assert list(server.scan_iter(match=f"{redis_cache}:*motcua-rl:*"))
    # Another worker: a new cache connection to the same Redis sees the same counts.
    caches["default"].close()
    del caches["default"]
    assert_limited(from_address("203.0.113.30").get("/tra-cuu-ho-so/", code))
