"""The map's answers are cached per version of the reports, which is the last history line's
id: a test database rolled back between tests gives the same ids again, so each test starts
with an empty cache."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
