"""Properties of the deadline arithmetic over generated calendars (DOMAIN.md §6)."""

import datetime as dt
import math
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from motcua.workcalendar.calendar import (
    VIETNAM,
    WorkingCalendar,
    close_of_day,
    is_working_day,
    next_opening,
    working_hours_between,
)
from motcua.workcalendar.deadlines import (
    CALENDAR_DAYS,
    UNITS,
    WORKING_DAYS,
    WORKING_HOURS,
    Pause,
    add_paused,
    due_at,
)
from motcua.workcalendar.tests.factories import official_calendar

FIRST, LAST = dt.date(2025, 1, 1), dt.date(2027, 6, 30)

days = st.dates(min_value=FIRST, max_value=LAST)
moments = st.datetimes(
    min_value=dt.datetime(2025, 1, 1),
    max_value=dt.datetime(2027, 6, 30, 23, 59),
    timezones=st.just(VIETNAM),
)
limits = st.integers(min_value=0, max_value=60)
OFFICIAL = official_calendar()


@st.composite
def calendars(draw: st.DrawFn) -> WorkingCalendar:
    """The official calendar, or random weekday holidays and make-up weekend days."""
    if draw(st.booleans()):
        return OFFICIAL
    off = draw(st.sets(days.filter(lambda d: d.weekday() < 5), max_size=40))
    extra = draw(st.sets(days.filter(lambda d: d.weekday() >= 5), max_size=10))
    return WorkingCalendar(days_off=off, extra_working_days=extra)


@st.composite
def pauses(draw: st.DrawFn) -> list[Pause]:
    result = []
    for _ in range(draw(st.integers(min_value=0, max_value=3))):
        start = draw(moments)
        result.append(
            (
                start,
                start
                + draw(st.timedeltas(min_value=dt.timedelta(0), max_value=dt.timedelta(days=20))),
            )
        )
    return result


HYPOTHESIS = settings(deadline=None, max_examples=150)


@HYPOTHESIS
@given(calendars(), moments, limits, limits, st.sampled_from(UNITS))
def test_due_at_is_monotonic_in_the_limit(
    cal: WorkingCalendar, received: dt.datetime, a: int, b: int, unit: str
) -> None:
    low, high = sorted((a, b))
    assert due_at(cal, received, low, unit) <= due_at(cal, received, high, unit)


fractional_limits = st.decimals(min_value=0, max_value=30, places=2)


@HYPOTHESIS
@given(calendars(), moments, fractional_limits, fractional_limits, st.sampled_from(UNITS))
def test_due_at_is_monotonic_in_fractional_limits(
    cal: WorkingCalendar, received: dt.datetime, a: Decimal, b: Decimal, unit: str
) -> None:
    low, high = sorted((a, b))
    assert due_at(cal, received, low, unit) <= due_at(cal, received, high, unit)


@HYPOTHESIS
@given(calendars(), moments, fractional_limits, st.sampled_from([WORKING_DAYS, CALENDAR_DAYS]))
def test_a_fraction_of_a_day_falls_between_its_whole_neighbours(
    cal: WorkingCalendar, received: dt.datetime, limit: Decimal, unit: str
) -> None:
    floor, ceiling = math.floor(limit), math.ceil(limit)
    due = due_at(cal, received, limit, unit)
    assert due_at(cal, received, floor, unit) <= due <= due_at(cal, received, ceiling, unit)
    # Within office hours of a working day: a fraction is working time, never a night.
    assert is_working_day(cal, due.date())
    assert working_hours_between(cal, due - dt.timedelta(seconds=1), due) > dt.timedelta(0)


@HYPOTHESIS
@given(calendars(), moments, limits, st.sampled_from([WORKING_DAYS, CALENDAR_DAYS]))
def test_day_limits_fall_due_at_the_close_of_a_working_day(
    cal: WorkingCalendar, received: dt.datetime, limit: int, unit: str
) -> None:
    due = due_at(cal, received, limit, unit)
    assert is_working_day(cal, due.date())
    assert due == close_of_day(cal, due.date())
    assert due.timetz() == dt.time(17, 0, tzinfo=VIETNAM)
    assert due > received


@HYPOTHESIS
@given(calendars(), moments, limits)
def test_working_days_count_exactly_n_working_days_after_acceptance(
    cal: WorkingCalendar, received: dt.datetime, limit: int
) -> None:
    accepted = next_opening(cal, received).date()
    due = due_at(cal, received, limit, WORKING_DAYS).date()
    between = [
        accepted + dt.timedelta(days=n)
        for n in range(1, (due - accepted).days + 1)
        if is_working_day(cal, accepted + dt.timedelta(days=n))
    ]
    assert len(between) == limit


@HYPOTHESIS
@given(calendars(), moments, st.integers(min_value=0, max_value=200), st.booleans())
def test_working_hours_between_undoes_due_at(
    cal: WorkingCalendar, received: dt.datetime, hours: int, at_opening: bool
) -> None:
    start = next_opening(cal, received) if at_opening else received
    due = due_at(cal, start, hours, WORKING_HOURS)
    assert working_hours_between(cal, start, due) == dt.timedelta(hours=hours)


@HYPOTHESIS
@given(calendars(), moments, limits, st.sampled_from(UNITS), pauses())
def test_paused_time_never_brings_a_due_date_forward(
    cal: WorkingCalendar, received: dt.datetime, limit: int, unit: str, paused: list[Pause]
) -> None:
    due = due_at(cal, received, limit, unit)
    moved = add_paused(cal, due, paused)
    assert moved >= due
    if paused:
        assert add_paused(cal, due, paused[:-1]) <= moved


@HYPOTHESIS
@given(calendars(), moments, moments, moments)
def test_working_hours_between_adds_up(
    cal: WorkingCalendar, a: dt.datetime, b: dt.datetime, c: dt.datetime
) -> None:
    a, b, c = sorted((a, b, c))
    assert working_hours_between(cal, a, b) + working_hours_between(cal, b, c) == (
        working_hours_between(cal, a, c)
    )
    assert working_hours_between(cal, c, a) == -working_hours_between(cal, a, c)


@HYPOTHESIS
@given(calendars(), moments)
def test_next_opening_is_within_office_hours_and_stable(
    cal: WorkingCalendar, received: dt.datetime
) -> None:
    opening = next_opening(cal, received)
    assert opening >= received
    assert next_opening(cal, opening) == opening
    assert working_hours_between(cal, received, opening) == dt.timedelta(0)
    assert is_working_day(cal, opening.date())
