"""Satisfaction figures for the service-quality index and the public dashboard."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from .models import Rating, Satisfaction


@dataclass(frozen=True)
class SatisfactionFigures:
    agency_id: int
    satisfied: int
    normal: int
    dissatisfied: int

    @property
    def total(self) -> int:
        return self.satisfied + self.normal + self.dissatisfied

    @property
    def satisfied_share(self) -> float:
        return self.satisfied / self.total if self.total else 0.0


def satisfaction_by_agency() -> list[SatisfactionFigures]:
    rows = (
        Rating.objects.values("agency_id")
        .annotate(
            satisfied=Count("id", filter=Q(value=Satisfaction.SATISFIED)),
            normal=Count("id", filter=Q(value=Satisfaction.NORMAL)),
            dissatisfied=Count("id", filter=Q(value=Satisfaction.DISSATISFIED)),
        )
        .order_by("agency_id")
    )
    return [SatisfactionFigures(**row) for row in rows]
