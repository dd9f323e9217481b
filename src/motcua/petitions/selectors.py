"""Reads: similar reports before filing, the public map and list, the officers' lists, and
the satisfaction indicators of the service-quality index (DOMAIN.md §9)."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from . import deadlines
from .models import OPEN_STATUSES, Report, ReportStatus, Topic

EARTH_RADIUS_M = 6_371_000.0
MAP_LIMIT = 500


def metres_between(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def topics() -> QuerySet[Topic]:
    return Topic.objects.filter(active=True).select_related("agency")


def public_reports() -> QuerySet[Report]:
    return Report.objects.filter(is_public=True).select_related("topic", "agency")


@dataclass(frozen=True)
class Similar:
    report: Report
    metres: float | None  # None: suggested for the same procedure, not for its place


def similar_open(
    *,
    latitude: float | None = None,
    longitude: float | None = None,
    procedure_code: str = "",
    limit: int = 10,
) -> list[Similar]:
    """Open public reports within ``MOTCUA_PETITION_NEARBY_METRES`` of a point, nearest first,
    then open public reports about the same procedure."""
    found: list[Similar] = []
    seen: set[int] = set()
    open_public = public_reports().filter(status__in=OPEN_STATUSES)
    if latitude is not None and longitude is not None:
        radius = float(settings.MOTCUA_PETITION_NEARBY_METRES)
        dlat = math.degrees(radius / EARTH_RADIUS_M)
        dlng = dlat / max(math.cos(math.radians(latitude)), 0.01)
        box = open_public.filter(
            latitude__range=(latitude - dlat, latitude + dlat),
            longitude__range=(longitude - dlng, longitude + dlng),
        )
        near = []
        for report in box[:200]:
            assert report.latitude is not None and report.longitude is not None
            metres = metres_between(latitude, longitude, report.latitude, report.longitude)
            if metres <= radius:
                near.append(Similar(report, round(metres)))
        near.sort(key=lambda s: s.metres or 0)
        for item in near[:limit]:
            found.append(item)
            seen.add(item.report.pk)
    if procedure_code.strip():
        same = open_public.filter(procedure__code=procedure_code.strip()).exclude(pk__in=seen)
        found.extend(Similar(report, None) for report in same[: max(limit - len(found), 0)])
    return found


def map_points(
    *, south: float, west: float, north: float, east: float, limit: int = MAP_LIMIT
) -> list[dict[str, Any]]:
    """The public map's data: open public reports inside a box, newest first, at most
    ``limit``. Only what anyone may see: code, topic, status, point, filing date.

    Two partial indexes serve it (open, public reports only): one on the point for a street's
    view, one on the filing time for a city's view, where the newest 500 are found at once."""
    topic_codes = dict(Topic.objects.values_list("id", "code"))  # a few rows; avoids a join
    rows = (
        Report.objects.filter(
            is_public=True,
            status__in=OPEN_STATUSES,
            latitude__range=(south, north),
            longitude__range=(west, east),
        )
        .order_by("-filed_at")
        .values_list("code", "topic_id", "status", "latitude", "longitude", "filed_at")[:limit]
    )
    return [
        {
            "code": code,
            "topic": topic_codes.get(topic_id, ""),
            "status": status,
            "lat": lat,
            "long": lng,
            "filed_at": filed_at.isoformat(timespec="seconds"),
        }
        for code, topic_id, status, lat, lng, filed_at in rows
    ]


# --- officers --------------------------------------------------------------------------------


def for_agencies(agency_ids: set[int]) -> QuerySet[Report]:
    return Report.objects.filter(agency_id__in=agency_ids).select_related("topic", "agency")


def overdue(agency_ids: set[int], now: dt.datetime | None = None) -> QuerySet[Report]:
    now = now or timezone.now()
    return (
        for_agencies(agency_ids).filter(status__in=OPEN_STATUSES, due_at__lt=now).order_by("due_at")
    )


def due_soon(agency_ids: set[int], now: dt.datetime | None = None) -> QuerySet[Report]:
    now = now or timezone.now()
    until = deadlines.due_soon_until(now)
    return (
        for_agencies(agency_ids)
        .filter(status__in=OPEN_STATUSES, due_at__gte=now, due_at__lte=until)
        .order_by("due_at")
    )


def open_for(agency_ids: set[int]) -> QuerySet[Report]:
    return for_agencies(agency_ids).filter(status__in=OPEN_STATUSES).order_by("due_at")


# --- indicators (DOMAIN.md §9, the "satisfaction" group) -------------------------------------


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def report_indicators(start: dt.datetime, end: dt.datetime) -> dict[str, Any]:
    """Figures of the reports filed in [start, end): how many, classified, handled on time,
    and how satisfied the reporters were with the answers."""
    filed = Report.objects.filter(filed_at__gte=start, filed_at__lt=end)
    figures = filed.aggregate(
        total=Count("id"),
        classified=Count("id", filter=~Q(status=ReportStatus.RECEIVED)),
        answered=Count("id", filter=Q(answered_at__isnull=False)),
        answered_on_time=Count("id", filter=Q(answered_at__isnull=False, answered_late=False)),
        overdue_open=Count(
            "id", filter=Q(status__in=OPEN_STATUSES, answer_due_at__lt=timezone.now())
        ),
        rated=Count("id", filter=Q(rating__isnull=False)),
        rated_satisfied=Count("id", filter=Q(rating=3)),
        rated_dissatisfied=Count("id", filter=Q(rating=1)),
        reopened=Count("id", filter=Q(reopen_count__gt=0)),
    )
    due = figures["answered"] + figures["overdue_open"]
    return {
        **figures,
        # Classified: accepted by the competent agency (or answered), out of all filed.
        "classified_share": _share(figures["classified"], figures["total"]),
        # On time: answered within the legal time, out of those answered or already overdue.
        "on_time_share": _share(figures["answered_on_time"], due),
        "satisfied_share": _share(figures["rated_satisfied"], figures["rated"]),
        "dissatisfied_share": _share(figures["rated_dissatisfied"], figures["rated"]),
    }
