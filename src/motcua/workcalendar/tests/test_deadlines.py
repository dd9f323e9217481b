"""Appointment dates and paused time (Decree 118/2025; DOMAIN.md §4, §6), without the database."""

import datetime as dt
from decimal import Decimal

import pytest

from motcua.catalog.models import TimeUnit
from motcua.workcalendar.calendar import WorkingCalendar
from motcua.workcalendar.deadlines import (
    CALENDAR_DAYS,
    UNITS,
    WORKING_DAYS,
    WORKING_HOURS,
    add_paused,
    due_at,
    paused_working_time,
)
from motcua.workcalendar.tests.factories import official_calendar, vn

CAL = official_calendar()
HOURS = dt.timedelta(hours=1)


def test_units_are_the_catalogue_time_units() -> None:
    assert set(UNITS) == set(TimeUnit.values)
    assert due_at(CAL, vn(2026, 3, 10, 9), 1, TimeUnit.WORKING_DAYS) == vn(2026, 3, 11, 17)


def test_three_working_days_across_tet_2026() -> None:
    # Accepted Thursday 12/02/2026 10:00. Counting starts the next working day:
    # day 1 = Friday 13/02; 14–15/02 weekend, 16–20/02 Tết, 21–22/02 weekend;
    # day 2 = Monday 23/02; day 3 = Tuesday 24/02 → due at the close, 17:00.
    assert due_at(CAL, vn(2026, 2, 12, 10), 3, WORKING_DAYS) == vn(2026, 2, 24, 17)


def test_working_days_skip_a_weekend() -> None:
    assert due_at(CAL, vn(2026, 3, 6, 10), 1, WORKING_DAYS) == vn(2026, 3, 9, 17)
    assert due_at(CAL, vn(2026, 3, 6, 10), 2, WORKING_DAYS) == vn(2026, 3, 10, 17)


def test_a_make_up_saturday_counts() -> None:
    # 22/08/2026 is worked in exchange for Monday 31/08/2026 (holidays package).
    assert due_at(CAL, vn(2026, 8, 21, 10), 1, WORKING_DAYS) == vn(2026, 8, 22, 17)
    # From Friday 28/08: Saturday–Wednesday are off (weekend, 31/08, 1/9, 2/9).
    assert due_at(CAL, vn(2026, 8, 28, 10), 1, WORKING_DAYS) == vn(2026, 9, 3, 17)


def test_a_receipt_outside_hours_is_accepted_at_the_next_opening() -> None:
    # 20:00 Friday → accepted Monday 07:00 → day 1 is Tuesday.
    assert due_at(CAL, vn(2026, 3, 6, 20), 1, WORKING_DAYS) == vn(2026, 3, 10, 17)
    assert due_at(CAL, vn(2026, 3, 6, 20), 4, WORKING_HOURS) == vn(2026, 3, 9, 11)
    # 12:00 (lunch) → accepted 13:30 the same day: still that day for working days.
    assert due_at(CAL, vn(2026, 3, 10, 12), 1, WORKING_DAYS) == vn(2026, 3, 11, 17)
    assert due_at(CAL, vn(2026, 3, 10, 12), 2, WORKING_HOURS) == vn(2026, 3, 10, 15, 30)
    # 13:30–17:00 is 3.5 hours; the last half hour runs from 07:00 the next day.
    assert due_at(CAL, vn(2026, 3, 10, 12), 4, WORKING_HOURS) == vn(2026, 3, 11, 7, 30)


def test_an_afternoon_receipt_in_working_hours() -> None:
    # 16:30 with 4 hours: 30 minutes today, 3.5 hours from 07:00 tomorrow → 10:30.
    assert due_at(CAL, vn(2026, 3, 10, 16, 30), 4, WORKING_HOURS) == vn(2026, 3, 11, 10, 30)
    assert due_at(CAL, vn(2026, 3, 10, 16), 4, WORKING_HOURS) == vn(2026, 3, 11, 10)
    # Fractions of an hour, as the catalogue stores them (one decimal).
    assert due_at(CAL, vn(2026, 3, 10, 10), Decimal("1.5"), WORKING_HOURS) == vn(
        2026, 3, 10, 11, 30
    )
    assert due_at(CAL, vn(2026, 3, 10, 10), Decimal("2.5"), WORKING_HOURS) == vn(
        2026, 3, 10, 14, 30
    )


def test_calendar_days_landing_on_a_holiday_move_to_the_next_working_day() -> None:
    # 15/04/2026 + 15 days = Thursday 30/04 (holiday); 1/05 holiday; weekend → Monday 4/05.
    assert due_at(CAL, vn(2026, 4, 15, 10), 15, CALENDAR_DAYS) == vn(2026, 5, 4, 17)
    # Landing on a plain working day stays there.
    assert due_at(CAL, vn(2026, 3, 2, 10), 10, CALENDAR_DAYS) == vn(2026, 3, 12, 17)
    # Landing on a Saturday → Monday.
    assert due_at(CAL, vn(2026, 3, 2, 10), 5, CALENDAR_DAYS) == vn(2026, 3, 9, 17)


def test_zero_limits_mean_the_same_day() -> None:
    assert due_at(CAL, vn(2026, 3, 10, 9), 0, WORKING_DAYS) == vn(2026, 3, 10, 17)
    assert due_at(CAL, vn(2026, 3, 10, 18), 0, WORKING_DAYS) == vn(2026, 3, 11, 17)
    assert due_at(CAL, vn(2026, 3, 10, 18), 0, WORKING_HOURS) == vn(2026, 3, 11, 7)


