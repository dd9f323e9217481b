"""Intake outcome "not this agency's competence": guided elsewhere, never a refusal (§4.2)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from motcua.accounts.tests.factories import sign_in_with_second_factor
from motcua.dossiers import lifecycle, services
from motcua.dossiers.lifecycle import Status, Transition
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import World, file_dossier, make_world
from motcua.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db

REASON = "Cấp giấy phép xây dựng thuộc thẩm quyền Sở Xây dựng"


@pytest.fixture
def world() -> World:
    return make_world()


def guide(world: World, dossier: Dossier, **more: Any) -> Dossier:
    arguments = {"reason": REASON, "to_unit": world.other_agency, **more}
    return services.act(
        dossier=dossier, user=world.receiver, transition=Transition.GUIDE_ELSEWHERE, **arguments
    )


def test_guiding_elsewhere_ends_the_dossier_without_a_refusal(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    dossier = file_dossier(world)
    with django_capture_on_commit_callbacks(execute=True):
        guided = guide(world, dossier)
    assert guided.status == Status.GUIDED_ELSEWHERE and guided.finished_at is not None
    assert guided.status in lifecycle.FINISHED and guided.status != Status.REFUSED
    assert guided.national_status == Status.REFUSED  # the national portal knows codes 1–10
    assert not Dossier.objects.filter(status=Status.REFUSED).exists()  # not a refusal
    event = guided.events.get(transition=Transition.GUIDE_ELSEWHERE)
    assert event.to_unit == world.other_agency and event.reason == REASON
    assert services.guided_to(guided) == event
    told = OutboxMessage.objects.filter(recipient=world.applicant.email).last()
    assert told is not None and world.other_agency.name in told.body and REASON in told.body


@pytest.mark.parametrize(
    "who, more, error",
    [
        ("receiver", {"reason": ""}, services.DossierError),
        ("receiver", {"to_unit": None}, services.DossierError),
        ("receiver", {"to_unit": "own"}, services.DossierError),
        ("processor", {}, services.NotAllowed),
        ("applicant", {}, services.NotAllowed),
        ("outsider_officer", {}, services.NotAllowed),
    ],
)
def test_only_the_receiver_with_a_reason_and_another_agency(
    world: World, who: str, more: dict[str, Any], error: type[Exception]
) -> None:
    dossier = file_dossier(world)
    if more.get("to_unit") == "own":
        more = {"to_unit": world.agency}
    arguments = {"reason": REASON, "to_unit": world.other_agency, **more}
    with pytest.raises(error):
        services.act(
            dossier=dossier,
            user=getattr(world, who),
            transition=Transition.GUIDE_ELSEWHERE,
            **arguments,
        )
    dossier.refresh_from_db()
    assert dossier.status == Status.SUBMITTED and dossier.events.count() == 1


def test_only_at_intake(world: World) -> None:
    dossier = services.act(
        dossier=file_dossier(world), user=world.receiver, transition=Transition.ACCEPT
    )
    with pytest.raises(services.NotAllowed):
        guide(world, dossier)


def test_the_officer_guides_from_the_dossier_page(world: World, client: Client) -> None:
    dossier = file_dossier(world)
    sign_in_with_second_factor(client, world.receiver)
    client.cookies["django_language"] = "en"
    url = f"/can-bo/ho-so/{dossier.code}/"
    page = client.get(url).content.decode()
    assert 'value="guide_elsewhere"' in page and "Competent agency the applicant" in page
    missing = client.post(f"{url}xu-ly/", {"transition": "guide_elsewhere", "reason": REASON})
    assert missing.status_code == 400
    done = client.post(
        f"{url}xu-ly/",
        {"transition": "guide_elsewhere", "reason": REASON, "to_unit": world.other_agency.code},
    )
    assert done.status_code == 302
    assert Dossier.objects.get(pk=dossier.pk).status == Status.GUIDED_ELSEWHERE
    assert world.other_agency.name in client.get(url).content.decode()


def test_the_applicant_is_shown_where_to_go_and_no_refusal(world: World, client: Client) -> None:
    dossier = guide(world, file_dossier(world))
    client.force_login(world.applicant)
    client.cookies["django_language"] = "en"
    page = client.get(f"/ho-so/{dossier.code}/").content.decode()
    assert f"File it with {world.other_agency.name}." in page and REASON in page
    assert "Not accepted" not in page and "form 03" not in page
    assert client.get(f"/ho-so/{dossier.code}/mau-03.pdf").status_code == 404


def test_the_api_guides_elsewhere(world: World, client: Client) -> None:
    dossier = file_dossier(world)
    sign_in_with_second_factor(client, world.receiver)
    url = f"/api/v1/dossiers/{dossier.code}/actions/"
    body = {"transition": "guide_elsewhere", "reason": REASON}
    assert client.post(url, body, content_type="application/json").status_code == 400
    done = client.post(
        url, {**body, "to_unit": world.other_agency.code}, content_type="application/json"
    )
    assert done.status_code == 200, done.content
    answer = done.json()
    assert answer["status"] == Status.GUIDED_ELSEWHERE and answer["national_status"] == 3
