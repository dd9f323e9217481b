"""Test-wide settings: plain static storage (no collectstatic manifest in tests)."""

from __future__ import annotations

import pytest


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
