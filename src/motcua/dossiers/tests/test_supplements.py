"""The supplement rule (DOMAIN.md §4): one request; another only with the agency's apology,
without pausing the clock, and the dossier then counts as late."""

from __future__ import annotations

import pytest
from django.test import Client

from motcua.accounts.tests.factories import sign_in_with_second_factor
from motcua.dossiers import selectors, services
from motcua.dossiers.lifecycle import Status, Transition
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.tests.factories import World, file_dossier, make_world
from motcua.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db

APOLOGY = "Cán bộ tiếp nhận đã kiểm tra sót giấy ủy quyền"


@pytest.fixture
def world() -> World:
    return make_world()


def supplemented_once(world: World) -> Dossier:
    """Accepted, one supplement requested and provided: back at status 2."""
    dossier = services.act(
        dossier=file_dossier(world), user=world.receiver, transition=Transition.ACCEPT
    )
    services.act(
        dossier=dossier,
        user=world.receiver,
        transition=Transition.REQUEST_SUPPLEMENT,
        reason="Bản sao Căn cước",
    )
    return services.act(dossier=dossier, user=world.applicant, transition=Transition.SUPPLEMENT)


def test_the_first_request_pauses_the_clock(world: World) -> None:
    dossier = services.act(
        dossier=file_dossier(world), user=world.receiver, transition=Transition.ACCEPT
    )
    dossier = services.act(
        dossier=dossier,
        user=world.receiver,
        transition=Transition.REQUEST_SUPPLEMENT,
        reason="Bản sao Căn cước",
    )
    assert dossier.paused_since is not None
    assert not dossier.supplement_requested_more_than_once and not dossier.is_late()


def test_a_second_request_without_an_apology_is_refused_and_changes_nothing(
    world: World,
) -> None:
    dossier = supplemented_once(world)
    events = dossier.events.count()
    with pytest.raises(services.DossierError, match="apology"):
        services.act(
            dossier=dossier,
            user=world.processor,
            transition=Transition.REQUEST_SUPPLEMENT,
            reason="Giấy ủy quyền",
            apology="   ",
        )
    dossier.refresh_from_db()
    assert dossier.status == Status.ACCEPTED and dossier.supplement_requests == 1
    assert dossier.events.count() == events


def test_a_second_request_with_the_apology_keeps_the_clock_running_and_counts_as_late(
    world: World,
) -> None:
    dossier = supplemented_once(world)
    due = dossier.due_at
    assert due is not None
    again = services.act(
        dossier=dossier,
        user=world.receiver,
        transition=Transition.REQUEST_SUPPLEMENT,
        reason="Giấy ủy quyền",
        apology=APOLOGY,
    )
    assert again.status == Status.SUPPLEMENT_REQUESTED
    assert again.paused_since is None  # the clock runs: nothing is added back at the end
    assert again.supplement_requests == 2 and again.supplement_requested_more_than_once
    event = again.events.get(transition=Transition.REQUEST_SUPPLEMENT, apology=APOLOGY)
    assert event.reason == "Giấy ủy quyền"
    # The applicant is told, in Vietnamese, of the apology and of what is missing.
    told = OutboxMessage.objects.filter(body__contains=APOLOGY)
    assert told.filter(recipient=world.applicant.email).exists()
    assert "Giấy ủy quyền" in told.first().body  # type: ignore[union-attr]

    resumed = services.act(dossier=again, user=world.applicant, transition=Transition.SUPPLEMENT)
    assert resumed.status == Status.ACCEPTED and resumed.due_at == due
    # Late wherever lateness is counted, though the appointment has not passed.
    assert resumed.is_late()
    overdue = selectors.worklist(world.receiver, "overdue")
    assert list(overdue) == [resumed]
    assert Dossier.objects.filter(selectors.late(resumed.accepted_at)).count() == 1  # type: ignore[arg-type]


def test_a_second_request_at_intake_also_needs_the_apology(world: World) -> None:
    dossier = file_dossier(world)
    services.act(
        dossier=dossier, user=world.receiver, transition=Transition.REQUEST_SUPPLEMENT, reason="A"
    )
    services.act(dossier=dossier, user=world.applicant, transition=Transition.SUPPLEMENT)
    with pytest.raises(services.DossierError):
        services.act(
            dossier=dossier,
            user=world.receiver,
            transition=Transition.REQUEST_SUPPLEMENT,
            reason="B",
        )


def test_the_officer_page_asks_for_the_apology_on_a_second_request(
    world: World, client: Client
) -> None:
    dossier = supplemented_once(world)
    sign_in_with_second_factor(client, world.receiver)
    client.cookies["django_language"] = "en"
    url = f"/can-bo/ho-so/{dossier.code}/"
    page = client.get(url).content.decode()
    assert 'name="apology"' in page and "already requested once" in page
    refused = client.post(
        f"{url}xu-ly/", {"transition": "request_supplement", "reason": "Giấy ủy quyền"}
    )
    assert refused.status_code == 400 and "apology" in refused.content.decode()
    assert Dossier.objects.get(pk=dossier.pk).supplement_requests == 1
    made = client.post(
        f"{url}xu-ly/",
        {"transition": "request_supplement", "reason": "Giấy ủy quyền", "apology": APOLOGY},
    )
    assert made.status_code == 302
    assert Dossier.objects.get(pk=dossier.pk).supplement_requests == 2
    page = client.get(url).content.decode()
    assert "requested more than once, counts as late" in page


def test_the_applicant_sees_the_apology_in_the_history(world: World, client: Client) -> None:
    dossier = supplemented_once(world)
    services.act(
        dossier=dossier,
        user=world.receiver,
        transition=Transition.REQUEST_SUPPLEMENT,
        reason="Giấy ủy quyền",
        apology=APOLOGY,
    )
    client.force_login(world.applicant)
    client.cookies["django_language"] = "en"
    page = client.get(f"/ho-so/{dossier.code}/").content.decode()
    assert "The agency's apology: " + APOLOGY in page


def test_the_api_takes_the_apology_and_says_the_dossier_is_late(
    world: World, client: Client
) -> None:
    dossier = supplemented_once(world)
    sign_in_with_second_factor(client, world.receiver)
    url = f"/api/v1/dossiers/{dossier.code}/actions/"
    body = {"transition": "request_supplement", "reason": "Giấy ủy quyền"}
    assert client.post(url, body, content_type="application/json").status_code == 400
    made = client.post(url, {**body, "apology": APOLOGY}, content_type="application/json")
    assert made.status_code == 200, made.content
    assert made.json()["supplement_requested_more_than_once"] is True
    assert made.json()["late"] is True
    detail = client.get(f"/api/v1/dossiers/{dossier.code}/").json()
    assert [e["apology"] for e in detail["events"] if e["apology"]] == [APOLOGY]
    assert DossierEvent.objects.filter(apology=APOLOGY).count() == 1
