"""The cache backend production uses (``motcua.redis_cache``), against a real Redis server."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import caches
from django.core.cache.backends.base import BaseCache

from motcua.redis_cache import SharedClientRedisCache
from motcua.tests.redis_cache import real_redis_cache

REDIS_URL = os.environ.get("MOTCUA_TEST_REDIS_URL", "redis://127.0.0.1:6379/4")


@pytest.fixture
def shared_cache(settings: pytest.FixtureRequest) -> Iterator[BaseCache]:
    with real_redis_cache(settings, "cache", REDIS_URL):
        yield caches["default"]


def test_one_redis_client_serves_every_call(shared_cache: BaseCache) -> None:
    assert isinstance(shared_cache, SharedClientRedisCache)
    backend: Any = shared_cache._cache  # type: ignore[attr-defined]  # Django's client wrapper
    client = backend.get_client()
    assert backend.get_client(write=True) is client

    shared_cache.set("greeting", {"vi": "Xin chào"}, 30)
    assert shared_cache.get("greeting") == {"vi": "Xin chào"}
    assert shared_cache.add("greeting", "other") is False
    shared_cache.set("visits", 0, 30)
    assert shared_cache.incr("visits") == 1
    shared_cache.delete("greeting")
    assert shared_cache.get("greeting") is None
    assert backend.get_client() is client


def test_threads_share_the_client_safely(shared_cache: BaseCache) -> None:
    errors: list[BaseException] = []

    def work(number: int) -> None:
        try:
            for round_ in range(50):
                shared_cache.set(f"t{number}", round_, 30)
                assert shared_cache.get(f"t{number}") == round_
        except BaseException as exc:  # collected and reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert shared_cache.get_many([f"t{n}" for n in range(8)]) == {f"t{n}": 49 for n in range(8)}
