"""The seeded calendar in the database, seeding, and loading (DOMAIN.md §6)."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from motcua.workcalendar.calendar import is_working_day
from motcua.workcalendar.constants import DayKind, DaySource
from motcua.workcalendar.deadlines import WORKING_DAYS, due_at
from motcua.workcalendar.models import CalendarDay, OfficeHours
from motcua.workcalendar.selectors import load_calendar
from motcua.workcalendar.services import seed_calendar
from motcua.workcalendar.sources import OfficialDay, vietnam_days
from motcua.workcalendar.tests.factories import CalendarDayFactory, OfficeHoursFactory, vn

pytestmark = pytest.mark.django_db


def off(year: int, month: int, day: int) -> CalendarDay:
    return CalendarDay.objects.get(date=dt.date(year, month, day), kind=DayKind.DAY_OFF)


def test_the_migration_seeds_the_official_days_off_of_2026() -> None:
    for month, day in [(1, 1), (4, 30), (5, 1), (9, 1), (9, 2), (11, 24)]:
        assert off(2026, month, day).source == DaySource.HOLIDAYS
    assert off(2026, 11, 24).name == "Ngày Văn hóa Việt Nam"
    tet = CalendarDay.objects.filter(
        date__range=(dt.date(2026, 2, 16), dt.date(2026, 2, 20)), kind=DayKind.DAY_OFF
    )
    assert tet.count() == 5
    assert off(2026, 2, 17).name == "Tết Nguyên Đán"
    # Hùng Kings' day falls on Sunday 26/04/2026: Monday 27/04 is the substitute day off.
    assert off(2026, 4, 27)
    # The swap of 2026: work Saturday 22/08, rest Monday 31/08.
    assert off(2026, 8, 31)
    saturday = CalendarDay.objects.get(date=dt.date(2026, 8, 22))
    assert saturday.kind == DayKind.WORKING_DAY
    assert saturday.name == "Làm việc bù cho ngày nghỉ 31/08/2026"
    assert CalendarDay.objects.filter(date__year=2025).exists()
    assert CalendarDay.objects.filter(date__year=2027).exists()


def test_the_migration_seeds_the_default_office_hours() -> None:
    row = OfficeHours.objects.get()
    assert (row.morning_start, row.morning_end) == (dt.time(7), dt.time(11, 30))
    assert (row.afternoon_start, row.afternoon_end) == (dt.time(13, 30), dt.time(17))
    assert row.paper_cutoff == dt.time(15)


def test_tet_2026_from_the_database() -> None:
    cal = load_calendar()
    assert due_at(cal, vn(2026, 2, 12, 10), 3, WORKING_DAYS) == vn(2026, 2, 24, 17)


def test_a_working_saturday_added_by_an_administrator_counts() -> None:
    received = vn(2026, 10, 9, 10)  # Friday
    assert due_at(load_calendar(), received, 1, WORKING_DAYS) == vn(2026, 10, 12, 17)
    CalendarDayFactory.create(
        date=dt.date(2026, 10, 10), kind=DayKind.WORKING_DAY, name="Làm việc bù"
    )
    assert due_at(load_calendar(), received, 1, WORKING_DAYS) == vn(2026, 10, 10, 17)


def test_an_administrator_can_cancel_a_seeded_day_off() -> None:
    row = off(2026, 11, 24)
    row.kind, row.source = DayKind.WORKING_DAY, DaySource.ADMIN
    row.save()
    assert is_working_day(load_calendar(), dt.date(2026, 11, 24))
    seed_calendar(years=[2026])
    assert CalendarDay.objects.get(date=dt.date(2026, 11, 24)).kind == DayKind.WORKING_DAY


def test_seeding_is_idempotent_and_keeps_administrator_rows() -> None:
    admin_row = CalendarDayFactory.create(date=dt.date(2026, 12, 31), name="Ngày nghỉ riêng")
    report = seed_calendar(years=[2025, 2026, 2027])
    assert (report.created, report.updated, report.removed) == (0, 0, 0)
    assert CalendarDay.objects.get(pk=admin_row.pk).name == "Ngày nghỉ riêng"


def test_seeding_follows_corrected_package_data_but_not_administrator_rows() -> None:
    CalendarDay.objects.filter(date=dt.date(2026, 4, 30)).update(
        name="Sửa bởi quản trị", source=DaySource.ADMIN
    )
    corrected = [
        OfficialDay(dt.date(2026, 1, 1), DayKind.DAY_OFF, "Tết Dương lịch (đã sửa)"),
        OfficialDay(dt.date(2026, 1, 2), DayKind.DAY_OFF, "Nghỉ thêm"),
        OfficialDay(dt.date(2026, 4, 30), DayKind.DAY_OFF, "Ngày Chiến thắng"),
    ]
    report = seed_calendar(years=[2026], days=corrected)
    assert (report.created, report.updated, report.kept) == (1, 1, 1)
    assert report.removed == len(vietnam_days([2026])) - 2  # all but 1/1 and the admin row
    assert CalendarDay.objects.get(date=dt.date(2026, 4, 30)).name == "Sửa bởi quản trị"
    assert CalendarDay.objects.get(date=dt.date(2026, 1, 1)).name == "Tết Dương lịch (đã sửa)"
    assert CalendarDay.objects.filter(date__year=2025).exists()  # other years untouched


def test_the_seed_command_reports_what_it_did() -> None:
    CalendarDay.objects.filter(date__year=2028).delete()
    out = StringIO()
    call_command("seed_calendar", "--years", "2028", stdout=out)
    created = CalendarDay.objects.filter(date__year=2028, source=DaySource.HOLIDAYS).count()
    assert created >= 11
    assert f"{created} created" in out.getvalue()


def test_load_calendar_uses_the_office_hours_of_each_day_or_those_pinned() -> None:
    OfficeHoursFactory.create(
        valid_from=dt.date(2026, 6, 1),
        afternoon_start=dt.time(14, 0),
        afternoon_end=dt.time(17, 30),
    )
    received = vn(2026, 5, 28, 10)  # Thursday; day 2 is Monday 1/06
    assert due_at(load_calendar(), received, 1, WORKING_DAYS) == vn(2026, 5, 29, 17)
    assert due_at(load_calendar(), received, 2, WORKING_DAYS) == vn(2026, 6, 1, 17, 30)
    pinned = load_calendar(on=dt.date(2026, 5, 28))
    assert due_at(pinned, received, 2, WORKING_DAYS) == vn(2026, 6, 1, 17)
    early = load_calendar(on=dt.date(2020, 1, 1))  # before every row: the first one
    assert due_at(early, received, 2, WORKING_DAYS) == vn(2026, 6, 1, 17)


def test_without_office_hours_rows_the_statutory_defaults_apply() -> None:
    OfficeHours.objects.all().delete()
    assert due_at(load_calendar(), vn(2026, 3, 10, 16), 1, WORKING_DAYS) == vn(2026, 3, 11, 17)
