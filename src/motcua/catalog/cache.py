"""Cached catalogue search: result pages and filter choices, keyed by a catalogue version.

Searches repeat and the catalogue changes rarely, so a page of results is computed once per
catalogue version and then read from the cache. The version is a random token kept in the cache;
every change to what search shows replaces it once the change is committed:
``services.record_version`` (admin edits, imports, publishing), saving or deleting a field, and
agency changes (the receivers at the end of this module). The next search then reads the
database again.
Entries of older versions are never read again and expire after ``ENTRY_SECONDS``, which also
bounds how long a change made behind the services' back (a raw ``UPDATE``) can stay unseen.

Only a cache shared by every app-server process is used (Redis in production, see settings):
with Django's per-process memory cache one process would never see another process's version
change. ``settings.MOTCUA_CATALOG_CACHE`` (True or False) overrides that choice, e.g. in tests.
If the cache server fails, searches go to the database and the failure is logged.
"""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import HttpRequest

from motcua.agencies.models import Agency

from .models import Field

logger = logging.getLogger(__name__)

T = TypeVar("T")

# Bump when the shape of cached values changes, so a new release never reads old pickles.
FORMAT = 1
VERSION_KEY = f"catalog:{FORMAT}:version"
ENTRY_SECONDS = 30 * 60


def enabled() -> bool:
    """Whether catalogue reads go through the cache (see the module's docstring)."""
    forced = settings.MOTCUA_CATALOG_CACHE
    if forced is not None:
        return bool(forced)
    return not isinstance(caches["default"], LocMemCache | DummyCache)


def catalog_version() -> str:
    """The current catalogue version; created on first use (or after the cache lost it)."""
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, secrets.token_hex(8), timeout=None)  # another process may win
        version = cache.get(VERSION_KEY)
    return str(version)


def bump_catalog_version() -> None:
    """Make the next search miss the cache, once the current transaction commits.

    Not before: a search running between the change and its commit would otherwise store what
    it read (the old catalogue) under the new version.
    """
    transaction.on_commit(_replace_version, robust=True)


def _replace_version() -> None:
    cache.set(VERSION_KEY, secrets.token_hex(8), timeout=None)


class CatalogCache:
    """Cached catalogue reads for one request, all at the version read when it started.

    A page reads the version once (one round trip to the cache server), then finds results and
    filter choices in this process's recent entries, or in the shared cache, or computes them.
    """

    def __init__(self, version: str | None) -> None:
        self.version = version  # None: caching is off or the cache server is unavailable

    def remember(self, kind: str, parts: dict[str, Any], compute: Callable[[], T]) -> T:
        """``compute()``, cached under ``kind`` and ``parts`` for this catalogue version.

        An exception from ``compute`` (a page that does not exist) propagates; nothing is kept.
        """
        found = self.find(kind, parts)
        if found is None:
            found = compute()
            self.store(kind, parts, found)
        return found  # type: ignore[no-any-return]

    def find(self, kind: str, parts: dict[str, Any]) -> Any:
        """The value stored under ``kind`` and ``parts`` for this version, or None."""
        if self.version is None:
            return None
        key = _key(kind, parts, self.version)
        found = _recent.get(self.version, key)
        if found is None:
            try:
                found = cache.get(key)
            except Exception:  # a cache outage must not take search down with it
                logger.warning("catalogue cache unavailable; reading the database", exc_info=True)
                return None
            if found is not None:
                _recent.put(self.version, key, found)
        return found

    def store(self, kind: str, parts: dict[str, Any], value: Any) -> None:
        if self.version is None:
            return
        key = _key(kind, parts, self.version)
        _recent.put(self.version, key, value)
        try:
            cache.set(key, value, ENTRY_SECONDS)
        except Exception:
            logger.warning("catalogue cache unavailable; result not stored", exc_info=True)


def catalog_cache(request: HttpRequest | None = None) -> CatalogCache:
    """Cached reads at the current catalogue version (or straight reads when caching is off).

    Given the request, the version is read once for all of it: a page and its panels then
    cost one round trip to the cache server between them.
    """
    if request is not None:
        found = getattr(request, _REQUEST_MEMO, None)
        if found is not None:
            return found  # type: ignore[no-any-return]
    if not enabled():
        reads = CatalogCache(None)
    else:
        try:
            reads = CatalogCache(catalog_version())
        except Exception:
            logger.warning("catalogue cache unavailable; searching the database", exc_info=True)
            reads = CatalogCache(None)
    if request is not None:
        setattr(request, _REQUEST_MEMO, reads)
    return reads


_REQUEST_MEMO = "_motcua_catalog_cache"


class _RecentEntries:
    """This process's copy of the latest version's entries: no round trip for repeated reads.

    Keys hold the version, so an entry is never read after the version changes; the store is
    emptied then, and whenever it holds ``LIMIT`` entries.
    """

    LIMIT = 512

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._version = ""
        self._entries: dict[str, Any] = {}

    def get(self, version: str, key: str) -> Any:
        return self._entries.get(key) if version == self._version else None

    def put(self, version: str, key: str, value: Any) -> None:
        with self._lock:
            if version != self._version or len(self._entries) >= self.LIMIT:
                self._entries = {}
                self._version = version
            self._entries[key] = value


_recent = _RecentEntries()


def _key(kind: str, parts: dict[str, Any], version: str) -> str:
    canonical = json.dumps(parts, sort_keys=True, ensure_ascii=True, separators=(",", ":"))
    digest = hashlib.blake2b(canonical.encode(), digest_size=16).hexdigest()
    return f"catalog:{FORMAT}:{version}:{kind}:{digest}"


@dataclass(frozen=True)
class ResultPage:
    """One page of search results as cached: what pagination needs, and the rows.

    ``rows`` is whatever the caller shows: serialised rows for the API, HTML for the page.
    """

    rows: Any
    count: int
    number: int
    num_pages: int
    per_page: int

    def has_next(self) -> bool:
        return self.number < self.num_pages

    def has_previous(self) -> bool:
        return self.number > 1

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1

    def start_index(self) -> int:
        return (self.number - 1) * self.per_page + 1 if self.count else 0


@receiver(post_save, sender=Field, dispatch_uid="catalog-cache-field-saved")
@receiver(post_delete, sender=Field, dispatch_uid="catalog-cache-field-deleted")
def _field_changed(**kwargs: Any) -> None:
    # Field names are shown in results and in the filter form.
    bump_catalog_version()


# Agency names appear in the catalogue's filter list, and which agencies serve a procedure
# decides what an agency filter finds: the catalogue listens, agencies know nothing of it.
@receiver(post_save, sender=Agency, dispatch_uid="agencies-changed-catalog-cache-saved")
@receiver(post_delete, sender=Agency, dispatch_uid="agencies-changed-catalog-cache-deleted")
def _agency_changed(**kwargs: Any) -> None:
    bump_catalog_version()
