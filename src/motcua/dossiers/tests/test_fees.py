"""The fee in the dossier's life: status 6 when the case says it is paid, and back on payment."""

from __future__ import annotations

from typing import Any

import pytest

from motcua.catalog import services as catalog_services
from motcua.dossiers import services
from motcua.dossiers.lifecycle import Actor, Status, Transition
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import World, file_dossier, make_world, pdf

pytestmark = pytest.mark.django_db


def _world_with_fee(**case: Any) -> World:
    world = make_world()
    procedure_case = world.procedure.cases.get()
    for name, value in case.items():
        setattr(procedure_case, name, value)
    procedure_case.save()
    catalog_services.record_version(procedure=world.procedure, actor=None, note="fee")
    return world


def _accept(world: World) -> Dossier:
    dossier = file_dossier(world)
    return services.act(dossier=dossier, user=world.receiver, transition=Transition.ACCEPT)


def test_a_fee_paid_before_processing_puts_the_accepted_dossier_in_status_6() -> None:
    world = _world_with_fee(fee=200_000, payment_timing="before_processing")
    dossier = _accept(world)
    assert dossier.status == Status.AWAITING_PAYMENT
    assert dossier.resume_status == Status.ACCEPTED and dossier.paused_since is not None
    asked = dossier.events.last()
    assert asked is not None
    assert (asked.transition, asked.actor_id, asked.actor_role) == (
        Transition.ASK_PAYMENT,
        None,
        Actor.SYSTEM,
    )
    assert "200.000" in asked.reason


def test_payment_confirmed_resumes_once_and_gives_back_the_waiting_time() -> None:
    world = _world_with_fee(fee=200_000)
    dossier = _accept(world)
    due_before = dossier.due_at
    assert due_before is not None
    resumed = services.payment_confirmed(dossier=dossier, reference="MC123")
    assert resumed.status == Status.ACCEPTED
    assert resumed.due_at is not None and resumed.due_at >= due_before
    again = services.payment_confirmed(dossier=dossier, reference="MC123")
    assert again.status == Status.ACCEPTED
    confirmations = dossier.events.filter(transition=Transition.CONFIRM_PAYMENT)
    assert confirmations.count() == 1
    assert "MC123" in confirmations.get().reason


@pytest.mark.parametrize(
    "case", [{"fee": 0}, {"fee": 8_000, "payment_timing": "at_result"}], ids=["free", "at-result"]
)
def test_a_free_case_or_a_fee_at_result_time_does_not_stop_acceptance(case: Any) -> None:
    assert _accept(_world_with_fee(**case)).status == Status.ACCEPTED


def test_a_fee_per_copy_is_asked_for_the_copies_requested() -> None:
    world = _world_with_fee(fee=8_000, fee_basis="per_copy", fee_copies_field="so_ban")
    draft = services.start_draft(user=world.applicant, procedure=world.procedure, acting_for=None)
    services.save_draft(draft=draft, user=world.applicant, values={"so_ban": 3})
    services.attach(draft=draft, user=world.applicant, component_position=0, upload=pdf())
    dossier = services.submit(draft=draft, user=world.applicant, form_errors={})
    dossier = services.act(dossier=dossier, user=world.receiver, transition=Transition.ACCEPT)
    last = dossier.events.last()
    assert last is not None and "24.000" in last.reason


def test_an_officer_may_still_confirm_a_fee_paid_at_the_desk_but_the_applicant_may_not() -> None:
    world = _world_with_fee(fee=50_000)
    dossier = _accept(world)
    with pytest.raises(services.NotAllowed):
        services.act(dossier=dossier, user=world.applicant, transition=Transition.CONFIRM_PAYMENT)
    dossier = services.act(
        dossier=dossier, user=world.receiver, transition=Transition.CONFIRM_PAYMENT
    )
    assert dossier.status == Status.ACCEPTED
