"""Who may see or act on a dossier, and as which role (DOMAIN.md §4).

The one place that answers it, from models only: every app (payments, results, feedback, the
pages and the API) asks here, so none imports another's services to check a permission.
Officer roles hold only after the second factor: without it an officer has a citizen's rights.
"""

from __future__ import annotations

from typing import Any

from motcua.accounts import access as accounts_access
from motcua.accounts.models import AgencyMembership, BusinessMembership, User
from motcua.accounts.second_factor import passed_second_factor
from motcua.agencies.models import Agency

from .lifecycle import Actor
from .models import Dossier

OFFICER_ROLES = frozenset({Actor.RECEIVER, Actor.PROCESSOR, Actor.APPROVER, Actor.COORDINATOR})


def officer_roles(user: User, agency: Agency | None) -> set[str]:
    """The person's roles at ``agency``, once the second factor is passed in this session/token."""
    if agency is None or not passed_second_factor(user):
        return set()
    return accounts_access.roles_at(user, agency)


def is_applicant(user: User, dossier: Dossier) -> bool:
    """The person who filed it, or (for a business's dossier) anyone acting for it now."""
    if dossier.on_behalf_of_id is None:
        return bool(dossier.applicant_id == user.pk)
    return (
        BusinessMembership.objects.active()
        .filter(user=user, business_id=dossier.on_behalf_of_id)
        .exists()
    )


def is_coordinator(user: User, dossier: Dossier) -> bool:
    """An officer of an agency asked for a part of this dossier (after the second factor)."""
    # One query for all coordinating agencies, not one per consultation.
    return bool(
        dossier.pk
        and passed_second_factor(user)
        and AgencyMembership.objects.active()
        .filter(user=user, agency__consultations__dossier=dossier)
        .exists()
    )


def roles_for(user: Any, dossier: Dossier) -> set[str]:
    """Every role ``user`` holds on ``dossier``; empty for anyone who may not see it."""
    if not isinstance(user, User) or not user.is_authenticated:
        return set()
    roles = officer_roles(user, dossier.receiving_agency)
    if dossier.processing_unit_id and dossier.processing_unit_id != dossier.receiving_agency_id:
        roles |= officer_roles(user, dossier.processing_unit)
    if is_coordinator(user, dossier):
        roles.add(Actor.COORDINATOR)  # sees the dossier, answers its part; nothing else
    if is_applicant(user, dossier):
        roles.add(Actor.APPLICANT)
    return roles


def can_view(user: Any, dossier: Dossier) -> bool:
    return bool(roles_for(user, dossier))
