"""Reading the working calendar from the database (DOMAIN.md §6)."""

from __future__ import annotations

import datetime as dt

from .calendar import OfficeSchedule, WorkingCalendar
from .constants import DayKind
from .models import CalendarDay, OfficeHours


def load_calendar(on: dt.date | None = None) -> WorkingCalendar:
    """All days off, extra working days and office hours, read now (two queries, no cache).

    Load it once per request or task and pass it to the pure functions of ``calendar`` and
    ``deadlines``. Each day uses the office hours in force on that day; ``on`` pins the office
    hours in force on that date for every day instead (to reproduce a date computed under the
    rules of that day). Without any ``OfficeHours`` row the statutory defaults apply.
    """
    days_off: set[dt.date] = set()
    working: set[dt.date] = set()
    for date, kind in CalendarDay.objects.values_list("date", "kind"):
        (days_off if kind == DayKind.DAY_OFF else working).add(date)
    rows = list(OfficeHours.objects.order_by("valid_from"))
    if on is not None and rows:
        in_force = [row for row in rows if row.valid_from <= on] or rows[:1]
        schedules = [(dt.date.min, _schedule(in_force[-1]))]
    else:
        schedules = [(row.valid_from, _schedule(row)) for row in rows]
    return WorkingCalendar(days_off=days_off, extra_working_days=working, schedules=schedules)


def _schedule(row: OfficeHours) -> OfficeSchedule:
    return OfficeSchedule(
        morning_start=row.morning_start,
        morning_end=row.morning_end,
        afternoon_start=row.afternoon_start,
        afternoon_end=row.afternoon_end,
        paper_cutoff=row.paper_cutoff,
    )
