"""The store's part in filing: components given from it count as provided (dossiers.sources)."""

from __future__ import annotations

from collections.abc import Sequence

from motcua.accounts.models import User
from motcua.catalog.rules import ComponentRule
from motcua.dossiers.models import DossierDraft
from motcua.dossiers.sources import ComponentSource, Offer, register

from . import selectors, services


def _offers(
    draft: DossierDraft, user: User, components: Sequence[ComponentRule]
) -> dict[int, list[Offer]]:
    return {
        position: [Offer("personalstore/_offer.html", {"store": offer, "draft": draft})]
        for position, offer in selectors.offers_for(draft, components).items()
    }


register(ComponentSource("personal-store", services.satisfied, _offers, order=10))
