"""Who may see and change which datasets: asked in one place, from the models alone.

A steward (an officer with the data-steward role) writes the datasets of the agencies where
the role is in force. Through the API the steward acts with a token, which narrows that further
to one agency or one dataset; a token outlives neither its revocation nor the role.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from motcua.accounts.access import active_memberships
from motcua.accounts.models import OfficerRole

from .constants import DatasetState
from .models import ApiToken, Dataset


@dataclass(frozen=True)
class Actor:
    """Who asks: a person (or nobody), and the API token they came with, if any."""

    user: Any = None
    token: ApiToken | None = None

    @property
    def is_anonymous(self) -> bool:
        return self.user is None or not getattr(self.user, "is_authenticated", False)


ANONYMOUS = Actor()


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def token_for_key(key: str) -> ApiToken | None:
    """The token in force whose key this is (none for an unknown or revoked key)."""
    if not key:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_key(key), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is not None:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token


def steward_agency_ids(user: Any) -> set[int]:
    """The agencies whose data the person stewards today."""
    return set(
        active_memberships(user)
        .filter(role=OfficerRole.DATA_STEWARD)
        .values_list("agency_id", flat=True)
    )


def writable_agency_ids(actor: Actor) -> set[int]:
    """The agencies in which ``actor`` may create datasets."""
    if actor.is_anonymous:
        return set()
    agencies = steward_agency_ids(actor.user)
    if actor.token is not None:
        agencies &= {actor.token.agency_id} if actor.token.agency_id else set()
    return agencies


def can_write(actor: Actor, dataset: Dataset) -> bool:
    if actor.is_anonymous or dataset.agency_id not in steward_agency_ids(actor.user):
        return False
    token = actor.token
    if token is None:
        return True
    return token.agency_id == dataset.agency_id or token.dataset_id == dataset.pk


def can_read(actor: Actor, dataset: Dataset) -> bool:
    if dataset.state == DatasetState.DELETED:
        return can_write(actor, dataset)
    return dataset.is_public or can_write(actor, dataset)


def readable(actor: Actor, queryset: QuerySet[Dataset] | None = None) -> QuerySet[Dataset]:
    """The datasets ``actor`` may see: the public ones, and the actor's own drafts and
    private ones."""
    queryset = Dataset.objects.all() if queryset is None else queryset
    visible = Q(state=DatasetState.ACTIVE, private=False)
    if not actor.is_anonymous:
        own = Q(agency_id__in=steward_agency_ids(actor.user))
        if actor.token is not None:
            own &= Q(agency_id=actor.token.agency_id) | Q(pk=actor.token.dataset_id)
        visible |= own & ~Q(state=DatasetState.DELETED)
    return queryset.filter(visible)
