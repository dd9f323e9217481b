from collections.abc import Iterator

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_messages() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _payment_sandbox(settings: pytest.FixtureRequest) -> None:
    # The sandbox gateway is the platform's gateway in these tests, answering in-process.
    settings.MOTCUA_PAYMENT_SANDBOX_ENABLED = True  # type: ignore[attr-defined]
    settings.MOTCUA_PAYMENT_GATEWAY = "sandbox"  # type: ignore[attr-defined]
    settings.MOTCUA_PAYMENT_BASE_URL = ""  # type: ignore[attr-defined]
