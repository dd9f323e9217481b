"""Appointment dates: when a time limit runs out, and how paused time moves it (DOMAIN.md §4, §6).

The units are the values of ``motcua.catalog.models.TimeUnit``: ``"working_days"``,
``"calendar_days"`` and ``"working_hours"``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Final

from .calendar import (
    ZERO,
    WorkingCalendar,
    add_working_days,
    add_working_hours,
    close_of_day,
    next_opening,
    working_day_on_or_after,
    working_hours_between,
)

WORKING_DAYS: Final = "working_days"
CALENDAR_DAYS: Final = "calendar_days"
WORKING_HOURS: Final = "working_hours"
UNITS: Final = (WORKING_DAYS, CALENDAR_DAYS, WORKING_HOURS)

Pause = tuple[dt.datetime, dt.datetime]


def due_at(
    calendar: WorkingCalendar,
    received_at: dt.datetime,
    limit: int | Decimal,
    unit: str,
) -> dt.datetime:
    """The appointment moment for a time limit (Decree 118/2025/NĐ-CP; DOMAIN.md §6).

    Acceptance counts from ``next_opening(received_at)``: a dossier received outside office
    hours is accepted at the next opening (DOMAIN.md §6). Call its date the acceptance day.

    - ``working_days``: "a limit in working days counts from the next working day after
      acceptance" (DOMAIN.md §6). Day 1 is the first working day after the acceptance day,
      and the dossier is due at the end of office hours (17:00) of day N. Accepted Thursday
      12/02/2026 10:00 with 3 working days: day 1 is Friday 13/02, the weekend and Tết
      (16–20/02) are skipped, day 2 is Monday 23/02, day 3 Tuesday 24/02 → due 24/02 17:00.
      A limit of 0 is due at the close of the acceptance day.
    - ``calendar_days``: the acceptance day plus N days, at the end of office hours; a date
      that is a day off moves to the next working day (DOMAIN.md §6).
    - ``working_hours``: N hours of working time counted from the acceptance moment, skipping
      lunch, evenings, weekends and days off; fractions of an hour are allowed (the catalogue
      stores limits with one decimal). Received 16:00 with 4 hours → 10:00 on the next
      working day; a count that fills a session exactly ends at its close (11:30 or 17:00).

    The result is an aware datetime in Vietnam time.
    """
    accepted = next_opening(calendar, received_at)
    if unit == WORKING_HOURS:
        if limit < 0:
            raise ValueError("a time limit must not be negative")
        return add_working_hours(calendar, accepted, _hours(limit))
    days = _whole(limit)
    if unit == WORKING_DAYS:
        return close_of_day(calendar, add_working_days(calendar, accepted.date(), days))
    if unit == CALENDAR_DAYS:
        target = accepted.date() + dt.timedelta(days=days)
        return close_of_day(calendar, working_day_on_or_after(calendar, target))
    raise ValueError(f"unknown time unit {unit!r}; expected one of {UNITS}")


def paused_working_time(calendar: WorkingCalendar, pauses: Iterable[Pause]) -> dt.timedelta:
    """Working time covered by the pauses; overlapping pauses count once."""
    total = ZERO
    covered_until: dt.datetime | None = None
    for start, end in sorted(pauses):
        if end < start:
            raise ValueError(f"a pause ends before it starts: {start} → {end}")
        if covered_until is not None and start < covered_until:
            start = covered_until
        if end > start:
            total += working_hours_between(calendar, start, end)
        covered_until = end if covered_until is None else max(covered_until, end)
    return total


def add_paused(calendar: WorkingCalendar, due: dt.datetime, pauses: Iterable[Pause]) -> dt.datetime:
    """Move a due moment by the time the dossier spent paused (DOMAIN.md §4, §6).

    Status 5 (supplement requested) and status 6 (awaiting payment) stop the clock, and the
    paused time is added back to the due date. Precisely: the working time inside the pauses
    (each ``(start, end)`` interval intersected with office hours of working days, overlaps
    counted once) is added to ``due`` in working-hours arithmetic (``add_working_hours``).
    A pause of one full working day moves a 17:00 due moment to 17:00 on the next working
    day; a pause over a weekend or a night adds nothing. The same rule applies whatever the
    limit's unit. An ongoing pause is passed with the current time as its end.

    Never earlier than ``due``: with no paused working time ``due`` is returned unchanged.
    """
    paused = paused_working_time(calendar, pauses)
    if paused == ZERO:
        return due.astimezone(calendar.tz)
    return add_working_hours(calendar, due, paused)


def _hours(limit: int | Decimal) -> dt.timedelta:
    seconds = Decimal(limit) * 3600
    if seconds != seconds.to_integral_value():
        raise ValueError(f"a working-hours limit must be a whole number of seconds: {limit}")
    return dt.timedelta(seconds=int(seconds))


def _whole(limit: int | Decimal) -> int:
    if limit < 0:
        raise ValueError("a time limit must not be negative")
    if Decimal(limit) != Decimal(limit).to_integral_value():
        raise ValueError(f"a limit in days must be a whole number: {limit}")
    return int(limit)
