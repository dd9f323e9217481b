"""The deadline sweep and apology letters (form 04)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from motcua.dossiers import selectors, services
from motcua.dossiers.deadlines import send_apology, sweep_deadlines
from motcua.dossiers.lifecycle import Transition
from motcua.dossiers.models import ApologyLetter, Dossier
from motcua.dossiers.tests.factories import World, file_dossier, make_world
from motcua.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    return make_world()


def accepted(world: World, due_in: datetime.timedelta) -> Dossier:
    dossier = services.act(
        dossier=file_dossier(world), user=world.receiver, transition=Transition.ACCEPT
    )
    Dossier.objects.filter(pk=dossier.pk).update(due_at=timezone.now() + due_in)
    dossier.refresh_from_db()
    return dossier


def test_due_soon_is_flagged_without_a_letter_while_the_work_can_finish(world: World) -> None:
    soon = accepted(world, datetime.timedelta(hours=2))
    later = accepted(world, datetime.timedelta(days=20))
    report = sweep_deadlines()
    assert (report.due_soon, report.letters) == (1, 0)  # due soon is not late
    soon.refresh_from_db()
    later.refresh_from_db()
    assert soon.due_soon_flagged_at is not None and later.due_soon_flagged_at is None
    assert not ApologyLetter.objects.exists()


def test_an_overdue_dossier_gets_one_draft_letter(world: World) -> None:
    late = accepted(world, -datetime.timedelta(hours=1))
    on_time = accepted(world, datetime.timedelta(hours=2))
    report = sweep_deadlines()
    assert (report.overdue, report.letters) == (1, 1)
    letter = ApologyLetter.objects.get()
    assert letter.dossier == late and letter.status == "draft"
    assert letter.previous_due_at == late.due_at
    assert letter.proposed_due_at > timezone.now()
    assert not on_time.apologies.exists()
    assert sweep_deadlines().letters == 0  # re-running makes nothing twice


def test_overdue_dossiers_are_flagged(world: World) -> None:
    late = accepted(world, -datetime.timedelta(hours=1))
    assert sweep_deadlines().overdue == 1
    late.refresh_from_db()
    assert late.overdue_flagged_at is not None
    assert sweep_deadlines().overdue == 0


def test_sending_the_apology_keeps_the_first_appointment_beside_the_new_one(
    world: World,
) -> None:
    dossier = accepted(world, -datetime.timedelta(hours=1))
    first = dossier.due_at
    sweep_deadlines()
    letter = ApologyLetter.objects.get(dossier=dossier)
    with pytest.raises(services.NotAllowed):
        send_apology(letter=letter, officer=world.outsider_officer, reason="x")
    with pytest.raises(services.NotAllowed):
        send_apology(letter=letter, officer=world.receiver, reason="  ")
    sent = send_apology(letter=letter, officer=world.receiver, reason="Chờ ý kiến Sở Xây dựng")
    dossier.refresh_from_db()
    assert sent.status == "sent" and sent.proposed_due_at > timezone.now()
    # The first appointment stays the legal one; the new date is kept beside it.
    assert dossier.due_at == first and dossier.apology_due_at == sent.proposed_due_at
    assert dossier.is_late()
    assert list(selectors.worklist(world.receiver, "overdue")) == [dossier]
    assert OutboxMessage.objects.filter(body__contains="Chờ ý kiến Sở Xây dựng").exists()
    with pytest.raises(services.NotAllowed):
        send_apology(letter=letter, officer=world.receiver, reason="again")


def test_after_an_apology_only_its_passing_drafts_another_letter(world: World) -> None:
    dossier = accepted(world, -datetime.timedelta(hours=1))
    sweep_deadlines()
    sent = send_apology(
        letter=ApologyLetter.objects.get(), officer=world.receiver, reason="Chờ thẩm định"
    )
    assert sweep_deadlines().letters == 0
    later = sent.proposed_due_at + datetime.timedelta(minutes=1)
    assert sweep_deadlines(now=later).letters == 1
    second = dossier.apologies.get(status="draft")
    assert second.previous_due_at == sent.proposed_due_at and second.proposed_due_at > later


def test_both_appointments_are_shown_to_the_officer_the_applicant_and_the_api(
    world: World,
) -> None:
    from django.test import Client

    from motcua.accounts.tests.factories import sign_in_with_second_factor

    dossier = accepted(world, -datetime.timedelta(hours=1))
    sweep_deadlines()
    sent = send_apology(letter=ApologyLetter.objects.get(), officer=world.receiver, reason="Chờ")
    dossier.refresh_from_db()
    assert dossier.due_at is not None and dossier.apology_due_at is not None
    first = f"{timezone.localtime(dossier.due_at):%d/%m/%Y %H:%M}"
    new = f"{timezone.localtime(sent.proposed_due_at):%d/%m/%Y %H:%M}"

    desk = Client()
    sign_in_with_second_factor(desk, world.receiver)
    desk.cookies["django_language"] = "en"
    page = desk.get(f"/can-bo/ho-so/{dossier.code}/").content.decode()
    assert first in page and new in page and "New appointment (apology letter" in page

    citizen = Client()
    citizen.force_login(world.applicant)
    citizen.cookies["django_language"] = "en"
    page = citizen.get(f"/ho-so/{dossier.code}/").content.decode()
    assert first in page and new in page and "mau-04.pdf" in page

    body = citizen.get(f"/api/v1/dossiers/{dossier.code}/").json()
    assert datetime.datetime.fromisoformat(body["due_at"]) == dossier.due_at
    assert datetime.datetime.fromisoformat(body["apology_due_at"]) == dossier.apology_due_at
    assert body["late"] is True


def test_officer_sends_the_apology_from_the_dossier_page(world: World) -> None:
    from django.test import Client

    from motcua.accounts.tests.factories import sign_in_with_second_factor

    dossier = accepted(world, -datetime.timedelta(hours=2))
    sweep_deadlines()
    letter = ApologyLetter.objects.get(dossier=dossier)
    desk = Client()
    sign_in_with_second_factor(desk, world.receiver)
    page = desk.get(f"/can-bo/ho-so/{dossier.code}/")
    apology_url = f"/can-bo/ho-so/{dossier.code}/xin-loi/{letter.pk}/"
    assert f'action="{apology_url}"' in page.text
    desk.post(
        apology_url,
        {"reason": "Chờ kết quả thẩm định"},
    )
    letter.refresh_from_db()
    assert letter.status == "sent"


STEPS = [("Tiếp nhận", "receiver", "0.5"), ("Thẩm định", "processor", "2"), ("Ký", "approver", "1")]


def with_steps(world: World) -> Dossier:
    """A case of 4 working hours in three steps (3.5 hours planned), accepted now."""
    from decimal import Decimal

    from motcua.catalog import services as catalog_services
    from motcua.catalog.models import ProcessingStep

    case = world.procedure.cases.get()
    case.time_unit = "working_hours"
    case.time_limit = Decimal("4")
    case.save()
    for position, (name, role, duration) in enumerate(STEPS):
        ProcessingStep.objects.create(
            case=case, position=position, name=name, role=role, duration=Decimal(duration)
        )
    catalog_services.record_version(procedure=world.procedure, actor=None, note="steps")
    return services.act(
        dossier=file_dossier(world), user=world.receiver, transition=Transition.ACCEPT
    )


def test_a_letter_when_the_remaining_steps_cannot_finish_by_the_appointment(
    world: World,
) -> None:
    from decimal import Decimal

    from motcua.workcalendar.calendar import add_working_hours
    from motcua.workcalendar.deadlines import due_at
    from motcua.workcalendar.selectors import load_calendar

    dossier = with_steps(world)
    assert dossier.accepted_at is not None and dossier.due_at is not None
    calendar = load_calendar()
    first_step = dossier.steps.get(position=0)
    # On schedule: the plan ends before the appointment, so no letter.
    assert sweep_deadlines(now=dossier.accepted_at).letters == 0
    # One working hour after the first step's deadline, still before the appointment: the
    # three open steps (3.5 hours) cannot end by it.
    behind = add_working_hours(calendar, first_step.due_at, datetime.timedelta(hours=1))
    assert behind < dossier.due_at
    assert sweep_deadlines(now=behind).letters == 1
    letter = ApologyLetter.objects.get(dossier=dossier)
    assert letter.previous_due_at == dossier.due_at
    assert letter.proposed_due_at == due_at(calendar, behind, Decimal("3.5"), "working_hours")
    assert letter.proposed_due_at > dossier.due_at


def test_a_dossier_on_schedule_with_steps_gets_no_letter_even_when_due_soon(
    world: World,
) -> None:
    dossier = with_steps(world)
    report = sweep_deadlines()  # due within hours, but the plan holds
    assert report.letters == 0 and not dossier.apologies.exists()


def test_paused_time_moves_the_new_appointment_as_it_moves_the_first(world: World) -> None:
    dossier = accepted(world, -datetime.timedelta(hours=1))
    sweep_deadlines()
    send_apology(letter=ApologyLetter.objects.get(), officer=world.receiver, reason="Chờ")
    dossier.refresh_from_db()
    first, new = dossier.due_at, dossier.apology_due_at
    assert first is not None and new is not None
    services.act(
        dossier=dossier, user=world.receiver, transition=Transition.ASK_PAYMENT, reason="Phí"
    )
    # The applicant took a working week to pay.
    Dossier.objects.filter(pk=dossier.pk).update(
        paused_since=timezone.now() - datetime.timedelta(days=7)
    )
    dossier.refresh_from_db()
    paid = services.act(dossier=dossier, user=world.receiver, transition=Transition.CONFIRM_PAYMENT)
    assert paid.due_at is not None and paid.apology_due_at is not None
    assert paid.due_at > first and paid.apology_due_at > new
