"""Transitions announce themselves: apps' handlers, their phases, and one history for all."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from motcua.accounts.second_factor import set_verified
from motcua.dossiers import coordination, hooks, services
from motcua.dossiers.deadlines import send_apology, sweep_deadlines
from motcua.dossiers.hooks import Change, Phase
from motcua.dossiers.lifecycle import Actor, Status, Transition
from motcua.dossiers.models import ApologyLetter, Dossier, DossierEvent
from motcua.dossiers.tests.factories import World, file_dossier, make_world, officer
from motcua.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    return make_world()


def test_a_check_handler_that_refuses_leaves_the_dossier_as_it_was(world: World) -> None:
    dossier = file_dossier(world)
    seen: list[tuple[str, int | None, int]] = []

    def refuse_acceptance(change: Change) -> None:
        seen.append((change.transition, change.from_status, change.to_status))
        assert change.event is None  # nothing is written before the checks
        raise services.DossierError("Chưa đủ điều kiện")

    with (
        hooks.registered(refuse_acceptance, Transition.ACCEPT, phase=Phase.CHECK),
        pytest.raises(services.DossierError, match="Chưa đủ điều kiện"),
    ):
        services.act(dossier=dossier, user=world.receiver, transition=Transition.ACCEPT)
    assert seen == [(Transition.ACCEPT, Status.SUBMITTED, Status.ACCEPTED)]
    dossier.refresh_from_db()
    assert dossier.status == Status.SUBMITTED and dossier.accepted_at is None
    assert list(dossier.events.values_list("transition", flat=True)) == [Transition.SUBMIT]
    # Registered for the block only: acceptance works again after it.
    services.act(dossier=dossier, user=world.receiver, transition=Transition.ACCEPT)


def test_an_in_transaction_handler_that_fails_undoes_the_change(world: World) -> None:
    dossier = file_dossier(world)

    def broken(change: Change) -> None:
        assert change.event is not None and change.event.pk  # the history line is written
        raise RuntimeError("boom")

    with hooks.registered(broken, Transition.ACCEPT), pytest.raises(RuntimeError):
        services.act(dossier=dossier, user=world.receiver, transition=Transition.ACCEPT)
    dossier.refresh_from_db()
    assert dossier.status == Status.SUBMITTED
    assert not dossier.events.filter(transition=Transition.ACCEPT).exists()


def test_after_commit_handlers_wait_for_the_commit_and_cannot_undo_it(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    dossier = file_dossier(world)
    seen: list[int] = []

    def count(change: Change) -> None:
        seen.append(Dossier.objects.get(pk=change.dossier.pk).status)

    def broken(change: Change) -> None:
        raise RuntimeError("the synchronisation is down")

    with (
        hooks.registered(broken, Transition.ACCEPT, phase=Phase.AFTER_COMMIT),
        hooks.registered(count, Transition.ACCEPT, phase=Phase.AFTER_COMMIT),
        # The commit, as Django makes it: robust callbacks are logged when they fail.
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.act(dossier=dossier, user=world.receiver, transition=Transition.ACCEPT)
        assert seen == []  # nothing before the commit
    assert seen == [Status.ACCEPTED]  # ran after the broken one, which changed nothing
    dossier.refresh_from_db()
    assert dossier.status == Status.ACCEPTED


def test_a_handler_is_registered_once() -> None:
    def twice(change: Change) -> None:
        pass

    with (
        hooks.registered(twice, Transition.ACCEPT),
        pytest.raises(ValueError, match="already registered"),
    ):
        hooks.on_transition(Transition.DECIDE)(twice)


def test_the_apps_register_their_handlers_at_start_up() -> None:
    names = {r.name: r for r in hooks.registrations()}
    sign = names["motcua.results.handlers.sign_the_decision"]
    fee = names["motcua.payments.handlers.ask_for_the_fee_when_due"]
    tell = names["motcua.dossiers.handlers.tell_applicant_of_new_status"]
    assert sign.phase is Phase.CHECK and sign.transitions == {Transition.DECIDE}
    assert fee.phase is Phase.IN_TRANSACTION
    assert fee.transitions == {Transition.ACCEPT, Transition.DECIDE}
    order = list(names)
    assert order.index(tell.name) < order.index(fee.name)  # status 2 told before status 6


def test_a_part_sent_by_an_approver_is_recorded_as_the_approvers(world: World) -> None:
    """Before, the control sheet said "processing officer" whoever sent the part."""
    dossier = file_dossier(world)
    for transition in (Transition.ACCEPT, Transition.FORWARD):
        dossier = services.act(dossier=dossier, user=world.receiver, transition=transition)
    coordination.request_part(
        dossier=dossier,
        officer=world.approver,
        agency=world.other_agency,
        part="Cho ý kiến",
        working_days=1,
    )
    event = dossier.events.get(transition=Transition.CONSULT)
    assert (event.actor, event.actor_role) == (world.approver, Actor.APPROVER)


def test_consultations_are_made_by_their_own_service_not_by_act(world: World) -> None:
    dossier = file_dossier(world)
    for transition in (Transition.ACCEPT, Transition.FORWARD):
        dossier = services.act(dossier=dossier, user=world.receiver, transition=transition)
    for side in (Transition.CONSULT, Transition.APPOINTMENT_MOVED):
        with pytest.raises(services.NotAllowed):
            services.act(dossier=dossier, user=world.processor, transition=side, reason="x")
    assert not dossier.events.filter(transition=Transition.CONSULT).exists()


def test_a_coordinating_officer_answers_only_after_the_second_factor(world: World) -> None:
    dossier = file_dossier(world)
    for transition in (Transition.ACCEPT, Transition.FORWARD):
        dossier = services.act(dossier=dossier, user=world.receiver, transition=transition)
    consultation = coordination.request_part(
        dossier=dossier,
        officer=world.processor,
        agency=world.other_agency,
        part="x",
        working_days=1,
    )
    coordinator = officer(world.other_agency, "processor")
    set_verified(coordinator, False)
    with pytest.raises(services.NotAllowed):
        coordination.answer_part(consultation=consultation, officer=coordinator, answer="Đủ")
    set_verified(coordinator, True)
    coordination.answer_part(consultation=consultation, officer=coordinator, answer="Đủ")
    assert dossier.events.filter(transition=Transition.CONSULTATION_ANSWERED).count() == 1


def _overdue_with_a_letter(world: World) -> tuple[Dossier, ApologyLetter]:
    dossier = services.act(
        dossier=file_dossier(world), user=world.receiver, transition=Transition.ACCEPT
    )
    Dossier.objects.filter(pk=dossier.pk).update(
        due_at=timezone.now() - datetime.timedelta(hours=1)
    )
    sweep_deadlines()
    dossier.refresh_from_db()
    return dossier, ApologyLetter.objects.get(dossier=dossier)


def test_a_moved_appointment_is_in_the_history_and_told_to_the_applicant(world: World) -> None:
    """Before, the new appointment was written by a bulk update, with no history line."""
    dossier, letter = _overdue_with_a_letter(world)
    sent = send_apology(letter=letter, officer=world.receiver, reason="Chờ ý kiến Sở Xây dựng")
    event = dossier.events.get(transition=Transition.APPOINTMENT_MOVED)
    assert (event.actor, event.actor_role) == (world.receiver, Actor.RECEIVER)
    assert event.from_status == event.to_status == Status.ACCEPTED
    assert event.reason == "Chờ ý kiến Sở Xây dựng"
    dossier.refresh_from_db()
    assert dossier.apology_due_at == sent.proposed_due_at
    assert OutboxMessage.objects.filter(body__contains="Chờ ý kiến Sở Xây dựng").exists()


def test_no_apology_letter_once_the_result_is_ready(world: World) -> None:
    dossier, letter = _overdue_with_a_letter(world)
    Dossier.objects.filter(pk=dossier.pk).update(status=Status.DECIDED)
    with pytest.raises(services.NotAllowed):
        send_apology(letter=letter, officer=world.receiver, reason="Chậm")
    letter.refresh_from_db()
    assert letter.status == "draft"
    assert not DossierEvent.objects.filter(transition=Transition.APPOINTMENT_MOVED).exists()
