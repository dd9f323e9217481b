"""The official days off and make-up working days of Vietnam, from the ``holidays`` package.

Labour Code 2019 Art. 112 (1/1, Tết 5 days, Hùng Kings 10/3 lunar, 30/4, 1/5, 2/9 and an
adjacent day), 24/11 (Vietnam Culture Day) from 2026, substitute days off, and the government's
yearly swaps of days off for make-up working Saturdays (DOMAIN.md §6).

The package's future years are estimates; ``OFFICIAL_DAYS`` adds the days the project has from
official announcements in case the installed package lacks them. Migration 0002 calls
``vietnam_days``: keep its signature.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

import holidays

from .constants import DayKind


@dataclass(frozen=True)
class OfficialDay:
    date: dt.date
    kind: str
    name: str


# Tết Bính Ngọ 2026: 16–20 February 2026 off for public servants (DOMAIN.md §6).
OFFICIAL_DAYS: tuple[OfficialDay, ...] = (
    OfficialDay(dt.date(2026, 2, 16), DayKind.DAY_OFF.value, "Giao thừa Tết Nguyên Đán"),
    OfficialDay(dt.date(2026, 2, 17), DayKind.DAY_OFF.value, "Tết Nguyên Đán"),
    OfficialDay(dt.date(2026, 2, 18), DayKind.DAY_OFF.value, "Mùng hai Tết Nguyên Đán"),
    OfficialDay(dt.date(2026, 2, 19), DayKind.DAY_OFF.value, "Mùng ba Tết Nguyên Đán"),
    OfficialDay(dt.date(2026, 2, 20), DayKind.DAY_OFF.value, "Mùng bốn Tết Nguyên Đán"),
)


def vietnam_days(years: Iterable[int]) -> list[OfficialDay]:
    """Days off and make-up working days of ``years``, in date order, names in Vietnamese."""
    wanted = sorted(set(years))
    if not wanted:
        return []
    official = holidays.country_holidays("VN", years=wanted, language="vi")
    days: dict[dt.date, OfficialDay] = {
        day: OfficialDay(day, DayKind.DAY_OFF.value, str(name))
        for day, name in official.items()
        if day.year in wanted
    }
    for workday in getattr(official, "weekend_workdays", ()):
        if workday.year in wanted and workday not in days:
            days[workday] = OfficialDay(
                workday, DayKind.WORKING_DAY.value, _make_up_name(workday, days)
            )
    for extra in OFFICIAL_DAYS:
        if extra.date.year in wanted:
            days.setdefault(extra.date, extra)
    return sorted(days.values(), key=lambda day: day.date)


def _make_up_name(workday: dt.date, days: dict[dt.date, OfficialDay]) -> str:
    """Name a make-up working day after the day off it pays for, when the package says which."""
    label = f"{workday:%d/%m/%Y}"
    for day in sorted(days):
        if label in days[day].name:
            return f"Làm việc bù cho ngày nghỉ {day:%d/%m/%Y}"
    return "Ngày làm việc bù"
