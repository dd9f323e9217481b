"""Writes to the working calendar: seeding the official days off (DOMAIN.md §6)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction

from .constants import DaySource
from .models import CalendarDay
from .sources import OfficialDay, vietnam_days


@dataclass(frozen=True)
class SeedReport:
    created: int = 0
    updated: int = 0
    removed: int = 0
    kept: int = 0  # administrator rows left as they are


@transaction.atomic
def seed_calendar(*, years: Iterable[int], days: Iterable[OfficialDay] | None = None) -> SeedReport:
    """Bring the official rows of ``years`` in line with the ``holidays`` package (DOMAIN.md §6).

    Rows an administrator created or edited (source ``admin``) are never changed. Official rows
    are created, updated when the package renamed or re-kinded them, and removed when the
    package no longer lists their date (a corrected estimate). Idempotent. ``days`` replaces the
    package data (tests).
    """
    wanted = sorted(set(years))
    official = {day.date: day for day in (vietnam_days(wanted) if days is None else days)}
    existing = {
        row.date: row
        for row in CalendarDay.objects.select_for_update().filter(date__year__in=wanted)
    }
    created = updated = removed = kept = 0
    for date, day in official.items():
        row = existing.get(date)
        if row is None:
            CalendarDay.objects.create(
                date=date, kind=day.kind, name=day.name, source=DaySource.HOLIDAYS
            )
            created += 1
        elif row.source != DaySource.HOLIDAYS:
            kept += 1
        elif (row.kind, row.name) != (day.kind, day.name):
            row.kind, row.name = day.kind, day.name
            row.save(update_fields=["kind", "name", "updated_at"])
            updated += 1
    for date, row in existing.items():
        if row.source == DaySource.HOLIDAYS and date not in official:
            row.delete()
            removed += 1
    return SeedReport(created=created, updated=updated, removed=removed, kept=kept)
