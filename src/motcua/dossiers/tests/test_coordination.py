"""Inter-agency processing: a part sent to a coordinating agency and answered."""

from __future__ import annotations

import pytest
from django.test import Client

from motcua.accounts.tests.factories import sign_in_with_second_factor
from motcua.dossiers import access, coordination, services
from motcua.dossiers.lifecycle import Status, Transition
from motcua.dossiers.models import Consultation, Dossier
from motcua.dossiers.tests.factories import World, file_dossier, make_world, officer

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    return make_world()


def processing(world: World) -> Dossier:
    dossier = file_dossier(world)
    for transition in (Transition.ACCEPT, Transition.FORWARD):
        dossier = services.act(dossier=dossier, user=world.receiver, transition=transition)
    assert dossier.status == Status.PROCESSING
    return dossier


def test_part_sent_and_answered_with_a_control_sheet(world: World) -> None:
    dossier = processing(world)
    construction = officer(world.other_agency, "processor")
    consultation = coordination.request_part(
        dossier=dossier,
        officer=world.processor,
        agency=world.other_agency,
        part="Cho ý kiến về hiện trạng công trình",
        working_days=2,
    )
    assert dossier.due_at is not None and consultation.due_at <= dossier.due_at
    # The coordinating officer now sees the dossier, and only answers its part.
    assert access.can_view(construction, dossier)
    with pytest.raises(services.NotAllowed):
        services.act(dossier=dossier, user=construction, transition=Transition.DECIDE)
    with pytest.raises(services.NotAllowed):
        coordination.answer_part(consultation=consultation, officer=world.processor, answer="x")
    coordination.answer_part(consultation=consultation, officer=construction, answer="Đủ điều kiện")
    hand_overs = [
        (e.from_unit.code, e.to_unit.code)  # type: ignore[union-attr]
        for e in dossier.events.filter(transition__in=["consult", "consultation_answered"])
    ]
    assert hand_overs == [("H17.02", "H17.03"), ("H17.03", "H17.02")]
    with pytest.raises(services.NotAllowed):
        coordination.answer_part(consultation=consultation, officer=construction, answer="again")


def test_time_slice_must_fit_and_only_the_lead_may_ask(world: World) -> None:
    dossier = processing(world)
    with pytest.raises(services.DossierError):
        coordination.request_part(
            dossier=dossier,
            officer=world.processor,
            agency=world.other_agency,
            part="x",
            working_days=60,
        )
    with pytest.raises(services.NotAllowed):
        coordination.request_part(
            dossier=dossier,
            officer=world.outsider_officer,
            agency=world.other_agency,
            part="x",
            working_days=1,
        )
    assert Consultation.objects.count() == 0


def test_coordination_through_the_officer_pages(world: World) -> None:
    dossier = processing(world)
    construction = officer(world.other_agency, "processor")
    lead, coordinating = Client(), Client()
    sign_in_with_second_factor(lead, world.processor)
    sign_in_with_second_factor(coordinating, construction)
    assert coordinating.get(f"/can-bo/ho-so/{dossier.code}/").status_code == 404
    lead.post(
        f"/can-bo/ho-so/{dossier.code}/phoi-hop/",
        {"agency": "H17.03", "part": "Thẩm định", "working_days": "1"},
    )
    assert dossier.code in coordinating.get("/can-bo/ho-so/?list=waiting").text
    page = coordinating.get(f"/can-bo/ho-so/{dossier.code}/")
    consultation = Consultation.objects.get()
    answer_url = f"/can-bo/ho-so/{dossier.code}/phoi-hop/{consultation.pk}/tra-loi/"
    assert page.status_code == 200 and f'action="{answer_url}"' in page.text
    coordinating.post(answer_url, {"answer": "Đồng ý"})
    consultation.refresh_from_db()
    assert consultation.answer == "Đồng ý"
    bad = lead.post(
        f"/can-bo/ho-so/{dossier.code}/phoi-hop/",
        {"agency": "H17.03", "part": "x", "working_days": "abc"},
    )
    assert bad.status_code == 400


def test_hand_overs_record_who_gave_and_who_received(world: World) -> None:
    dossier = processing(world)
    services.act(
        dossier=dossier,
        user=world.processor,
        transition=Transition.HAND_OVER,
        to_unit=world.other_agency,
    )
    event = dossier.events.get(transition=Transition.HAND_OVER)
    assert (event.from_unit.code, event.to_unit.code) == ("H17.02", "H17.03")  # type: ignore[union-attr]
