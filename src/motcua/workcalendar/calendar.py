"""Working days and working hours, as pure functions over a ``WorkingCalendar`` (DOMAIN.md §6).

Nothing here touches the database: ``selectors.load_calendar`` reads the tables once and the
functions below answer from memory, so they are fast, and testable with a calendar built by hand.

Conventions (Decree 118/2025/NĐ-CP; DOMAIN.md §6):

- A working day is Monday–Friday, minus the days off, plus the extra working days (make-up
  Saturdays, or a cancelled day off). A date listed as a day off is never a working day.
- Working time is the union of the office sessions of the working days, each session half-open
  ``[opens, closes)``: 17:00 itself is after hours, 07:00 is within them.
- All arithmetic happens in Vietnam local time (Asia/Ho_Chi_Minh, UTC+7, no daylight saving);
  inputs must be timezone-aware, results are aware datetimes in that zone.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterator, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")

ONE_DAY = dt.timedelta(days=1)
ZERO = dt.timedelta(0)

# How far the arithmetic looks for a working day before deciding the calendar has none
# (a year of days off is a broken calendar, not a long holiday).
MAX_DAYS_WITHOUT_WORK = 366


class CalendarExhausted(ValueError):
    """No working day within ``MAX_DAYS_WITHOUT_WORK`` days: the calendar data is wrong."""


@dataclass(frozen=True)
class OfficeSchedule:
    """Giờ hành chính of one period: two sessions and the paper cut-off (DOMAIN.md §6)."""

    morning_start: dt.time = dt.time(7, 0)
    morning_end: dt.time = dt.time(11, 30)
    afternoon_start: dt.time = dt.time(13, 30)
    afternoon_end: dt.time = dt.time(17, 0)
    paper_cutoff: dt.time = dt.time(15, 0)

    def __post_init__(self) -> None:
        if not (self.morning_start < self.morning_end <= self.afternoon_start < self.afternoon_end):
            raise ValueError(f"office sessions out of order: {self}")

    @property
    def sessions(self) -> tuple[tuple[dt.time, dt.time], ...]:
        return (
            (self.morning_start, self.morning_end),
            (self.afternoon_start, self.afternoon_end),
        )

    @property
    def daily(self) -> dt.timedelta:
        """Working time in one full working day (8 hours by default)."""
        day = dt.date(2000, 1, 1)
        return sum(
            (
                dt.datetime.combine(day, end) - dt.datetime.combine(day, start)
                for start, end in self.sessions
            ),
            ZERO,
        )


DEFAULT_SCHEDULE = OfficeSchedule()


@dataclass(frozen=True)
class WorkingCalendar:
    """Everything the deadline arithmetic needs, loaded once (see ``selectors.load_calendar``).

    ``schedules`` pairs each ``valid_from`` date with its office hours; a day uses the pair with
    the latest ``valid_from`` on or before it, and days before the first pair use the first.
    """

    days_off: AbstractSet[dt.date] = frozenset()
    extra_working_days: AbstractSet[dt.date] = frozenset()
    schedules: Sequence[tuple[dt.date, OfficeSchedule]] = ((dt.date.min, DEFAULT_SCHEDULE),)
    tz: dt.tzinfo = VIETNAM
    _starts: tuple[dt.date, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        days_off = frozenset(self.days_off)
        extra = frozenset(self.extra_working_days)
        if days_off & extra:
            raise ValueError(f"dates both off and working: {sorted(days_off & extra)}")
        schedules = tuple(sorted(self.schedules, key=lambda pair: pair[0]))
        if not schedules:
            schedules = ((dt.date.min, DEFAULT_SCHEDULE),)
        object.__setattr__(self, "days_off", days_off)
        object.__setattr__(self, "extra_working_days", extra)
        object.__setattr__(self, "schedules", schedules)
        object.__setattr__(self, "_starts", tuple(start for start, _ in schedules))

    def schedule_on(self, day: dt.date) -> OfficeSchedule:
        index = bisect.bisect_right(self._starts, day) - 1
        return self.schedules[max(index, 0)][1]


# --- days ------------------------------------------------------------------------------------


def is_working_day(calendar: WorkingCalendar, day: dt.date) -> bool:
    """Monday–Friday minus days off, plus extra working days (DOMAIN.md §6)."""
    if day in calendar.days_off:
        return False
    return day.weekday() < 5 or day in calendar.extra_working_days


def next_working_day(calendar: WorkingCalendar, day: dt.date) -> dt.date:
    """The first working day strictly after ``day``."""
    return working_day_on_or_after(calendar, day + ONE_DAY)


def working_day_on_or_after(calendar: WorkingCalendar, day: dt.date) -> dt.date:
    """``day`` if it is a working day, else the next one (a deadline on a day off moves on)."""
    for offset in range(MAX_DAYS_WITHOUT_WORK):
        candidate = day + offset * ONE_DAY
        if is_working_day(calendar, candidate):
            return candidate
    raise CalendarExhausted(f"no working day within {MAX_DAYS_WITHOUT_WORK} days of {day}")


def add_working_days(calendar: WorkingCalendar, day: dt.date, count: int) -> dt.date:
    """The ``count``-th working day after ``day`` (``day`` itself when ``count`` is 0)."""
    if count < 0:
        raise ValueError("count must not be negative")
    for _ in range(count):
        day = next_working_day(calendar, day)
    return day


def close_of_day(calendar: WorkingCalendar, day: dt.date) -> dt.datetime:
    """End of office hours (17:00 by default) on ``day``, as an aware datetime."""
    return _aware(calendar, dt.datetime.combine(day, calendar.schedule_on(day).afternoon_end))


# --- moments ---------------------------------------------------------------------------------


def next_opening(calendar: WorkingCalendar, moment: dt.datetime) -> dt.datetime:
    """The moment counting starts: ``moment`` itself within office hours, else the next opening.

    A dossier accepted outside office hours counts as accepted at the next opening
    (DOMAIN.md §6): 18:00 on a Friday → 07:00 on Monday; 12:00 → 13:30 the same day;
    17:00 sharp → 07:00 on the next working day.
    """
    return _aware(calendar, _next_opening(calendar, _local(calendar, moment)))


def working_hours_between(
    calendar: WorkingCalendar, start: dt.datetime, end: dt.datetime
) -> dt.timedelta:
    """Working time from ``start`` to ``end``: their overlap with the office sessions.

    Signed: negative when ``end`` is before ``start`` (``working_hours_between(due, now)`` is
    how late a dossier is, or minus the working time left). Returned as a ``timedelta``; use
    ``.total_seconds() / 3600`` for hours.
    """
    a, b = _local(calendar, start), _local(calendar, end)
    if b < a:
        return -_working_time(calendar, b, a)
    return _working_time(calendar, a, b)


def add_working_hours(
    calendar: WorkingCalendar, start: dt.datetime, duration: dt.timedelta
) -> dt.datetime:
    """Count ``duration`` of working time forward from ``next_opening(start)``.

    Lunch breaks, evenings, weekends and days off do not count. A count that uses up a session
    exactly ends at its close (07:00 + 8 hours → 17:00 the same day, not 07:00 the next);
    a zero duration gives ``next_opening(start)``. Received 16:00 with 4 hours → 10:00 on the
    next working day.
    """
    if duration < ZERO:
        raise ValueError("duration must not be negative")
    return _aware(calendar, _add_working_time(calendar, _local(calendar, start), duration))


def paper_transfer_day(calendar: WorkingCalendar, moment: dt.datetime) -> dt.date:
    """The working day a paper hand-over counts on (Decree 118/2025; DOMAIN.md §6).

    Paper transferred after the cut-off (15:00; 15:00 sharp still counts) or on a day off
    counts on the next working day; earlier on a working day, on that day.
    """
    local = _local(calendar, moment)
    day = local.date()
    if is_working_day(calendar, day) and local.time() <= calendar.schedule_on(day).paper_cutoff:
        return day
    return next_working_day(calendar, day)


# --- internals: naive local datetimes --------------------------------------------------------


def _local(calendar: WorkingCalendar, moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"a timezone-aware datetime is required, got {moment!r}")
    return moment.astimezone(calendar.tz).replace(tzinfo=None)


def _aware(calendar: WorkingCalendar, local: dt.datetime) -> dt.datetime:
    return local.replace(tzinfo=calendar.tz)


def _sessions(calendar: WorkingCalendar, day: dt.date) -> Iterator[tuple[dt.datetime, dt.datetime]]:
    if not is_working_day(calendar, day):
        return
    for start, end in calendar.schedule_on(day).sessions:
        yield dt.datetime.combine(day, start), dt.datetime.combine(day, end)


def _sessions_from(
    calendar: WorkingCalendar, moment: dt.datetime
) -> Iterator[tuple[dt.datetime, dt.datetime]]:
    """The sessions still open at or after ``moment``, the first clipped to start at it."""
    day = moment.date()
    idle = 0
    while True:
        found = False
        for start, end in _sessions(calendar, day):
            if end > moment:
                found = True
                yield max(start, moment), end
        idle = 0 if found else idle + 1
        if idle > MAX_DAYS_WITHOUT_WORK:
            raise CalendarExhausted(f"no working time within {MAX_DAYS_WITHOUT_WORK} days")
        day += ONE_DAY


def _next_opening(calendar: WorkingCalendar, moment: dt.datetime) -> dt.datetime:
    start, _ = next(_sessions_from(calendar, moment))
    return start


def _add_working_time(
    calendar: WorkingCalendar, moment: dt.datetime, duration: dt.timedelta
) -> dt.datetime:
    remaining = duration
    for start, end in _sessions_from(calendar, moment):
        if remaining <= end - start:
            return start + remaining
        remaining -= end - start
    raise AssertionError("unreachable: _sessions_from never ends")  # pragma: no cover


def _working_time(calendar: WorkingCalendar, start: dt.datetime, end: dt.datetime) -> dt.timedelta:
    total = ZERO
    day = start.date()
    while day <= end.date():
        for opens, closes in _sessions(calendar, day):
            overlap = min(closes, end) - max(opens, start)
            if overlap > ZERO:
                total += overlap
        day += ONE_DAY
    return total
