"""Reads: similar reports before filing, the public map and list, the officers' lists, and
the satisfaction indicators of the service-quality index (DOMAIN.md §9)."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connections, transaction
from django.db.models import Avg, Count, F, Q, QuerySet, Value
from django.db.models.functions import Floor
from django.utils import timezone

from . import deadlines
from .models import OPEN_STATUSES, Report, ReportEvent, ReportStatus, Topic

EARTH_RADIUS_M = 6_371_000.0
# The public map: at most MAP_POINTS reports are sent as points, more as clusters on a grid
# of at most MAP_GRID cells a side; from MAP_POINTS_ZOOM (a few streets) points again, the
# newest MAP_LIMIT. MAP_MAX_ZOOM is the closest zoom of the map's tiles.
MAP_POINTS = 300
MAP_GRID = 48
MAP_POINTS_ZOOM = 18
MAP_MAX_ZOOM = 19
MAP_LIMIT = 500
MAP_BLOCK = 8  # cells a side of a cached block (two map tiles)


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


@dataclass(frozen=True)
class MapView:
    """A box of the public map and the zoom it is seen at, snapped outward to the grid of
    cells that zoom clusters on (so that two views of one place share their cells)."""

    west: float
    south: float
    east: float
    north: float
    zoom: int

    @property
    def cell(self) -> float:
        return cell_degrees(self.zoom)


def cell_degrees(zoom: int) -> float:
    """A cluster cell at ``zoom``: a quarter of a 256-pixel map tile (64 px) in degrees."""
    return 360.0 / 2 ** (zoom + 2)


def map_view(*, west: float, south: float, east: float, north: float, zoom: int | None) -> MapView:
    """The view to answer: the zoom asked for (or the box's own when none), made coarser
    while the box would hold more than ``MAP_GRID`` cells a side (a whole country asked at a
    street's zoom is answered at the country's zoom), and the box snapped to its cells."""
    side = max(east - west, north - south, 1e-9)
    fitting = max(0, math.floor(math.log2(360.0 * MAP_GRID / side)) - 2)
    chosen = min(zoom if zoom is not None else fitting, fitting, MAP_MAX_ZOOM)
    cell = cell_degrees(chosen)
    return MapView(
        west=max(-180.0, math.floor(west / cell) * cell),
        south=max(-90.0, math.floor(south / cell) * cell),
        east=min(180.0, math.ceil(east / cell) * cell),
        north=min(90.0, math.ceil(north / cell) * cell),
        zoom=chosen,
    )


def _open_in(view: MapView) -> QuerySet[Report]:
    # Served by the partial index on the point of open, public reports.
    return Report.objects.filter(
        is_public=True,
        status__in=OPEN_STATUSES,
        latitude__range=(view.south, view.north),
        longitude__range=(view.west, view.east),
    )


def map_version() -> int:
    """Changes with every change of a report (each writes a ``ReportEvent``): the key under
    which the map's answers are cached. One read of the primary key's index."""
    last = ReportEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
    return last or 0


def map_data(view: MapView) -> dict[str, Any]:
    """The public map's data for a view: the open public reports themselves when the view
    holds at most ``MAP_POINTS`` (or at the closest zooms, the newest ``MAP_LIMIT``), else
    clusters: per grid cell of the zoom, how many and their mean point, counted in SQL.

    The answer is small whatever the number of reports (at most ``MAP_GRID``² clusters, mostly
    far fewer). Clusters are cached per block of ``MAP_BLOCK``² cells, per version of the
    reports (``map_version``), for ``MOTCUA_PETITION_MAP_CACHE_SECONDS``: views that pan or
    differ by their screen's size share the blocks they cover, and only the blocks not yet
    cached are counted."""
    box = [view.west, view.south, view.east, view.north]
    answer: dict[str, Any] = {"bbox": box, "zoom": view.zoom, "cell": view.cell}
    if view.zoom >= MAP_POINTS_ZOOM:
        # A few streets: every report, newest first, however many share a door.
        rows = list(_open_in(view).order_by("-filed_at").values_list(*POINT_FIELDS)[:MAP_LIMIT])
        return {**answer, **_points(rows), "truncated": len(rows) == MAP_LIMIT}
    # Is there a report past the MAP_POINTS-th? The scan of the point index alone (no order,
    # no other column) stops there.
    if not _open_in(view).values("latitude")[MAP_POINTS : MAP_POINTS + 1].exists():
        rows = sorted(
            _open_in(view).values_list(*POINT_FIELDS), key=lambda row: row[5], reverse=True
        )
        return {**answer, **_points(rows), "truncated": False}
    clusters = [
        cluster
        for cluster in _clusters_covering(view)
        if view.south <= cluster["lat"] <= view.north and view.west <= cluster["long"] <= view.east
    ]
    return {
        **answer,
        "count": sum(c["count"] for c in clusters),
        "clustered": True,
        "truncated": False,
        "clusters": clusters,
        "reports": [],
    }


POINT_FIELDS = ("code", "topic_id", "status", "latitude", "longitude", "filed_at")


def _points(rows: list[tuple[Any, ...]]) -> dict[str, Any]:
    topic_codes = dict(Topic.objects.values_list("id", "code"))  # a few rows; avoids a join
    reports = [
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
    return {"count": len(reports), "clustered": False, "clusters": [], "reports": reports}


def _clusters_covering(view: MapView) -> list[dict[str, Any]]:
    """The clusters of the blocks the view touches: from the cache, the missing blocks
    counted together in one query and cached (an empty block too)."""
    span = view.cell * MAP_BLOCK
    rows = range(math.floor(view.south / span), math.ceil(view.north / span))
    columns = range(math.floor(view.west / span), math.ceil(view.east / span))
    prefix = f"petitions:map:{map_version()}:{view.zoom}:"
    keys = {f"{prefix}{row}:{column}": (row, column) for row in rows for column in columns}
    cached: dict[str, list[dict[str, Any]]] = cache.get_many(list(keys))
    missing = [block for key, block in keys.items() if key not in cached]
    if missing:
        south = min(row for row, _ in missing) * span
        north = (max(row for row, _ in missing) + 1) * span
        west = min(column for _, column in missing) * span
        east = (max(column for _, column in missing) + 1) * span
        counted: dict[tuple[int, int], list[dict[str, Any]]] = {block: [] for block in missing}
        for cell_row, cell_column, cluster in _clusters(
            MapView(west=west, south=south, east=east, north=north, zoom=view.zoom)
        ):
            block = (cell_row // MAP_BLOCK, cell_column // MAP_BLOCK)
            if block in counted:
                counted[block].append(cluster)
        fresh = {f"{prefix}{row}:{column}": found for (row, column), found in counted.items()}
        cache.set_many(fresh, int(settings.MOTCUA_PETITION_MAP_CACHE_SECONDS))
        cached.update(fresh)
    return [cluster for key in keys for cluster in cached[key]]


def _clusters(view: MapView) -> list[tuple[int, int, dict[str, Any]]]:
    """Open public reports per cell of the view's grid: one GROUP BY in the database; a cell's
    point is the mean of its reports (where they are, not its corner).

    ``COUNT(*)`` (not of the id) lets PostgreSQL read the point index alone. It cannot know
    that tens of thousands of points fall into a few hundred cells and would sort them on
    disk; with enough working memory for this one query it hashes them (half the time)."""
    cell = view.cell
    query = (
        _open_in(view)
        .annotate(
            row=Floor(F("latitude") / Value(cell)),
            column=Floor(F("longitude") / Value(cell)),
        )
        .order_by()
        .values("row", "column")
        .annotate(count=Count("*"), lat=Avg("latitude"), long=Avg("longitude"))
        .values_list("row", "column", "count", "lat", "long")
    )
    with transaction.atomic(using=query.db):
        if connections[query.db].vendor == "postgresql":
            with connections[query.db].cursor() as cursor:
                cursor.execute("SET LOCAL work_mem = '32MB'")
        rows = list(query)
    return [
        (int(row), int(column), {"lat": round(lat, 6), "long": round(lng, 6), "count": count})
        for row, column, count, lat, lng in rows
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
