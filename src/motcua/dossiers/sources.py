"""Sources that satisfy a dossier component without an upload (the personal data store …).

A component is filled by an attachment, or by a document a source already holds for the
applicant: the once-only principle (DOMAIN.md §8; Decree 45/2020). ``dossiers`` knows none of
those sources: each app registers one from its own module, loaded by its ``AppConfig.ready()``,
as panels and transition handlers are. A source says

- ``satisfied(draft)``: the component positions it fills for this draft now. Asked again when
  the draft is filed, inside the filing's transaction: a source checks its documents then
  (still valid, not hidden, unaltered), so what it no longer vouches for is missing again;
- ``offers(draft, user, components)``: what the review page shows under each component (an
  offer to use a document already held, the one in use), by position, each with its template;
- ``provided(dossier)``: for a filed dossier, the positions it gave (or the agency fetched)
  with a line saying how and where the officer opens it, so the officer's checklist counts them
  as received and links to them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from motcua.accounts.models import User
from motcua.catalog.rules import ComponentRule

from .models import Dossier, DossierDraft


@dataclass(frozen=True)
class Offer:
    """One thing a source shows under a component on the review page."""

    template: str
    context: dict[str, Any]


@dataclass(frozen=True)
class Given:
    """How a source gave a component to a filed dossier, and where the officer opens it."""

    text: str
    url: str = ""


Satisfied = Callable[[DossierDraft], set[int]]
Offers = Callable[[DossierDraft, User, Sequence[ComponentRule]], dict[int, list[Offer]]]
Provided = Callable[[Dossier], dict[int, Given]]


def _no_offers(
    draft: DossierDraft, user: User, components: Sequence[ComponentRule]
) -> dict[int, list[Offer]]:
    return {}


def _nothing_provided(dossier: Dossier) -> dict[int, Given]:
    return {}


@dataclass(frozen=True)
class ComponentSource:
    identifier: str
    satisfied: Satisfied
    offers: Offers = _no_offers
    provided: Provided = _nothing_provided
    order: int = 100  # smaller first; the same order keeps the registration order


class SourceRegistry:
    def __init__(self) -> None:
        self._sources: dict[str, ComponentSource] = {}

    def register(self, source: ComponentSource) -> ComponentSource:
        if source.identifier in self._sources:
            raise ValueError(f"A component source {source.identifier!r} is already registered.")
        self._sources[source.identifier] = source
        return source

    def unregister(self, identifier: str) -> None:
        del self._sources[identifier]

    def __iter__(self) -> Iterator[ComponentSource]:
        return iter(sorted(self._sources.values(), key=lambda source: source.order))

    def __contains__(self, identifier: object) -> bool:
        return identifier in self._sources

    def satisfied(self, draft: DossierDraft) -> set[int]:
        """Every position some source fills for ``draft`` without an upload."""
        filled: set[int] = set()
        for source in self:
            filled |= source.satisfied(draft)
        return filled

    def offers(
        self, draft: DossierDraft, user: User, components: Sequence[ComponentRule]
    ) -> dict[int, list[Offer]]:
        """What every source shows under each component, by position, in the sources' order."""
        shown: dict[int, list[Offer]] = {}
        for source in self:
            for position, offers in source.offers(draft, user, components).items():
                shown.setdefault(position, []).extend(offers)
        return shown

    def provided(self, dossier: Dossier) -> dict[int, Given]:
        """Position → how a source gave it to the filed dossier (the first source's line)."""
        given: dict[int, Given] = {}
        for source in self:
            for position, how in source.provided(dossier).items():
                given.setdefault(position, how)
        return given


registry = SourceRegistry()
register = registry.register
