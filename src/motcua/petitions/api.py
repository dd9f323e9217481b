"""The satisfaction indicators of the service-quality index (Decision 766/QĐ-TTg, 2022;
DOMAIN.md §9, the "satisfaction" group) from ratings and reports, as JSON for the dashboard:
``GET /api/v1/indicators/satisfaction/?start=2026-01-01&end=2026-12-31`` (dates inclusive,
Vietnam time; the last 12 months by default). Public: aggregate figures only."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.db.models import Count, F, Q
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from motcua.dossiers.models import Dossier
from motcua.feedback.selectors import ratings_summary

from .selectors import report_indicators

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def _bounds(request: HttpRequest) -> tuple[dt.date, dt.date]:
    today = timezone.localdate()
    raw_start, raw_end = request.GET.get("start", ""), request.GET.get("end", "")
    start = parse_date(raw_start) if raw_start else today - dt.timedelta(days=365)
    end = parse_date(raw_end) if raw_end else today
    if start is None or end is None or start > end:
        raise ValueError
    return start, end


def _overdue_dossier_share(start: dt.datetime, end: dt.datetime) -> float | None:
    """Dossiers finished in the period after their appointment date, out of those finished
    (the index's overdue rate; a second supplement request is not counted here)."""
    figures = Dossier.objects.filter(
        finished_at__gte=start, finished_at__lt=end, due_at__isnull=False
    ).aggregate(
        finished=Count("id"),
        late=Count("id", filter=Q(finished_at__gt=F("due_at"))),
    )
    return round(figures["late"] / figures["finished"], 4) if figures["finished"] else None


@require_GET
def satisfaction_indicators(request: HttpRequest) -> JsonResponse:
    try:
        first, last = _bounds(request)
    except (ValueError, TypeError):
        return JsonResponse(
            {"detail": _("Give start and end as dates (YYYY-MM-DD), start not after end.")},
            status=400,
        )
    start = dt.datetime.combine(first, dt.time.min, tzinfo=VN)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=VN)
    reports = report_indicators(start, end)
    ratings = ratings_summary(start, end)
    overdue = _overdue_dossier_share(start, end)
    dislike = ratings["dissatisfied_share"]
    procedure_satisfaction = (
        round(max(0.0, 1 - ((overdue or 0.0) + (dislike or 0.0))), 4)
        if overdue is not None or dislike is not None
        else None
    )
    return JsonResponse(
        {
            "period": {"start": first.isoformat(), "end": last.isoformat()},
            "indicators": {
                # DOMAIN.md §9, satisfaction: complaints classified; handled on time (the
                # legal time of MOTCUA_PETITION_ANSWER_WORKING_DAYS); satisfaction with their
                # handling; satisfaction with procedures = 100% − (overdue + dislike rates).
                "reports_classified_share": reports["classified_share"],
                "reports_on_time_share": reports["on_time_share"],
                "report_answer_satisfied_share": reports["satisfied_share"],
                "procedure_satisfaction_share": procedure_satisfaction,
                "overdue_dossier_share": overdue,
                "dossier_dislike_share": dislike,
            },
            "reports": reports,
            "ratings": ratings,
        }
    )
