"""Whose store a person reaches, and which stored documents an officer may read (ADR 0007).

A citizen reaches their own store; a person acting for a business reaches the business's store
while their membership is active: every member views, downloads and reuses its documents, only
the legal representative shares them or hides them from reuse. An officer reads a stored
document only through a dossier it was given to, while that dossier is open and theirs to
handle (``dossiers.access``); the store itself is never open to officers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from motcua.accounts.models import Business, BusinessMembership, BusinessRole, User
from motcua.dossiers import access as dossier_access
from motcua.dossiers import lifecycle
from motcua.dossiers.models import Dossier

from .errors import NotAllowed
from .models import Reuse, StoredDocument, StoredDocumentQuerySet


@dataclass(frozen=True)
class Owner:
    """The store a person acts on now: their own, or a business's."""

    user: User
    business: Business | None = None
    may_manage: bool = True  # share, withdraw a share, hide or show again

    def documents(self) -> StoredDocumentQuerySet:
        if self.business is not None:
            return StoredDocument.objects.of_business(self.business.pk)
        return StoredDocument.objects.of_user(self.user.pk)

    def owns(self, document: StoredDocument) -> bool:
        if self.business is not None:
            return document.owner_business_id == self.business.pk
        return document.owner_business_id is None and document.owner_user_id == self.user.pk

    @property
    def name(self) -> str:
        if self.business is not None:
            return self.business.name
        return self.user.full_name or self.user.username


def owner_for(user: Any, business: Business | None = None) -> Owner:
    """The store ``user`` reaches, acting for ``business`` when given (re-checked now)."""
    if not isinstance(user, User) or not user.is_authenticated:
        raise NotAllowed("")
    if business is None:
        return Owner(user)
    membership = BusinessMembership.objects.active().filter(user=user, business=business).first()
    if membership is None:
        raise NotAllowed("")
    return Owner(user, business, membership.role == BusinessRole.LEGAL_REPRESENTATIVE)


def is_open(dossier: Dossier) -> bool:
    return dossier.status not in lifecycle.FINISHED


def officer_may_read(user: Any, reuse: Reuse) -> bool:
    """Through the dossier it was given to, while open, by an officer handling it."""
    dossier = reuse.dossier
    if dossier is None or not is_open(dossier):
        return False
    return bool(dossier_access.roles_for(user, dossier) & dossier_access.OFFICER_ROLES)
