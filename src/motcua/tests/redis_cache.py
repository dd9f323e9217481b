"""The real Redis as the default cache for one test, under a prefix of its own, emptied after."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import redis

REDIS_URL = os.environ.get("MOTCUA_TEST_REDIS_URL", "redis://127.0.0.1:6379/4")


@contextmanager
def real_redis_cache(settings: Any, label: str, url: str = REDIS_URL) -> Iterator[str]:
    """Point ``settings.CACHES`` at Redis for the test; yields the key prefix."""
    prefix = f"motcua-test-{label}-{uuid.uuid4().hex[:12]}"
    settings.CACHES = {
        "default": {
            "BACKEND": "motcua.redis_cache.SharedClientRedisCache",
            "LOCATION": url,
            "KEY_PREFIX": prefix,
        }
    }
    server = redis.Redis.from_url(url, socket_timeout=5)
    try:
        server.ping()
    except redis.RedisError as exc:
        pytest.fail(f"Redis does not answer at {url} ({exc}); scripts/test starts it.")
    try:
        yield prefix
    finally:
        keys = list(server.scan_iter(match=f"{prefix}:*"))
        if keys:
            server.delete(*keys)
