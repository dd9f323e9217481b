"""Test-wide settings: plain static storage (no collectstatic manifest in tests)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    # Every test starts in the site's default language (Vietnamese), whatever the test before
    # it activated: a test's messages must not depend on the order tests run in.
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: pytest.FixtureRequest) -> None:
    # Argon2 is deliberately slow; tests that check the production hasher set it back.
    settings.PASSWORD_HASHERS = [  # type: ignore[attr-defined]
        "django.contrib.auth.hashers.MD5PasswordHasher",
        *settings.PASSWORD_HASHERS,  # type: ignore[attr-defined]
    ]


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings: pytest.FixtureRequest) -> None:
    # Tests see the effect of background work at once; the database backend and its worker
    # are exercised by motcua/notifications/tests.
    settings.TASKS = {  # type: ignore[attr-defined]
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
    }


@pytest.fixture(autouse=True)
def _media_in_a_temporary_directory(settings: pytest.FixtureRequest, tmp_path: object) -> None:
    # Uploaded files go to pytest's temporary directory: tests leave nothing behind.
    settings.MEDIA_ROOT = str(tmp_path)  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def _plain_static_storage(settings: pytest.FixtureRequest) -> None:
    settings.STORAGES = {  # type: ignore[attr-defined]
        **settings.STORAGES,  # type: ignore[attr-defined]
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(scope="session")
def _signing_root(tmp_path_factory: pytest.TempPathFactory) -> object:
    return tmp_path_factory.mktemp("signing")


@pytest.fixture(autouse=True)
def _development_signing_keys(settings: pytest.FixtureRequest, _signing_root: object) -> None:
    # Deciding a dossier signs its result: agencies get development keys on first use, made
    # once per test session (results/tests set up their own CA to test keys themselves).
    from pathlib import Path

    root = Path(str(_signing_root))
    settings.MOTCUA_SIGNING_BACKEND = "development"  # type: ignore[attr-defined]
    settings.MOTCUA_SIGNING_DIR = root  # type: ignore[attr-defined]
    settings.MOTCUA_SIGNING_CA_CERT = root / "ca" / "ca.cert.pem"  # type: ignore[attr-defined]
    settings.MOTCUA_SIGNING_TSA_URL = ""  # type: ignore[attr-defined]


@pytest.fixture
def sandbox_identities(db: None) -> None:
    """The sandbox e-ID's demo identities, present even after a transactional test's flush."""
    from importlib import import_module

    from django.apps import apps

    seed = import_module("motcua.sandbox_eid.migrations.0002_demo_identities")
    seed.add_identities(apps, None)


@pytest.fixture(autouse=True)
def _no_rate_limits(settings: pytest.FixtureRequest) -> None:
    # Every test client comes from one address and signs the same names in again and again;
    # motcua/accounts/tests/test_rate_limits.py turns the limits on to test them.
    settings.RATELIMIT_ENABLE = False  # type: ignore[attr-defined]


CACHE_TEST_REDIS_URL = os.environ.get("MOTCUA_TEST_REDIS_URL", "redis://127.0.0.1:6379/4")


@pytest.fixture(params=["memory", "redis"])
def search_cache(request: pytest.FixtureRequest, settings: Any) -> Iterator[str]:
    """The catalogue cache, on, in a fresh cache of each kind; yields the kind.

    Once with an in-memory cache (forced on) and once with the real Redis server production
    uses (``MOTCUA_TEST_REDIS_URL``, default a test database on the local server; scripts/test
    starts Redis). Use it with transactional tests: the catalogue version changes when a change
    commits, as in production.
    """
    import redis

    prefix = f"motcua-test-{uuid.uuid4().hex[:12]}"
    settings.MOTCUA_CATALOG_CACHE = True
    if request.param == "memory":
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": prefix,
            }
        }
        yield request.param
        return
    server = redis.Redis.from_url(CACHE_TEST_REDIS_URL, socket_timeout=5)
    try:
        server.ping()
    except redis.RedisError as exc:
        pytest.fail(
            f"Redis does not answer at {CACHE_TEST_REDIS_URL} ({exc}); scripts/test starts it."
        )
    settings.CACHES = {
        "default": {
            "BACKEND": "motcua.redis_cache.SharedClientRedisCache",  # as in production
            "LOCATION": CACHE_TEST_REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    yield request.param
    keys = list(server.scan_iter(match=f"{prefix}:*"))
    if keys:
        server.delete(*keys)
