"""Seed the official days off of 2025–2027 and the default office hours (DOMAIN.md §6).

Every fresh database (tests included) gets a working calendar; later years come from
``manage.py seed_calendar --years …``. Existing rows are never overwritten.
"""

import datetime

from django.db import migrations

YEARS = (2025, 2026, 2027)


def seed(apps, schema_editor):
    from motcua.workcalendar.sources import vietnam_days

    CalendarDay = apps.get_model("workcalendar", "CalendarDay")
    OfficeHours = apps.get_model("workcalendar", "OfficeHours")
    existing = set(CalendarDay.objects.values_list("date", flat=True))
    CalendarDay.objects.bulk_create(
        [
            CalendarDay(date=day.date, kind=day.kind, name=day.name, source="holidays")
            for day in vietnam_days(YEARS)
            if day.date not in existing
        ]
    )
    if not OfficeHours.objects.exists():
        OfficeHours.objects.create(
            valid_from=datetime.date(2025, 7, 1),
            morning_start=datetime.time(7, 0),
            morning_end=datetime.time(11, 30),
            afternoon_start=datetime.time(13, 30),
            afternoon_end=datetime.time(17, 0),
            paper_cutoff=datetime.time(15, 0),
            notes="Decree 118/2025/NĐ-CP, in force 1 July 2025 (DOMAIN.md §6).",
        )


def unseed(apps, schema_editor):
    CalendarDay = apps.get_model("workcalendar", "CalendarDay")
    CalendarDay.objects.filter(source="holidays", date__year__in=YEARS).delete()


class Migration(migrations.Migration):
    dependencies = [("workcalendar", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
