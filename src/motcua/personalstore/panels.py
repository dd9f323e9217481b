"""The dossier pages' personal-data-store panel: documents reused in the dossier (the officer
opens them here, each read logged), digitisation of attachments, what went into the store."""

from __future__ import annotations

from typing import Any

from motcua.accounts.models import User
from motcua.dossiers.access import OFFICER_ROLES
from motcua.dossiers.lifecycle import Actor
from motcua.dossiers.models import Dossier
from motcua.dossiers.panels import APPLICANT_PAGE, OFFICER_PAGE, Panel, register

from . import access, selectors, services
from .forms import VerifyForm
from .models import StoredDocument


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
    if not reuses and not verifiable:
        return None
    return {"store": {"reuses": reuses, "verifiable": verifiable, "is_open": is_open}}


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
