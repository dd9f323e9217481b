"""Fixtures of the national portal's tests: the sandbox switched on, background tasks held
(the tests drive the worker's function themselves), the sandbox portal over real HTTP."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from pytest_django.fixtures import Settings as SettingsWrapper
from pytest_django.live_server_helper import LiveServer


@pytest.fixture(autouse=True)
def _sandbox_client(settings: SettingsWrapper) -> None:
    settings.MOTCUA_SANDBOX_ENABLED = True
    settings.MOTCUA_NATIONAL_SYNC_CLIENT = "sandbox"
    settings.MOTCUA_NATIONAL_SYNC_URL = ""
    settings.MOTCUA_NATIONAL_SYNC_RETRY_SECONDS = 60


@pytest.fixture(autouse=True)
def _fresh_clients() -> Iterator[None]:
    """Each test signs in anew; no kept-alive connection outlives its live server."""
    from motcua.nationalportal import client

    yield
    for kept in client._clients.values():
        kept._http.close()
    client._clients.clear()


@pytest.fixture
def held_tasks(settings: SettingsWrapper) -> None:
    """Tasks are kept, not run: the worker's function is called by the test."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def portal_url(live_server: LiveServer, settings: SettingsWrapper) -> str:
    """The sandbox portal of the live server, as the client's address."""
    url = live_server.url + "/sandbox/cong-dvcqg/"
    settings.MOTCUA_NATIONAL_SYNC_URL = url
    return url


@pytest.fixture
def dead_url() -> Iterator[str]:
    """An address where nothing listens: the portal is down."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    yield f"http://127.0.0.1:{port}/sandbox/cong-dvcqg/"
