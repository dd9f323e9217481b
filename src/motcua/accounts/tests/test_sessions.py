"""Idle sessions end after SESSION_COOKIE_AGE; one in use is renewed at most once a minute."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from motcua.accounts import sessions
from motcua.accounts.models import User

pytestmark = pytest.mark.django_db

PAGE = "/ho-so/"  # a signed-in page


def session_writes(client: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(PAGE).status_code == 200
    return sum(
        1
        for query in queries.captured_queries
        if "django_session" in query["sql"]
        and query["sql"].lstrip().upper().startswith(("UPDATE", "INSERT"))
    )


@pytest.fixture
def citizen_client(client: Client) -> Client:
    client.force_login(User.objects.create_user("citizen", password="a-long-passphrase-1"))
    return client


def stored_expiry(client: Client) -> datetime.datetime:
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_pages_read_in_the_same_minute_do_not_write_the_session(citizen_client: Client) -> None:
    session_writes(citizen_client)  # the first renewal after signing in
    assert session_writes(citizen_client) == 0
    assert session_writes(citizen_client) == 0


def test_a_session_in_use_is_renewed_after_a_minute(
    citizen_client: Client, monkeypatch: Any
) -> None:
    session_writes(citizen_client)
    before = stored_expiry(citizen_client)
    later = sessions.time.time() + sessions.RENEW_AFTER_SECONDS + 5
    monkeypatch.setattr(sessions.time, "time", lambda: later)
    assert session_writes(citizen_client) == 1
    assert stored_expiry(citizen_client) > before


def test_an_idle_session_ends(citizen_client: Client, settings: Any) -> None:
    session_writes(citizen_client)
    Session.objects.filter(session_key=citizen_client.session.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    response = citizen_client.get(PAGE)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_an_anonymous_page_makes_no_session(client: Client) -> None:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/thu-tuc/").status_code == 200
    assert not any("django_session" in query["sql"] for query in queries.captured_queries)
    assert "sessionid" not in client.cookies
