"""The deadline sweep and apology letters (form 04)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from motcua.dossiers import services
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


def test_due_soon_is_flagged_once_with_a_draft_apology(world: World) -> None:
    soon = accepted(world, datetime.timedelta(hours=2))
    later = accepted(world, datetime.timedelta(days=20))
    report = sweep_deadlines()
    assert (report.due_soon, report.letters) == (1, 1)
    soon.refresh_from_db()
    later.refresh_from_db()
    assert soon.due_soon_flagged_at is not None and later.due_soon_flagged_at is None
    letter = ApologyLetter.objects.get(dossier=soon)
    assert letter.status == "draft" and letter.proposed_due_at > letter.previous_due_at
    assert sweep_deadlines().letters == 0  # re-running makes nothing twice


def test_overdue_dossiers_are_flagged(world: World) -> None:
    late = accepted(world, -datetime.timedelta(hours=1))
    assert sweep_deadlines().overdue == 1
    late.refresh_from_db()
    assert late.overdue_flagged_at is not None
    assert sweep_deadlines().overdue == 0


def test_sending_the_apology_moves_the_appointment_and_tells_the_applicant(
    world: World,
) -> None:
    dossier = accepted(world, datetime.timedelta(hours=2))
    sweep_deadlines()
    letter = ApologyLetter.objects.get(dossier=dossier)
    with pytest.raises(services.NotAllowed):
        send_apology(letter=letter, officer=world.outsider_officer, reason="x")
    with pytest.raises(services.NotAllowed):
        send_apology(letter=letter, officer=world.receiver, reason="  ")
    sent = send_apology(letter=letter, officer=world.receiver, reason="Chờ ý kiến Sở Xây dựng")
    dossier.refresh_from_db()
    assert sent.status == "sent" and dossier.due_at == sent.proposed_due_at
    assert OutboxMessage.objects.filter(body__contains="Chờ ý kiến Sở Xây dựng").exists()
    with pytest.raises(services.NotAllowed):
        send_apology(letter=letter, officer=world.receiver, reason="again")


def test_officer_sends_the_apology_from_the_dossier_page(world: World) -> None:
    from django.test import Client

    from motcua.accounts.tests.factories import sign_in_with_second_factor

    dossier = accepted(world, datetime.timedelta(hours=2))
    sweep_deadlines()
    letter = ApologyLetter.objects.get(dossier=dossier)
    desk = Client()
    sign_in_with_second_factor(desk, world.receiver)
    page = desk.get(f"/can-bo/ho-so/{dossier.code}/")
    assert 'value="apology"' in page.text
    desk.post(
        f"/can-bo/ho-so/{dossier.code}/",
        {"action": "apology", "letter": letter.pk, "reason": "Chờ kết quả thẩm định"},
    )
    letter.refresh_from_db()
    assert letter.status == "sent"
