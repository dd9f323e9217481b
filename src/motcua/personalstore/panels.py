"""The dossier pages' personal-data-store panel: documents reused in the dossier (the officer
opens them here, each read logged), digitisation of attachments, what went into the store."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.dossiers import lifecycle
from motcua.dossiers.access import OFFICER_ROLES
from motcua.dossiers.lifecycle import Actor, Transition
from motcua.dossiers.models import Dossier
from motcua.dossiers.panels import APPLICANT_PAGE, OFFICER_PAGE, Panel, register

from . import access, selectors, services
from .connectors.base import for_document_type
from .forms import VerifyForm
from .models import AgencyFetch, FetchOutcome, Reuse, StoredDocument


def _officer(dossier: Dossier, user: User, roles: set[str]) -> dict[str, Any] | None:
    if not roles & OFFICER_ROLES:
        return None
    is_open = access.is_open(dossier)
    reuses = list(selectors.reuses_of(dossier)) if is_open else []
    verifiable = []
    if is_open and roles & services.VERIFYING_ROLES:
        stored = set(
            StoredDocument.objects.filter(origin_dossier=dossier).values_list(
                "origin_attachment_id", flat=True
            )
        )
        components = dossier.rules.components
        for attachment in dossier.attachments.all():
            if attachment.pk in stored:
                continue
            position = attachment.component_position
            code = components[position].document_type if position < len(components) else ""
            form = VerifyForm(
                initial={"attachment": attachment.pk, "document_type": code},
                auto_id=f"verify-{attachment.pk}-%s",
            )
            verifiable.append((attachment, form))
    to_fetch = _to_fetch(dossier, reuses) if is_open and roles & services.VERIFYING_ROLES else []
    if not reuses and not verifiable and not to_fetch:
        return None
    return {
        "store": {
            "reuses": reuses,
            "verifiable": verifiable,
            "to_fetch": to_fetch,
            "may_ask": dossier.status in ASKABLE,
            "is_open": is_open,
        }
    }


ASKABLE = lifecycle.RULES[Transition.REQUEST_SUPPLEMENT].sources


def _to_fetch(dossier: Dossier, reuses: list[Reuse]) -> list[dict[str, Any]]:
    """Components the agency fetches that the dossier does not hold yet, with the last try."""
    given = {reuse.component_position for reuse in reuses}
    rows = []
    for position, component in enumerate(dossier.rules.components):
        if not component.fetched_by_agency or position in given:
            continue
        connector = for_document_type(component.document_type)
        last = (
            AgencyFetch.objects.filter(dossier=dossier, component_position=position)
            .order_by("-requested_at", "-id")
            .first()
        )
        ask = ""
        if last is not None and last.outcome != FetchOutcome.FETCHED:
            ask = _(
                "Please provide “%(name)s”: the agency could not take it from the national "
                "database (%(why)s)."
            ) % {"name": component.name, "why": last.reason}
        rows.append(
            {
                "position": position,
                "component": component,
                "database": connector.name() if connector else "",
                "last": last,
                "ask": ask,
            }
        )
    return rows


def _applicant(dossier: Dossier, user: User, roles: set[str]) -> dict[str, Any] | None:
    if Actor.APPLICANT not in roles:
        return None
    reuses = list(selectors.reuses_of(dossier))
    kept = list(StoredDocument.objects.filter(origin_dossier=dossier).order_by("created_at"))
    if not reuses and not kept:
        return None
    return {"store": {"reuses": reuses, "kept": kept}}


register(
    Panel(
        "personalstore-officer",
        "personalstore/_officer_panel.html",
        _officer,
        pages=frozenset({OFFICER_PAGE}),
        order=30,
    )
)
register(
    Panel(
        "personalstore-applicant",
        "personalstore/_applicant_panel.html",
        _applicant,
        pages=frozenset({APPLICANT_PAGE}),
        order=30,
    )
)
