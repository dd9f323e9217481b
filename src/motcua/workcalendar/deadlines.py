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

    - Fractions of a day (the national procedure database states step durations, and some
      limits, as 0.1, 0.5, 1.9 days; DOMAIN.md §6): a fraction of a working day is that
      fraction of the office hours of the working day after the whole days. 1.9 working days
      from Monday 10:00 is the close of day 1 (Tuesday 17:00) plus 0.9 × 8 hours of Wednesday
      (16:12); 0.1 working days is 48 minutes from the next working day's opening. Whole
      limits keep the close-of-day rule, and the due moment never goes down as the limit
      grows, so steps planned on their cumulative durations end exactly at the case's
      appointment. Calendar days take their fraction the same way, from the working day after
      the whole days' appointment.

    The result is an aware datetime in Vietnam time.
    """
    limit = Decimal(str(limit))
    if limit < 0:
        raise ValueError("a time limit must not be negative")
    accepted = next_opening(calendar, received_at)
    if unit == WORKING_HOURS:
        return add_working_hours(calendar, accepted, _hours(limit))
    whole, fraction = divmod(limit, 1)
    if unit == WORKING_DAYS:
        last_day = add_working_days(calendar, accepted.date(), int(whole))
        day_after = last_day + dt.timedelta(days=1)
    elif unit == CALENDAR_DAYS:
        target = accepted.date() + dt.timedelta(days=int(whole))
        last_day = working_day_on_or_after(calendar, target)
        day_after = target + dt.timedelta(days=1)
    else:
        raise ValueError(f"unknown time unit {unit!r}; expected one of {UNITS}")
    whole_days_due = close_of_day(calendar, last_day)
    if not fraction:
        return whole_days_due
    # A calendar day after the whole ones may be a day off: the fraction then waits for the
    # next working day, and never falls before the whole days' appointment.
    return max(whole_days_due, _fraction_of_a_day(calendar, day_after, fraction))


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


def _fraction_of_a_day(calendar: WorkingCalendar, day: dt.date, fraction: Decimal) -> dt.datetime:
    """``fraction`` of the office hours of ``day`` (or the first working day after it), from
    its opening."""
    working_day = working_day_on_or_after(calendar, day)
    daily = Decimal(int(calendar.schedule_on(working_day).daily.total_seconds()))
    # Whole seconds: 0.01 of an 8-hour day is 288 s; a finer fraction is rounded.
    duration = dt.timedelta(seconds=int((daily * fraction).to_integral_value()))
    opening = next_opening(calendar, dt.datetime.combine(working_day, dt.time.min, calendar.tz))
    return add_working_hours(calendar, opening, duration)


def _hours(limit: Decimal) -> dt.timedelta:
    # Whole seconds, as for fractions of a day (0.01 hour is 36 s).
    return dt.timedelta(seconds=int((limit * 3600).to_integral_value()))
