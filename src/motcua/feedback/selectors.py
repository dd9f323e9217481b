"""Satisfaction figures for the service-quality index and the public dashboard."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q

from .models import Question, Rating, RatingAnswer, Satisfaction


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


def ratings_summary(start: datetime.datetime, end: datetime.datetime) -> dict[str, Any]:
    """Ratings given in [start, end): the overall 3-point answers and, per criterion of the
    index's survey (``Question``), how many answered and the share satisfied. Ratings from
    before the criteria were asked count in the overall figures only."""
    ratings = Rating.objects.filter(created_at__gte=start, created_at__lt=end)
    overall = ratings.aggregate(
        total=Count("id"),
        satisfied=Count("id", filter=Q(value=Satisfaction.SATISFIED)),
        normal=Count("id", filter=Q(value=Satisfaction.NORMAL)),
        dissatisfied=Count("id", filter=Q(value=Satisfaction.DISSATISFIED)),
    )
    rows = (
        RatingAnswer.objects.filter(rating__in=ratings)
        .values("question")
        .annotate(
            answers=Count("id"),
            satisfied=Count("id", filter=Q(value=Satisfaction.SATISFIED)),
            dissatisfied=Count("id", filter=Q(value=Satisfaction.DISSATISFIED)),
        )
    )
    found = {row["question"]: row for row in rows}
    by_question = {}
    for code in Question.values:
        row = found.get(code, {"answers": 0, "satisfied": 0, "dissatisfied": 0})
        by_question[code] = {
            "answers": row["answers"],
            "satisfied_share": _share(row["satisfied"], row["answers"]),
            "dissatisfied_share": _share(row["dissatisfied"], row["answers"]),
        }
    return {
        **overall,
        "satisfied_share": _share(overall["satisfied"], overall["total"]),
        "dissatisfied_share": _share(overall["dissatisfied"], overall["total"]),
        "by_question": by_question,
    }


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None
