"""The procedure page says how many documents a citizen no longer brings (issue 14, point 5):
components the agency fetches itself, or that a result of this platform provides (kept in
the applicant's data store)."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import HttpRequest

from motcua.catalog.cache import bump_catalog_version, catalog_cache
from motcua.catalog.models import Component, Procedure
from motcua.catalog.panels import ProcedurePanel, procedure_panels

from .models import ResultType


def no_longer_brought(procedure: Procedure) -> list[str]:
    components = list(
        Component.objects.filter(case__procedure=procedure).values_list(
            "name", "document_type", "fetched_by_agency"
        )
    )
    kept = set(ResultType.objects.values_list("document_type", flat=True))
    names: list[str] = []
    for name, document_type, fetched in components:
        if (fetched or (document_type and document_type in kept)) and name not in names:
            names.append(name)
    return names


def _context(request: HttpRequest, procedure: Procedure) -> dict[str, Any] | None:
    # Kept with the catalogue's cached pages: a change of the catalogue or of the results'
    # document types (below) changes the catalogue version, so the page never shows an old count.
    names = catalog_cache(request).remember(
        "once-only-panel",
        {"procedure": procedure.pk},
        lambda: no_longer_brought(procedure),
    )
    return {"store_names": names} if names else None


@receiver(post_save, sender=ResultType, dispatch_uid="personalstore-result-type-saved")
@receiver(post_delete, sender=ResultType, dispatch_uid="personalstore-result-type-deleted")
def _result_types_changed(**kwargs: Any) -> None:
    bump_catalog_version()


procedure_panels.register(
    ProcedurePanel("personalstore-once-only", "personalstore/_procedure_panel.html", _context, 40)
)
