"""Per-step deadlines: planned at acceptance, ticked off as the work moves, moved by pauses."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from motcua.accounts.tests.factories import sign_in_with_second_factor
from motcua.catalog import services as catalog_services
from motcua.catalog.models import ProcessingStep
from motcua.dossiers import services
from motcua.dossiers.lifecycle import Transition
from motcua.dossiers.models import Dossier, DossierStep
from motcua.dossiers.steps import advance
from motcua.dossiers.tests.factories import World, file_dossier, make_world
from motcua.workcalendar.deadlines import add_paused, due_at
from motcua.workcalendar.selectors import load_calendar

pytestmark = pytest.mark.django_db

PLAN = [("Tiếp nhận", "receiver", "0.5"), ("Thẩm định", "processor", "2"), ("Ký", "approver", "1")]


@pytest.fixture
def world() -> World:
    world = make_world()
    case = world.procedure.cases.get()
    case.time_unit = "working_hours"
    case.time_limit = Decimal("4")
    case.save()
    for position, (name, role, duration) in enumerate(PLAN):
        ProcessingStep.objects.create(
            case=case, position=position, name=name, role=role, duration=Decimal(duration)
        )
    catalog_services.record_version(procedure=world.procedure, actor=None, note="steps")
    return world


def _accepted(world: World) -> Dossier:
    return services.act(
        dossier=file_dossier(world), user=world.receiver, transition=Transition.ACCEPT
    )


def test_acceptance_plans_each_step_with_its_cumulative_deadline(world: World) -> None:
    dossier = _accepted(world)
    assert dossier.accepted_at is not None
    calendar = load_calendar()
    planned = list(dossier.steps.values_list("name", "role", "due_at"))
    expected_hours = [Decimal("0.5"), Decimal("2.5"), Decimal("3.5")]
    assert planned == [
        (name, role, due_at(calendar, dossier.accepted_at, hours, "working_hours"))
        for (name, role, _), hours in zip(PLAN, expected_hours, strict=True)
    ]
    dues = [due for _, _, due in planned]
    assert dues == sorted(dues) and dossier.due_at is not None and dues[-1] <= dossier.due_at


def test_steps_end_as_the_work_moves_on(world: World) -> None:
    dossier = _accepted(world)

    def finished() -> list[bool]:
        return [s.finished_at is not None for s in DossierStep.objects.filter(dossier=dossier)]

    assert finished() == [False, False, False]
    services.act(dossier=dossier, user=world.receiver, transition=Transition.FORWARD)
    assert finished() == [True, False, False]
    services.act(
        dossier=dossier,
        user=world.processor,
        transition=Transition.HAND_OVER,
        to_unit=world.agency,
    )
    assert finished() == [True, True, False]


def test_the_decision_closes_every_step_up_to_the_approvers(world: World) -> None:
    dossier = _accepted(world)
    services.act(dossier=dossier, user=world.receiver, transition=Transition.FORWARD)
    # Decided straight away, without a hand-over: the processor's step ends with it.
    advance(dossier, Transition.DECIDE, timezone.now())
    assert not dossier.steps.filter(finished_at__isnull=True).exists()


def test_a_pause_moves_the_open_steps_as_it_moves_the_appointment(world: World) -> None:
    dossier = _accepted(world)
    services.act(dossier=dossier, user=world.receiver, transition=Transition.FORWARD)
    services.act(
        dossier=dossier,
        user=world.processor,
        transition=Transition.REQUEST_SUPPLEMENT,
        reason="Thiếu giấy ủy quyền",
    )
    # The applicant took a whole working week; pretend the request was made then.
    week_ago = timezone.now() - datetime.timedelta(days=7)
    Dossier.objects.filter(pk=dossier.pk).update(paused_since=week_ago)
    before = {s.position: s.due_at for s in dossier.steps.all()}
    dossier.refresh_from_db()
    due_before = dossier.due_at
    assert due_before is not None
    resumed = services.act(dossier=dossier, user=world.applicant, transition=Transition.SUPPLEMENT)
    after = {s.position: s for s in resumed.steps.all()}
    assert after[0].due_at == before[0]  # finished steps keep their deadline
    calendar = load_calendar()
    resumed_at = resumed.events.get(transition=Transition.SUPPLEMENT).created_at
    for position in (1, 2):
        expected = add_paused(calendar, before[position], [(week_ago, resumed_at)])
        assert abs(after[position].due_at - expected) < datetime.timedelta(seconds=5)
        assert after[position].due_at > before[position]
    assert resumed.due_at is not None and resumed.due_at > due_before


def test_a_case_without_steps_plans_none(world: World) -> None:
    ProcessingStep.objects.all().delete()
    catalog_services.record_version(procedure=world.procedure, actor=None, note="no steps")
    dossier = _accepted(world)
    assert not dossier.steps.exists()
    services.act(dossier=dossier, user=world.receiver, transition=Transition.FORWARD)


def test_the_officer_page_shows_the_steps_and_their_deadlines(world: World, client: Client) -> None:
    dossier = _accepted(world)
    sign_in_with_second_factor(client, world.processor)
    client.cookies["django_language"] = "en"
    page = client.get(f"/can-bo/ho-so/{dossier.code}/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Processing steps" in text and "Thẩm định" in text and "Processing officer" in text


def test_the_api_gives_the_steps_with_their_deadlines(world: World, client: Client) -> None:
    dossier = _accepted(world)
    client.force_login(world.applicant)
    body = client.get(f"/api/v1/dossiers/{dossier.code}/").json()
    assert [(s["position"], s["name"], s["role"]) for s in body["steps"]] == [
        (position, name, role) for position, (name, role, _) in enumerate(PLAN)
    ]
    assert all(s["due_at"] and s["finished_at"] is None for s in body["steps"])


def test_a_returning_step_after_the_decision_ends_when_the_result_is_returned(
    world: World,
) -> None:
    case = world.procedure.cases.get()
    ProcessingStep.objects.create(
        case=case, position=3, name="Trả kết quả", role="receiver", duration=Decimal("0.5")
    )
    catalog_services.record_version(procedure=world.procedure, actor=None, note="return step")
    dossier = _accepted(world)
    advance(dossier, Transition.DECIDE, timezone.now())
    assert list(dossier.steps.filter(finished_at__isnull=True).values_list("name", flat=True)) == [
        "Trả kết quả"
    ]
    advance(dossier, Transition.CONSULT, timezone.now())  # not a step's end
    assert dossier.steps.filter(finished_at__isnull=True).count() == 1
    advance(dossier, Transition.RETURN_RESULT, timezone.now())
    assert not dossier.steps.filter(finished_at__isnull=True).exists()
