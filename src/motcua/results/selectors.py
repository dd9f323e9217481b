"""Reads for the result panel of a dossier's page (applicant and officer)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from motcua.accounts.models import User
from motcua.dossiers.access import officer_roles, roles_for
from motcua.dossiers.lifecycle import Actor, Status
from motcua.dossiers.models import Dossier

from .forms import (
    DecisionForm,
    DeliveryRequestForm,
    DeliveryUpdateForm,
    RevokeForm,
    decision_initial,
)
from .models import IssuedResult, PostalDelivery
from .services import (
    DECIDING_ROLES,
    OFFICER_ROLES,
    RESULT_AVAILABLE,
    decision_values,
    missing_decision_fields,
    result_template,
)


def current_result(dossier: Dossier) -> IssuedResult | None:
    """The result in force, or else the last one revoked."""
    results = IssuedResult.objects.filter(dossier=dossier).select_related("agency")
    return results.live().first() or results.first()


def _verified(user: User) -> bool:
    is_verified = getattr(user, "is_verified", None)
    return bool(callable(is_verified) and is_verified())


def decision_panel(dossier: Dossier) -> dict[str, Any]:
    """The decision fields to fill and the preview link, for the processor and the approver."""
    template = result_template(dossier)
    fields = template.fields if template else []
    panel: dict[str, Any] = {
        "preview_url": reverse("results:preview", kwargs={"code": dossier.code}),
        "missing": missing_decision_fields(dossier),
    }
    if fields:
        panel["form"] = DecisionForm(
            fields=fields,
            initial=decision_initial(fields, decision_values(dossier)),
            auto_id="id_decision_%s",
        )
        panel["form_url"] = reverse("results:decision_fields", kwargs={"code": dossier.code})
    return panel


def result_panel(*, dossier: Dossier, user: User, roles: set[str] | None = None) -> dict[str, Any]:
    """Context of ``results/_dossier_result.html`` for this dossier and person.

    Include it as ``{% include "results/_dossier_result.html" with panel=result_panel %}``.
    An empty ``result`` means there is nothing this person may see yet. ``roles``: the user's
    roles on the dossier, when the page has them already.
    """
    if roles is None:
        roles = roles_for(user, dossier)
    is_applicant = Actor.APPLICANT in roles and dossier.status in RESULT_AVAILABLE
    is_officer = bool(roles & OFFICER_ROLES) and _verified(user)
    result = current_result(dossier) if (is_applicant or is_officer) else None
    panel: dict[str, Any] = {"result": result, "is_officer": is_officer}
    if is_officer and dossier.status == Status.PROCESSING and roles & DECIDING_ROLES:
        panel["decision"] = decision_panel(dossier)
    if result is None:
        return panel
    delivery = PostalDelivery.objects.filter(result=result).first()
    panel.update(
        revoked=result.is_revoked,
        download_url=reverse("results:download", kwargs={"result_id": result.pk}),
        verify_url=reverse("results:verify_token", kwargs={"token": result.token}),
        delivery=delivery,
        delivery_events=list(delivery.events.all()) if delivery else [],
    )
    if is_applicant and delivery is None and not result.is_revoked:
        panel["request_form"] = DeliveryRequestForm(
            initial={
                "recipient": user.full_name,
                "phone": user.phone,
                "address": user.current_street or user.permanent_street,
            },
            auto_id="id_delivery_%s",
        )
        panel["request_url"] = reverse("results:request_delivery", kwargs={"result_id": result.pk})
    if is_officer and delivery is not None and delivery.next_statuses:
        panel["update_form"] = DeliveryUpdateForm(
            choices=delivery.next_statuses, auto_id="id_delivery_update_%s"
        )
        panel["update_url"] = reverse("results:update_delivery", kwargs={"result_id": result.pk})
    if (
        is_officer
        and not result.is_revoked
        and Actor.APPROVER in officer_roles(user, result.agency)
    ):
        panel["revoke_form"] = RevokeForm(auto_id="id_revoke_%s")
        panel["revoke_url"] = reverse("results:revoke", kwargs={"result_id": result.pk})
    if is_officer and result.is_revoked and Actor.APPROVER in roles:
        panel["reissue_url"] = reverse("results:reissue", kwargs={"code": dossier.code})
    return panel
