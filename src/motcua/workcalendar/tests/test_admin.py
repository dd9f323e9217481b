"""Keeping the calendar in the admin (DOMAIN.md §6)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from motcua.accounts.models import User
from motcua.accounts.tests.factories import sign_in_with_second_factor
from motcua.workcalendar.constants import DayKind, DaySource
from motcua.workcalendar.models import CalendarDay, OfficeHours

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client: Client) -> Client:
    user = User.objects.create_superuser("steward", "steward@example.vn", "a-long-passphrase-1")
    sign_in_with_second_factor(client, user)
    return client


def test_calendar_days_are_listed_by_year_and_filtered(admin_client: Client) -> None:
    response = admin_client.get(
        "/admin/workcalendar/calendarday/", {"year": "2026", "kind": "working_day"}
    )
    assert response.status_code == 200
    listed = list(response.context["cl"].queryset)
    assert [day.date for day in listed] == [dt.date(2026, 8, 22)]
    assert "2027" in response.content.decode()  # the year filter offers every seeded year


def test_an_administrator_adds_a_working_saturday(admin_client: Client) -> None:
    response = admin_client.post(
        "/admin/workcalendar/calendarday/add/",
        {"date": "2026-10-10", "kind": "working_day", "name": "Làm việc bù", "notes": ""},
    )
    assert response.status_code == 302
    row = CalendarDay.objects.get(date=dt.date(2026, 10, 10))
    assert (row.kind, row.source) == (DayKind.WORKING_DAY, DaySource.ADMIN)


def test_editing_a_seeded_day_makes_it_an_administrator_row(admin_client: Client) -> None:
    row = CalendarDay.objects.get(date=dt.date(2026, 11, 24))
    response = admin_client.post(
        f"/admin/workcalendar/calendarday/{row.pk}/change/",
        {"date": "2026-11-24", "kind": "working_day", "name": row.name, "notes": "Đi làm"},
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.kind, row.source) == (DayKind.WORKING_DAY, DaySource.ADMIN)


def test_office_hours_pages_open(admin_client: Client) -> None:
    row = OfficeHours.objects.get()
    assert admin_client.get("/admin/workcalendar/officehours/").status_code == 200
    assert admin_client.get(f"/admin/workcalendar/officehours/{row.pk}/change/").status_code == 200


def test_office_hours_must_be_in_order() -> None:
    row = OfficeHours(valid_from=dt.date(2027, 1, 1), morning_end=dt.time(14, 0))
    with pytest.raises(ValidationError):
        row.full_clean()
    row = OfficeHours(valid_from=dt.date(2027, 1, 1), paper_cutoff=dt.time(18, 0))
    with pytest.raises(ValidationError) as caught:
        row.full_clean()
    assert "paper_cutoff" in caught.value.message_dict
    OfficeHours(valid_from=dt.date(2027, 1, 1)).full_clean()
