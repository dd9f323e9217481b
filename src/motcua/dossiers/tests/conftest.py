from collections.abc import Iterator

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_messages() -> Iterator[None]:
    # Messages are translated; service tests read the English text.
    with translation.override("en"):
        yield
