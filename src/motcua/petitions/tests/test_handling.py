"""Handling on time: deadlines counted in working days across holidays, forwarding by a desk
that is not competent, the answer published without personal data, rating and one reopening,
the officers' due-soon and overdue lists, and escalation to the leader when overdue."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from motcua.accounts.tests.factories import UserFactory, sign_in_with_second_factor
from motcua.agencies.tests.factories import AgencyFactory
from motcua.errors import DomainError
from motcua.notifications.models import OutboxMessage
from motcua.petitions import deadlines, services
from motcua.petitions.access import Reporter
from motcua.petitions.models import EventKind, Report, ReportStatus
from motcua.workcalendar.services import seed_calendar

from .factories import file_report, officer, topic

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")


def test_deadlines_skip_weekends_and_tet(settings: object) -> None:
    seed_calendar(years=[2026])
    # Thursday 12/02/2026 10:00, the day before Tết's days off (16–20/02).
    received = dt.datetime(2026, 2, 12, 10, 0, tzinfo=VN)
    # 5 working days: Fri 13, (weekend, Tết 16–20, weekend), Mon 23, Tue 24, Wed 25, Thu 26.
    assert deadlines.forward_due(received) == dt.datetime(2026, 2, 26, 17, 0, tzinfo=VN)
    # 15 working days: … Thu 26/02 is day 5, then 10 more: Fri 27/02 … Thu 12/03.
    assert deadlines.answer_due(received) == dt.datetime(2026, 3, 12, 17, 0, tzinfo=VN)
    # Across 30/4–1/5 (Thursday, Friday): received Wednesday 29/04 16:00.
    received = dt.datetime(2026, 4, 29, 16, 0, tzinfo=VN)
    assert deadlines.forward_due(received) == dt.datetime(2026, 5, 8, 17, 0, tzinfo=VN)


def test_the_limits_come_from_settings(settings: object) -> None:
    seed_calendar(years=[2026])
    settings.MOTCUA_PETITION_FORWARD_WORKING_DAYS = 1  # type: ignore[attr-defined]
    received = dt.datetime(2026, 2, 12, 10, 0, tzinfo=VN)
    assert deadlines.forward_due(received) == dt.datetime(2026, 2, 13, 17, 0, tzinfo=VN)


def test_a_report_filed_carries_its_deadlines() -> None:
    report = file_report()
    assert report.forward_due_at == deadlines.forward_due(report.filed_at)
    assert report.answer_due_at == deadlines.answer_due(report.filed_at)
    assert report.due_at == report.forward_due_at


def test_forward_accept_answer_rate_and_reopen_once() -> None:
    desk = AgencyFactory.create()
    competent = AgencyFactory.create()
    desk_officer, other_officer = officer(desk), officer(competent)
    citizen = UserFactory.create(full_name="Phạm Thị Dung", phone="0912345678")
    report = file_report(the_topic=topic(agency=desk), user=citizen)
    assert report.agency == desk
    with pytest.raises(DomainError):
        services.accept(report=report, officer=other_officer)  # not (yet) theirs
    services.forward(report=report, officer=desk_officer, to_agency=competent, note="Sở khác")
    report.refresh_from_db()
    assert report.agency == competent and report.status == ReportStatus.RECEIVED
    with pytest.raises(DomainError):
        services.answer(report=report, officer=desk_officer, text="x")  # no longer theirs
    services.accept(report=report, officer=other_officer)
    report.refresh_from_db()
    assert report.status == ReportStatus.PROCESSING and report.due_at == report.answer_due_at
    services.answer(
        report=report,
        officer=other_officer,
        text="Đã sửa. Bà Phạm Thị Dung (0912 345 678, CCCD 048190000123, dung@example.vn) "
        "có thể liên hệ lại.",
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.ANSWERED and not report.answered_late
    for personal in ("Phạm Thị Dung", "0912 345 678", "048190000123", "dung@example.vn"):
        assert personal not in report.answer
    assert "Đã sửa" in report.answer
    told = OutboxMessage.objects.get(recipient=citizen.email)  # told of the answer, with a link
    assert f"/phan-anh/{report.code}/" in told.body
    me = Reporter(user=citizen)
    with pytest.raises(DomainError):
        services.rate(report=report, reporter=Reporter(user=UserFactory.create()), value=3)
    services.reopen(report=report, reporter=me, reason="Ổ gà vẫn còn.")
    report.refresh_from_db()
    assert report.status == ReportStatus.PROCESSING and report.reopen_count == 1
    services.answer(report=report, officer=other_officer, text="Đã sửa lần hai.")
    services.rate(report=report, reporter=me, value=1, comment="Chậm")
    report.refresh_from_db()
    assert report.status == ReportStatus.CLOSED and report.rating == 1
    with pytest.raises(DomainError):
        services.reopen(report=report, reporter=me, reason="Lần nữa")
    kinds = list(report.events.values_list("kind", flat=True))
    assert kinds == [
        EventKind.FILED,
        EventKind.FORWARDED,
        EventKind.ACCEPTED,
        EventKind.ANSWERED,
        EventKind.REOPENED,
        EventKind.ANSWERED,
        EventKind.RATED,
    ]


def test_the_published_answer_shows_on_the_tracking_page_and_the_reporter_rates_it() -> None:
    agency = AgencyFactory.create()
    handler = officer(agency)
    citizen = UserFactory.create()
    report = file_report(the_topic=topic(agency=agency), user=citizen)
    client = Client()
    sign_in_with_second_factor(client, handler)
    assert client.post(f"/can-bo/phan-anh/{report.code}/tiep-nhan/").status_code == 302
    empty = client.post(f"/can-bo/phan-anh/{report.code}/tra-loi/", {"text": ""})
    assert empty.status_code == 400
    done = client.post(f"/can-bo/phan-anh/{report.code}/tra-loi/", {"text": "Đã vá ổ gà."})
    assert done.status_code == 302
    assert "Đã vá ổ gà." in Client().get(f"/phan-anh/{report.code}/").content.decode()
    mine = Client()
    mine.force_login(citizen)
    assert mine.post(f"/phan-anh/{report.code}/danh-gia/", {"value": "9"}).status_code == 400
    assert mine.post(f"/phan-anh/{report.code}/danh-gia/", {"value": "3"}).status_code == 302
    report.refresh_from_db()
    assert report.rating == 3 and report.status == ReportStatus.CLOSED


def test_an_officer_of_another_agency_cannot_open_or_act_on_a_report() -> None:
    report = file_report()
    stranger = officer(AgencyFactory.create())
    client = Client()
    sign_in_with_second_factor(client, stranger)
    assert client.get(f"/can-bo/phan-anh/{report.code}/").status_code == 404
    assert client.post(f"/can-bo/phan-anh/{report.code}/tiep-nhan/").status_code == 404
    assert report.code not in client.get("/can-bo/phan-anh/").content.decode()


def test_overdue_and_due_soon_lists_and_escalation_to_the_leader_once() -> None:
    agency = AgencyFactory.create()
    handler = officer(agency)
    leader = officer(agency, role="approver")
    late = file_report(the_topic=topic(agency=agency), text="Quá hạn")
    soon = file_report(the_topic=topic(agency=agency), text="Sắp đến hạn")
    fine = file_report(the_topic=topic(agency=agency), text="Còn lâu")
    now = dt.datetime.now(dt.UTC)
    Report.objects.filter(pk=late.pk).update(due_at=now - dt.timedelta(hours=1))
    Report.objects.filter(pk=soon.pk).update(due_at=now + dt.timedelta(hours=2))
    Report.objects.filter(pk=fine.pk).update(due_at=now + dt.timedelta(days=30))
    client = Client()
    sign_in_with_second_factor(client, handler)
    page = client.get("/can-bo/phan-anh/").content.decode()
    overdue_part = page.split('id="overdue"')[1].split('id="due-soon"')[0]
    soon_part = page.split('id="due-soon"')[1].split('id="open"')[0]
    assert late.code in overdue_part and soon.code not in overdue_part
    assert soon.code in soon_part and fine.code not in soon_part
    assert services.escalate_overdue() == 1
    assert services.escalate_overdue() == 0  # once per deadline
    assert (
        OutboxMessage.objects.filter(recipient=leader.email, body__contains=late.code).count() == 1
    )
    assert late.events.filter(kind=EventKind.ESCALATED).exists()


def test_the_escalation_runs_on_the_timetable(settings: object) -> None:
    from motcua.scheduling.services import schedules

    assert "motcua.petitions.tasks.escalate_overdue_task" in {s.task for s in schedules()}


def test_a_report_filed_before_tet_is_due_after_it(monkeypatch: pytest.MonkeyPatch) -> None:
    seed_calendar(years=[2026])
    before_tet = dt.datetime(2026, 2, 12, 10, 0, tzinfo=VN)
    monkeypatch.setattr(services.timezone, "now", lambda: before_tet)
    report = file_report()
    assert report.forward_due_at == dt.datetime(2026, 2, 26, 17, 0, tzinfo=VN)
    assert report.answer_due_at == dt.datetime(2026, 3, 12, 17, 0, tzinfo=VN)
    # Forwarded on Friday 24/04 16:00: the new agency's 15 days skip Monday 27/04 (Hùng Kings'
    # day, 10/3 lunar, falls on Sunday 26/04 in 2026), 30/4 and 1/5.
    desk_officer = officer(report.agency)
    competent = AgencyFactory.create()
    forwarded = dt.datetime(2026, 4, 24, 16, 0, tzinfo=VN)
    monkeypatch.setattr(services.timezone, "now", lambda: forwarded)
    services.forward(report=report, officer=desk_officer, to_agency=competent)
    report.refresh_from_db()
    assert report.forwarded_late  # 5 working days had long passed
    # Day 1 Tue 28/04, 29, (30/4, 1/5 off), 4/5 (3) … 15/5 (12), 18, 19, day 15 Wed 20/05.
    assert report.answer_due_at == dt.datetime(2026, 5, 20, 17, 0, tzinfo=VN)
