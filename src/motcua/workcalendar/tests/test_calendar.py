"""Working days and working hours without the database (Decree 118/2025; DOMAIN.md §6)."""

import datetime as dt

import pytest

from motcua.workcalendar.calendar import (
    CalendarExhausted,
    OfficeSchedule,
    WorkingCalendar,
    add_working_hours,
    close_of_day,
    is_working_day,
    next_opening,
    next_working_day,
    paper_transfer_day,
    working_hours_between,
)
from motcua.workcalendar.tests.factories import official_calendar, vn

CAL = official_calendar()
HOURS = dt.timedelta(hours=1)


def test_weekdays_work_weekends_and_days_off_do_not() -> None:
    assert is_working_day(CAL, dt.date(2026, 3, 6))  # Friday
    assert not is_working_day(CAL, dt.date(2026, 3, 7))  # Saturday
    assert not is_working_day(CAL, dt.date(2026, 3, 8))  # Sunday
    assert not is_working_day(CAL, dt.date(2026, 2, 18))  # Tết, a Wednesday
    assert is_working_day(CAL, dt.date(2026, 8, 22))  # make-up Saturday for 31/08/2026
    assert not is_working_day(CAL, dt.date(2026, 8, 31))


def test_next_working_day_jumps_over_tet_2026() -> None:
    assert next_working_day(CAL, dt.date(2026, 2, 13)) == dt.date(2026, 2, 23)


@pytest.mark.parametrize(
    ("received", "opening"),
    [
        (vn(2026, 3, 10, 9, 15), vn(2026, 3, 10, 9, 15)),  # within hours: itself
        (vn(2026, 3, 10, 7, 0), vn(2026, 3, 10, 7, 0)),  # the opening itself
        (vn(2026, 3, 10, 6, 59), vn(2026, 3, 10, 7, 0)),  # before opening
        (vn(2026, 3, 10, 11, 30), vn(2026, 3, 10, 13, 30)),  # the morning close
        (vn(2026, 3, 10, 12, 0), vn(2026, 3, 10, 13, 30)),  # lunch
        (vn(2026, 3, 10, 17, 0), vn(2026, 3, 11, 7, 0)),  # the afternoon close
        (vn(2026, 3, 10, 20, 0), vn(2026, 3, 11, 7, 0)),  # evening
        (vn(2026, 3, 6, 18, 0), vn(2026, 3, 9, 7, 0)),  # Friday evening → Monday
        (vn(2026, 2, 13, 17, 30), vn(2026, 2, 23, 7, 0)),  # before Tết → after it
    ],
)
def test_next_opening(received: dt.datetime, opening: dt.datetime) -> None:
    assert next_opening(CAL, received) == opening


def test_times_in_another_zone_are_read_as_vietnam_time() -> None:
    utc = dt.datetime(2026, 3, 10, 5, 0, tzinfo=dt.UTC)  # 12:00 in Vietnam: lunch
    result = next_opening(CAL, utc)
    assert result == vn(2026, 3, 10, 13, 30)
    assert result.utcoffset() == dt.timedelta(hours=7)


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        next_opening(CAL, dt.datetime(2026, 3, 10, 9, 0))


def test_working_hours_between_counts_only_office_sessions() -> None:
    # Friday 16:00 → Monday 09:00: 1 hour on Friday, 2 on Monday.
    assert working_hours_between(CAL, vn(2026, 3, 6, 16), vn(2026, 3, 9, 9)) == 3 * HOURS
    # Across lunch: 11:00 → 14:00 is 30 min + 30 min.
    assert working_hours_between(CAL, vn(2026, 3, 10, 11), vn(2026, 3, 10, 14)) == HOURS
    # A full day is 8 hours; Tết week counts nothing.
    assert working_hours_between(CAL, vn(2026, 3, 10), vn(2026, 3, 11)) == 8 * HOURS
    assert working_hours_between(CAL, vn(2026, 2, 14), vn(2026, 2, 22)) == dt.timedelta(0)


def test_working_hours_between_is_signed() -> None:
    assert working_hours_between(CAL, vn(2026, 3, 9, 9), vn(2026, 3, 6, 16)) == -3 * HOURS


def test_adding_working_hours_ends_at_a_session_close_when_it_fills_it() -> None:
    assert add_working_hours(CAL, vn(2026, 3, 10, 7), 8 * HOURS) == vn(2026, 3, 10, 17)
    assert add_working_hours(CAL, vn(2026, 3, 10, 7), 4.5 * HOURS) == vn(2026, 3, 10, 11, 30)
    assert add_working_hours(CAL, vn(2026, 3, 10, 20), dt.timedelta(0)) == vn(2026, 3, 11, 7)


@pytest.mark.parametrize(
    ("moment", "day"),
    [
        (vn(2026, 3, 10, 6, 30), dt.date(2026, 3, 10)),
        (vn(2026, 3, 10, 15, 0), dt.date(2026, 3, 10)),  # 15:00 sharp is not "after 15:00"
        (vn(2026, 3, 10, 15, 1), dt.date(2026, 3, 11)),
        (vn(2026, 3, 6, 16, 0), dt.date(2026, 3, 9)),  # Friday afternoon → Monday
        (vn(2026, 3, 7, 9, 0), dt.date(2026, 3, 9)),  # Saturday → Monday
        (vn(2026, 2, 19, 9, 0), dt.date(2026, 2, 23)),  # Tết → after it
    ],
)
def test_paper_after_the_cutoff_counts_the_next_working_day(
    moment: dt.datetime, day: dt.date
) -> None:
    assert paper_transfer_day(CAL, moment) == day


def test_office_hours_follow_their_valid_from_date() -> None:
    summer = OfficeSchedule(afternoon_start=dt.time(14, 0), afternoon_end=dt.time(17, 30))
    cal = WorkingCalendar(
        schedules=[(dt.date(2025, 7, 1), OfficeSchedule()), (dt.date(2026, 6, 1), summer)]
    )
    assert close_of_day(cal, dt.date(2026, 5, 29)) == vn(2026, 5, 29, 17, 0)
    assert close_of_day(cal, dt.date(2026, 6, 1)) == vn(2026, 6, 1, 17, 30)
    assert close_of_day(cal, dt.date(2020, 1, 2)) == vn(2020, 1, 2, 17, 0)  # before the first
    assert next_opening(cal, vn(2026, 6, 1, 13, 45)) == vn(2026, 6, 1, 14, 0)
    assert summer.daily == 8 * HOURS


def test_a_calendar_refuses_contradictions_and_disordered_sessions() -> None:
    with pytest.raises(ValueError):
        WorkingCalendar(days_off={dt.date(2026, 1, 3)}, extra_working_days={dt.date(2026, 1, 3)})
    with pytest.raises(ValueError):
        OfficeSchedule(morning_end=dt.time(14, 0))


def test_a_calendar_without_working_days_is_reported_not_looped_on() -> None:
    start = dt.date(2026, 1, 1)
    cal = WorkingCalendar(days_off={start + dt.timedelta(days=n) for n in range(800)})
    with pytest.raises(CalendarExhausted):
        next_opening(cal, vn(2026, 1, 1, 9))
    with pytest.raises(CalendarExhausted):
        next_working_day(cal, start)
