"""Measured reduction of documents asked of people (DOMAIN.md §8, §9 indicator 4.3).

Per procedure, receiving agency and month of filing:

- ``dossiers``: dossiers filed;
- ``reused``: components given from the applicant's data store instead of an upload;
- ``fetched``: components the agency took from a national database itself;
- ``uploaded``: files uploaded at filing (supplements not counted);
- ``documents_saved``: ``reused + fetched``, documents the applicant no longer brought;
- ``trips_saved``: distinct (dossier, issuer) among those documents: one trip to an issuing
  office saved for each (two documents of one issuer would have been fetched in one trip);
- ``dossiers_reusing``: dossiers with at least one reused (stored or digitised) or fetched
  component, and ``reuse_share`` = ``dossiers_reusing / dossiers`` (the index's indicator 4.3
  counts dossiers reusing at least one digitised component; full marks at 80%).

Read from live rows for one month (indexed by the dossiers' filing time); a nightly fact table
is the next step when the dashboard reads it often.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import asdict, dataclass
from typing import Any

from django.db.models import Count
from django.utils import timezone

from motcua.dossiers.models import Attachment, Dossier

from .models import Reuse


@dataclass
class Row:
    procedure_code: str
    procedure_name: str
    agency_code: str
    agency_name: str
    month: str
    dossiers: int = 0
    reused: int = 0
    fetched: int = 0
    uploaded: int = 0
    documents_saved: int = 0
    trips_saved: int = 0
    dossiers_reusing: int = 0

    @property
    def reuse_share(self) -> float:
        return round(self.dossiers_reusing / self.dossiers, 4) if self.dossiers else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "reuse_share": self.reuse_share}


def month_bounds(month: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """The month's first instant and the next month's, in the platform's time zone."""
    start = datetime.date(month.year, month.month, 1)
    end = datetime.date(start.year + (start.month == 12), start.month % 12 + 1, 1)
    zone = timezone.get_current_timezone()
    return (
        datetime.datetime.combine(start, datetime.time.min, zone),
        datetime.datetime.combine(end, datetime.time.min, zone),
    )


def reduction(month: datetime.date) -> list[Row]:
    """One row per procedure and receiving agency with dossiers filed in ``month``."""
    start, end = month_bounds(month)
    label = f"{month:%Y-%m}"
    dossiers = Dossier.objects.filter(submitted_at__gte=start, submitted_at__lt=end)
    rows: dict[tuple[int, int], Row] = {}
    keys: dict[int, tuple[int, int]] = {}
    for pk, procedure_id, code, name, agency_id, agency_code, agency_name in dossiers.values_list(
        "pk",
        "procedure_id",
        "procedure__code",
        "procedure__name",
        "receiving_agency_id",
        "receiving_agency__code",
        "receiving_agency__name",
    ):
        key = (procedure_id, agency_id)
        if key not in rows:
            rows[key] = Row(code, name, agency_code, agency_name, label)
        rows[key].dossiers += 1
        keys[pk] = key
    uploads = (
        Attachment.objects.filter(dossier__in=dossiers, for_supplement=False)
        .values("dossier_id")
        .annotate(n=Count("id"))
    )
    for entry in uploads:
        rows[keys[entry["dossier_id"]]].uploaded += entry["n"]
    reusing: dict[int, set[str]] = defaultdict(set)
    for dossier_id, by_agency, issuer in Reuse.objects.filter(dossier__in=dossiers).values_list(
        "dossier_id", "fetched_by_agency", "document__issuer"
    ):
        row = rows[keys[dossier_id]]
        if by_agency:
            row.fetched += 1
        else:
            row.reused += 1
        row.documents_saved += 1
        reusing[dossier_id].add(issuer)
    for dossier_id, issuers in reusing.items():
        row = rows[keys[dossier_id]]
        row.dossiers_reusing += 1
        row.trips_saved += len(issuers)
    return sorted(rows.values(), key=lambda r: (r.procedure_code, r.agency_code))


def totals(rows: list[Row], month: datetime.date) -> Row:
    total = Row("", "", "", "", f"{month:%Y-%m}")
    for row in rows:
        for name in (
            "dossiers",
            "reused",
            "fetched",
            "uploaded",
            "documents_saved",
            "trips_saved",
            "dossiers_reusing",
        ):
            setattr(total, name, getattr(total, name) + getattr(row, name))
    return total


def parse_month(text: str | None) -> datetime.date | None:
    """``YYYY-MM`` → its first day; empty → this month; anything else → None."""
    if not text:
        today = timezone.localdate()
        return datetime.date(today.year, today.month, 1)
    try:
        parsed = datetime.datetime.strptime(text.strip(), "%Y-%m").date()
    except ValueError:
        return None
    return parsed if 2000 <= parsed.year <= 2100 else None
