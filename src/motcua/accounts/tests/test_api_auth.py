"""Bearer tokens answered from the cache: fewer queries, and revocation still takes effect."""

from __future__ import annotations

import datetime
import time
from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from oauth2_provider.models import AccessToken, Application

from motcua.accounts.models import User
from motcua.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def issue(user: User, *, seconds: float = 3600) -> AccessToken:
    app = Application.objects.create(
        name="Motcua mobile",
        client_type=Application.CLIENT_PUBLIC,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris="vn.motcua.app://callback",
    )
    return AccessToken.objects.create(
        user=user,
        application=app,
        token=f"cache-{app.pk}",
        scope="read",
        expires=timezone.now() + datetime.timedelta(seconds=seconds),
    )


def me(client: Client, token: AccessToken) -> tuple[int, list[str]]:
    """Status of ``/api/v1/me/`` and the SQL it ran."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {token.token}")
    return response.status_code, [query["sql"] for query in queries.captured_queries]


def token_lookups(sql: list[str]) -> int:
    return sum('FROM "oauth2_provider_accesstoken"' in statement for statement in sql)


def test_a_checked_token_is_not_looked_up_again(client: Client) -> None:
    token = issue(UserFactory.create())
    first, first_sql = me(client, token)
    second, second_sql = me(client, token)
    assert first == second == 200
    assert token_lookups(first_sql) == 1
    assert token_lookups(second_sql) == 0


def test_the_person_is_read_fresh_on_every_request(client: Client) -> None:
    user = UserFactory.create(full_name="Nguyễn Văn An")
    token = issue(user)
    auth = f"Bearer {token.token}"
    assert client.get("/api/v1/me/", HTTP_AUTHORIZATION=auth).json()["full_name"] == "Nguyễn Văn An"
    User.objects.filter(pk=user.pk).update(full_name="Trần Thị Bình")  # no signal either
    assert client.get("/api/v1/me/", HTTP_AUTHORIZATION=auth).json()["full_name"] == "Trần Thị Bình"


def test_a_revoked_token_is_refused_at_once(client: Client) -> None:
    token = issue(UserFactory.create())
    assert me(client, token)[0] == 200
    token.revoke()  # what the revocation endpoint and a refresh do
    assert me(client, token)[0] == 401


def test_a_token_removed_behind_djangos_back_stops_within_the_cache_lifetime(
    client: Client, settings: pytest.FixtureRequest
) -> None:
    settings.MOTCUA_BEARER_TOKEN_CACHE_SECONDS = 2  # type: ignore[attr-defined]
    client.get("/api/v1/me/")  # a cold first request can take a while on a busy machine
    token = issue(UserFactory.create())
    assert me(client, token)[0] == 200
    with connection.cursor() as cursor:  # no ORM signal: as from another server
        cursor.execute("DELETE FROM oauth2_provider_accesstoken WHERE id = %s", [token.pk])
    assert me(client, token)[0] == 200  # still trusted, for at most the cache lifetime
    time.sleep(2.1)
    assert me(client, token)[0] == 401


def test_a_token_expiring_while_cached_is_refused(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = issue(UserFactory.create(), seconds=60)
    assert me(client, token)[0] == 200
    later = timezone.now() + datetime.timedelta(minutes=2)
    monkeypatch.setattr(timezone, "now", lambda: later)  # the cache entry itself is still there
    assert me(client, token)[0] == 401


def test_a_reissued_token_string_belongs_to_its_new_owner(client: Client) -> None:
    first = issue(UserFactory.create(full_name="Nguyễn Văn An"))
    assert me(client, first)[0] == 200
    first.delete()
    second_owner = UserFactory.create(full_name="Trần Thị Bình")
    second = issue(second_owner)
    second.token = first.token
    second.save()
    response = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {first.token}")
    assert response.json()["full_name"] == "Trần Thị Bình"


def test_unknown_tokens_and_other_schemes_are_refused(client: Client) -> None:
    for header in ("Bearer nope", "Bearer nope", "Basic Zm9vOmJhcg==", "Bearer "):
        assert client.get("/api/v1/me/", HTTP_AUTHORIZATION=header).status_code == 401


def test_with_the_cache_off_every_request_checks_the_database(
    client: Client, settings: pytest.FixtureRequest
) -> None:
    settings.MOTCUA_BEARER_TOKEN_CACHE_SECONDS = 0  # type: ignore[attr-defined]
    token = issue(UserFactory.create())
    assert token_lookups(me(client, token)[1]) == 1
    assert token_lookups(me(client, token)[1]) == 1


def person_reads(sql: list[str]) -> int:
    return sum('FROM "accounts_user"' in statement for statement in sql)


def test_a_cached_request_reads_the_person_only_when_the_view_needs_more(
    client: Client,
) -> None:
    user = UserFactory.create(full_name="Nguyễn Văn An", email="an@example.vn")
    token = issue(user)
    me(client, token)
    status, sql = me(client, token)  # /me/ shows the name and e-mail: the row, read once
    assert status == 200 and person_reads(sql) == 1

    from motcua.accounts.api_auth import USER_FACTS

    built = User.from_db("default", list(USER_FACTS), [user.pk, True, user.assurance_level])
    with CaptureQueriesContext(connection) as queries:
        assert (built.full_name, built.email, built.phone) == ("Nguyễn Văn An", "an@example.vn", "")
    assert len(queries) == 1  # every other field came with the first one


def test_a_person_saved_through_the_orm_is_read_again_at_once(client: Client) -> None:
    from motcua.accounts.api_auth import cache_key

    user = UserFactory.create(assurance_level=1)
    token = issue(user)
    me(client, token)
    assert cache.get(cache_key(token.token))["user"][2] == 1

    user.assurance_level = 2
    user.save()  # e.g. level 2 confirmed by the national e-ID

    assert cache.get(cache_key(token.token)) is None
    me(client, token)
    assert cache.get(cache_key(token.token))["user"][2] == 2


def test_signing_in_on_the_web_keeps_the_tokens_cached(client: Client) -> None:
    from django.contrib.auth.models import update_last_login

    from motcua.accounts.api_auth import cache_key

    user = UserFactory.create()
    token = issue(user)
    me(client, token)
    update_last_login(User, user)
    assert cache.get(cache_key(token.token)) is not None
