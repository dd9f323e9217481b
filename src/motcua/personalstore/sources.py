"""The store's part in filing: components given from it count as provided (dossiers.sources)."""

from __future__ import annotations

from collections.abc import Sequence

from django.urls import reverse
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.catalog.rules import ComponentRule
from motcua.dossiers.models import Dossier, DossierDraft
from motcua.dossiers.sources import ComponentSource, Given, Offer, register

from . import selectors, services
from .connectors.base import for_document_type


def _offers(
    draft: DossierDraft, user: User, components: Sequence[ComponentRule]
) -> dict[int, list[Offer]]:
    shown = {
        position: [Offer("personalstore/_offer.html", {"store": offer, "draft": draft})]
        for position, offer in selectors.offers_for(draft, components).items()
    }
    for position, component in enumerate(components):
        if not component.fetched_by_agency:
            continue
        # The agency fetches it; if its database cannot be asked now, the applicant is asked
        # instead and told why (they may still leave it to the agency).
        connector = for_document_type(component.document_type)
        why = (
            connector.unreachable()
            if connector is not None
            else _("no national database connected to this platform holds it")
        )
        if why:
            context = {
                "draft": draft,
                "database": connector.name() if connector else "",
                "why": why,
            }
            shown.setdefault(position, []).append(Offer("personalstore/_fetch_down.html", context))
    return shown


def _provided(dossier: Dossier) -> dict[int, Given]:
    """What the filed dossier was given from the store, or the agency fetched, by position:
    received without an upload (the officer's checklist), opened through the dossier (its
    read is logged for the owner)."""
    given: dict[int, Given] = {}
    for reuse in selectors.reuses_of(dossier):
        document = reuse.document
        values = {"title": document.title, "number": document.number, "issuer": document.issuer}
        if reuse.fetched_by_agency:
            how = _("Fetched by the agency: %(title)s, from %(issuer)s") % values
        elif document.number:
            how = _("From the applicant's data store: %(title)s no. %(number)s") % values
        else:
            how = _("From the applicant's data store: %(title)s") % values
        url = reverse("personalstore:officer_read", args=[dossier.code, reuse.pk])
        given.setdefault(reuse.component_position, Given(how, url))
    return given


register(
    ComponentSource("personal-store", services.satisfied, _offers, provided=_provided, order=10)
)
