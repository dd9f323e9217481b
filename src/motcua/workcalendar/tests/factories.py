"""Working-calendar factories and helpers: Vietnam-time datetimes and hand-built calendars."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import factory

from motcua.workcalendar.calendar import VIETNAM, WorkingCalendar
from motcua.workcalendar.constants import DayKind, DaySource
from motcua.workcalendar.models import CalendarDay, OfficeHours
from motcua.workcalendar.sources import vietnam_days


def vn(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    """An aware datetime in Vietnam time."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=VIETNAM)


def official_calendar(years: Iterable[int] = (2025, 2026, 2027)) -> WorkingCalendar:
    """The calendar the data migration seeds, built without the database."""
    days = vietnam_days(years)
    return WorkingCalendar(
        days_off={d.date for d in days if d.kind == DayKind.DAY_OFF},
        extra_working_days={d.date for d in days if d.kind == DayKind.WORKING_DAY},
    )


class CalendarDayFactory(factory.django.DjangoModelFactory[CalendarDay]):
    class Meta:
        model = CalendarDay

    date = factory.Sequence(lambda n: dt.date(2030, 1, 1) + dt.timedelta(days=n))
    kind = DayKind.DAY_OFF
    name = factory.Sequence(lambda n: f"Ngày nghỉ {n}")
    source = DaySource.ADMIN


class OfficeHoursFactory(factory.django.DjangoModelFactory[OfficeHours]):
    class Meta:
        model = OfficeHours

    valid_from = dt.date(2026, 6, 1)