def test_fractions_of_a_working_day_are_that_fraction_of_its_office_hours() -> None:
    # Accepted Monday 09/03/2026 10:00; counting starts Tuesday 07:00 (DOMAIN.md §6).
    monday = vn(2026, 3, 9, 10)
    # 0.1 day = 48 minutes of Tuesday.
    assert due_at(CAL, monday, Decimal("0.1"), WORKING_DAYS) == vn(2026, 3, 10, 7, 48)
    # 0.5 day = 4 hours: the 4.5-hour morning session is not used up.
    assert due_at(CAL, monday, Decimal("0.5"), WORKING_DAYS) == vn(2026, 3, 10, 11)
    # 0.62 day = 4 h 57 min 36 s: past lunch, 27 min 36 s into the afternoon.
    seconds = dt.timedelta(seconds=36)
    assert due_at(CAL, monday, Decimal("0.62"), WORKING_DAYS) == vn(2026, 3, 10, 13, 57) + seconds
    # 1.9 days = close of Tuesday + 7.2 hours of Wednesday = 16:12.
    assert due_at(CAL, monday, Decimal("1.9"), WORKING_DAYS) == vn(2026, 3, 11, 16, 12)
    # Whole limits keep the close-of-day rule.
    assert due_at(CAL, monday, Decimal("1.0"), WORKING_DAYS) == vn(2026, 3, 10, 17)
    assert due_at(CAL, monday, 2, WORKING_DAYS) == vn(2026, 3, 11, 17)


def test_a_fraction_skips_weekends_and_holidays_like_whole_days() -> None:
    # Accepted Thursday 12/02/2026 (before Tết): 1.5 days = close of Friday 13/02 + half of
    # the next working day, Monday 23/02 after the weekend and Tết → 11:00.
    assert due_at(CAL, vn(2026, 2, 12, 10), Decimal("1.5"), WORKING_DAYS) == vn(2026, 2, 23, 11)


def test_fractions_of_calendar_days_and_working_hours() -> None:
    # 10.5 calendar days from Monday 02/03/2026: close of Thursday 12/03 + half of Friday.
    assert due_at(CAL, vn(2026, 3, 2, 10), Decimal("10.5"), CALENDAR_DAYS) == vn(2026, 3, 13, 11)
    # 0.25 working hours = 15 minutes.
    assert due_at(CAL, vn(2026, 3, 10, 9), Decimal("0.25"), WORKING_HOURS) == vn(2026, 3, 10, 9, 15)


def test_steps_planned_on_cumulative_fractions_end_at_the_case_appointment() -> None:
    # Đăng ký khai sinh in the demo catalogue: 1 working day as 0.12 + 0.62 + 0.26.
    received = vn(2026, 3, 9, 14, 25)
    ends = [
        due_at(CAL, received, Decimal(cumulative), WORKING_DAYS)
        for cumulative in ("0.12", "0.74", "1.00")
    ]
    assert ends == sorted(ends)
    assert ends[-1] == due_at(CAL, received, 1, WORKING_DAYS) == vn(2026, 3, 10, 17)


def test_bad_limits_are_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        due_at(CAL, vn(2026, 3, 10, 9), -1, CALENDAR_DAYS)
    with pytest.raises(ValueError, match="negative"):
        due_at(CAL, vn(2026, 3, 10, 9), -1, WORKING_HOURS)
    with pytest.raises(ValueError, match="unknown time unit"):
        due_at(CAL, vn(2026, 3, 10, 9), 1, "fortnights")


def test_a_supplement_pause_adds_back_its_working_hours() -> None:
    due = due_at(CAL, vn(2026, 2, 12, 10), 3, WORKING_DAYS)  # 24/02/2026 17:00
    # Paused Monday 23/02 15:00 → Tuesday 24/02 09:00: 2 h + 2 h of office time.
    pause = (vn(2026, 2, 23, 15), vn(2026, 2, 24, 9))
    assert paused_working_time(CAL, [pause]) == 4 * HOURS
    # 4 working hours after Tuesday 17:00 → Wednesday 11:00.
    assert add_paused(CAL, due, [pause]) == vn(2026, 2, 25, 11)


def test_a_full_working_day_of_pause_moves_the_due_date_one_working_day() -> None:
    due = vn(2026, 3, 13, 17)  # Friday
    pause = (vn(2026, 3, 10, 7), vn(2026, 3, 10, 17))
    assert add_paused(CAL, due, [pause]) == vn(2026, 3, 16, 17)


def test_pauses_outside_office_hours_or_overlapping_count_once() -> None:
    due = vn(2026, 3, 13, 17)
    weekend = (vn(2026, 3, 7, 0), vn(2026, 3, 9, 7))
    assert add_paused(CAL, due, [weekend]) == due
    assert add_paused(CAL, due, []) == due
    overlapping = [
        (vn(2026, 3, 10, 8), vn(2026, 3, 10, 10)),
        (vn(2026, 3, 10, 9), vn(2026, 3, 10, 11)),
    ]
    assert paused_working_time(CAL, overlapping) == 3 * HOURS
    nested = [(vn(2026, 3, 10, 8), vn(2026, 3, 10, 16)), (vn(2026, 3, 10, 9), vn(2026, 3, 10, 10))]
    assert paused_working_time(CAL, nested) == 6 * HOURS
    with pytest.raises(ValueError, match="ends before"):
        paused_working_time(CAL, [(vn(2026, 3, 10, 9), vn(2026, 3, 10, 8))])


def test_a_hand_built_calendar_is_enough() -> None:
    cal = WorkingCalendar(days_off={dt.date(2026, 3, 11)})
    assert due_at(cal, vn(2026, 3, 10, 9), 1, WORKING_DAYS) == vn(2026, 3, 12, 17)
