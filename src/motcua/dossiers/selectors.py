"""Dossier reads: the applicant's list, officers' worklists, the public status lookup."""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from motcua.accounts.models import AgencyMembership, BusinessMembership, User

from . import lifecycle
from .lifecycle import Status
from .models import Dossier

WORKLISTS = ("to_receive", "in_progress", "due_soon", "overdue", "waiting")
SORTS = {
    "due": "due_at",
    "-due": "-due_at",
    "submitted": "submitted_at",
    "-submitted": "-submitted_at",
    "code": "code",
}


def dossiers_of(user: User) -> QuerySet[Dossier]:
    """The person's own dossiers and those of businesses they act for now."""
    businesses = BusinessMembership.objects.active().filter(user=user).values("business_id")
    return (
        Dossier.objects.filter(
            Q(applicant=user, on_behalf_of__isnull=True) | Q(on_behalf_of__in=businesses)
        )
        .select_related("procedure", "receiving_agency")
        .order_by("-submitted_at", "-id")
    )


def officer_agencies(user: User) -> list[int]:
    return list(
        AgencyMembership.objects.active().filter(user=user).values_list("agency_id", flat=True)
    )


def worklist(user: User, name: str, *, sort: str = "due") -> QuerySet[Dossier]:
    """Only dossiers received or processed by the officer's agencies."""
    agencies = officer_agencies(user)
    base = (
        Dossier.objects.filter(
            Q(receiving_agency__in=agencies)
            | Q(processing_unit__in=agencies)
            | Q(consultations__coordinating_agency__in=agencies)
        )
        .distinct()
        .select_related("procedure", "applicant", "receiving_agency")
    )
    now = timezone.now()
    soon = now + datetime.timedelta(days=2)
    active = [Status.ACCEPTED, Status.PROCESSING]
    filters = {
        "to_receive": Q(status=Status.SUBMITTED),
        "in_progress": Q(status__in=active),
        "due_soon": Q(status__in=active, due_at__gte=now, due_at__lte=soon),
        "overdue": Q(status__in=active, due_at__lt=now),
        "waiting": Q(status__in=list(lifecycle.PAUSED))
        | Q(status=Status.PROCESSING, consultations__answered_at__isnull=True),
    }
    return base.filter(filters.get(name, filters["to_receive"])).order_by(
        SORTS.get(sort, "due_at"), "id"
    )


def public_status(code: str, secret: str) -> Dossier | None:
    """Code plus the secret printed on the receipt; nothing else is revealed."""
    # Only what the answer shows; no ordering (the code is unique). Measured in
    # benchmarks/dossiers.py: this query runs for every public look-up.
    rows = (
        Dossier.objects.filter(code=code.strip())
        .select_related("procedure")
        .only("code", "status", "due_at", "lookup_secret", "procedure__name")
        .order_by()[:1]
    )
    dossier = next(iter(rows), None)
    if dossier is None or not secret or dossier.lookup_secret != secret.strip().upper():
        return None
    return dossier
