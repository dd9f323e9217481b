"""Reads of the personal data store: an owner's documents and log, what a draft may reuse."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from motcua.catalog.rules import ComponentRule
from motcua.dossiers.models import Dossier, DossierDraft
from motcua.results.services import result_template

from . import services
from .access import Owner
from .models import Read, Reuse, ShareLink, StoredDocument


def documents(owner: Owner) -> QuerySet[StoredDocument]:
    return owner.documents().order_by("-created_at", "-id")


def document(owner: Owner, pk: int) -> StoredDocument | None:
    return owner.documents().filter(pk=pk).select_related("origin_result").first()


def share_links(document: StoredDocument) -> QuerySet[ShareLink]:
    return document.share_links.order_by("-created_at")


def reads(owner: Owner) -> QuerySet[Read]:
    """Who used the owner's data: every read, newest first."""
    return (
        Read.objects.filter(document__in=owner.documents())
        .select_related("document", "reader", "reader_agency", "dossier")
        .order_by("-at", "-id")
    )


@dataclass
class ComponentOffer:
    """What the store offers for one component of a draft."""

    position: int
    document_type: str
    candidates: list[StoredDocument] = field(default_factory=list)
    refused: list[StoredDocument] = field(default_factory=list)  # altered: flagged
    in_use: Reuse | None = None


def offers_for(
    draft: DossierDraft, components: Sequence[ComponentRule]
) -> dict[int, ComponentOffer]:
    """For each component with a document type the store holds: the valid documents to use
    (not hidden, not expired, not revoked, unaltered), and the one in use."""
    wanted = {c.document_type for c in components if c.document_type}
    if not wanted:
        return {}
    owner = services.owner_of_draft(draft)
    held = list(
        owner.documents()
        .filter(document_type__in=wanted)
        .select_related("origin_result")
        .order_by("-issued_on", "-id")
    )
    in_use = {r.component_position: r for r in Reuse.objects.filter(draft=draft)}
    if not held and not in_use:
        return {}
    checked: dict[int, bool] = {}
    shown: dict[int, ComponentOffer] = {}
    for position, component in enumerate(components):
        if not component.document_type:
            continue
        offer = ComponentOffer(position, component.document_type, in_use=in_use.get(position))
        for doc in held:
            if doc.document_type != component.document_type:
                continue
            if doc.pk not in checked:
                was_flagged = doc.is_flagged
                checked[doc.pk] = services.reusable(doc)
                if not checked[doc.pk] and doc.is_flagged and not was_flagged:
                    offer.refused.append(doc)
            if checked[doc.pk]:
                offer.candidates.append(doc)
        if offer.candidates or offer.in_use or offer.refused:
            shown[position] = offer
    return shown


def reuses_of(dossier: Dossier) -> QuerySet[Reuse]:
    return Reuse.objects.filter(dossier=dossier).select_related("document")


def facts(document: StoredDocument) -> list[tuple[str, Any]]:
    """The document's structured data as (label, value), labelled as the procedure that issued
    it labels them: the e-form's field titles and the result's decision fields. A key neither
    names (a deposit's data) is shown as it is."""
    labels: dict[str, str] = {}
    dossier = document.origin_dossier
    if dossier is not None:
        properties = dossier.rules.eform.get("properties", {})
        labels.update(
            {
                str(key): str(spec["title"])
                for key, spec in properties.items()
                if isinstance(spec, dict) and spec.get("title")
            }
        )
        template = result_template(dossier)
        if template is not None:
            labels.update({field.name: field.label for field in template.fields})
    return [
        (labels.get(str(key), str(key)), value)
        for key, value in sorted((document.data or {}).items())
        if value not in ("", None)
    ]
