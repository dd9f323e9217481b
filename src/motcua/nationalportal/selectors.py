"""The synchronisation indicator per agency (Decision 766/QĐ-TTg; DOMAIN.md §9: transparency,
"dossiers synchronised to the national portal") and the changes waiting for an administrator."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Avg, Count, Exists, Max, OuterRef, Q, QuerySet

from motcua.agencies.models import Agency
from motcua.dossiers.models import Dossier

from .models import SyncItem, SyncState


@dataclass(frozen=True)
class AgencySync:
    agency: Agency
    dossiers: int  # received in the period
    synchronised: int  # every change so far delivered
    waiting: int  # a change on its way (waiting, being sent, to retry)
    refused: int  # a change refused, waiting for an administrator
    average_delay: float | None  # seconds from a change to its delivery
    longest_delay: float | None

    @property
    def share(self) -> float:
        return self.synchronised / self.dossiers if self.dossiers else 1.0


def by_agency(start: datetime.datetime, end: datetime.datetime) -> list[AgencySync]:
    """Per receiving agency, the dossiers received in [start, end): how many are synchronised
    (every change delivered), on their way or held by a refusal, and how long delivery took."""
    received = Dossier.objects.filter(submitted_at__gte=start, submitted_at__lt=end)
    items = SyncItem.objects.filter(dossier=OuterRef("pk"))
    counts = (
        received.annotate(
            pending=Exists(items.exclude(state__in=(SyncState.DELIVERED, SyncState.REFUSED))),
            refused=Exists(items.filter(state=SyncState.REFUSED)),
            delivered=Exists(items.filter(state=SyncState.DELIVERED)),
        )
        .values("receiving_agency")
        .annotate(
            total=Count("pk"),
            synchronised=Count("pk", filter=Q(pending=False, refused=False, delivered=True)),
            waiting=Count("pk", filter=Q(pending=True, refused=False)),
            held=Count("pk", filter=Q(refused=True)),
        )
    )
    delays = {
        row["dossier__receiving_agency"]: row
        for row in SyncItem.objects.filter(
            state=SyncState.DELIVERED,
            dossier__submitted_at__gte=start,
            dossier__submitted_at__lt=end,
        )
        .values("dossier__receiving_agency")
        .annotate(average=Avg("delay_seconds"), longest=Max("delay_seconds"))
    }
    agencies = Agency.objects.in_bulk([row["receiving_agency"] for row in counts])
    report = []
    for row in counts:
        delay = delays.get(row["receiving_agency"], {})
        report.append(
            AgencySync(
                agency=agencies[row["receiving_agency"]],
                dossiers=row["total"],
                synchronised=row["synchronised"],
                waiting=row["waiting"],
                refused=row["held"],
                average_delay=delay.get("average"),
                longest_delay=delay.get("longest"),
            )
        )
    return sorted(report, key=lambda r: (r.share, r.agency.code))


def refused() -> QuerySet[SyncItem]:
    """Changes the portal refused, oldest first, with what the administrator needs to see."""
    return (
        SyncItem.objects.filter(state=SyncState.REFUSED)
        .select_related("dossier__receiving_agency")
        .order_by("created_at", "pk")
    )
