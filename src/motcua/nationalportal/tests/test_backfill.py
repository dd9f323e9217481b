"""Dossiers filed before the synchronisation existed: queued once, in the order of their
history, from the filing to the current status."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.test import Client
from pytest_django.fixtures import Settings

from motcua.accounts.tests.factories import UserFactory, sign_in_with_second_factor
from motcua.dossiers import services as dossier_services
from motcua.dossiers.lifecycle import Transition
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.tests.factories import make_world
from motcua.nationalportal import services
from motcua.nationalportal.models import SandboxDossier, SyncItem, SyncState

from .helpers import accept_and_process, filed

pytestmark = pytest.mark.django_db

URL = "/can-bo/dong-bo-quoc-gia/"


def forget_the_outbox() -> None:
    """As if the dossiers had been filed before the synchronisation existed."""
    SyncItem.objects.all().delete()


def rows(dossier: Dossier) -> list[tuple[int, bool, int]]:
    return list(
        SyncItem.objects.filter(dossier=dossier)
        .order_by("event_id")
        .values_list("status", "is_creation", "event_id")
    )


@pytest.mark.usefixtures("held_tasks")
def test_each_dossier_gets_its_filing_then_its_changes_up_to_its_current_status() -> None:
    world = make_world()
    processed = accept_and_process(world, filed(world))  # 1 → 2 → 4 → 5 → 4
    dossier_services.act(  # a hand-over keeps the status: not a change for the portal
        dossier=processed,
        user=world.processor,
        transition=Transition.HAND_OVER,
        to_unit=world.agency,
    )
    just_filed = filed(world)
    live = rows(processed)
    forget_the_outbox()

    report = services.backfill(batch_size=1)  # one dossier a transaction: the batches join up
    assert report == services.Backfill(dossiers=2, changes=6)

    events = list(
        DossierEvent.objects.filter(dossier=processed).order_by("pk").values_list("pk", flat=True)
    )
    # What the handler queued live, row for row: the filing first, the current status last.
    assert rows(processed) == live
    assert [status for status, _, _ in live] == [1, 2, 4, 5, 4]
    assert [creation for _, creation, _ in live] == [True, False, False, False, False]
    assert live[0][2] == events[0] and live[-1][2] == events[-2]  # the hand-over is last
    (only,) = rows(just_filed)
    assert only[:2] == (1, True)
    assert set(SyncItem.objects.values_list("state", flat=True)) == {SyncState.PENDING}
    # The filing keeps the time of the filing, the status the time of its change.
    creation = SyncItem.objects.get(dossier=processed, is_creation=True)
    assert creation.created_at == DossierEvent.objects.get(pk=events[0]).created_at


@pytest.mark.usefixtures("held_tasks")
def test_twice_is_once_and_dossiers_already_queued_are_left_alone() -> None:
    world = make_world()
    kept = accept_and_process(world, filed(world))
    before = rows(kept)
    old = [filed(world) for _ in range(3)]
    SyncItem.objects.filter(dossier__in=old).delete()

    first = services.backfill(batch_size=2)
    assert first == services.Backfill(dossiers=3, changes=3)
    assert rows(kept) == before  # five rows of its own changes, untouched
    total = SyncItem.objects.count()

    assert services.backfill(batch_size=2) == services.Backfill()
    out = io.StringIO()
    call_command("backfill_national_sync", "--no-deliver", stdout=out)
    assert "queued 0 dossiers" in out.getvalue()
    assert SyncItem.objects.count() == total
    assert services.never_introduced().count() == 0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("held_tasks")
def test_a_dossier_filed_before_and_changed_since_gets_its_past_queued_before_the_change(
    portal_url: str,
) -> None:
    world = make_world()
    dossier = filed(world)
    dossier = dossier_services.act(
        dossier=dossier, user=world.receiver, transition=Transition.ACCEPT
    )
    forget_the_outbox()  # filed and accepted before the synchronisation existed
    dossier = dossier_services.act(
        dossier=dossier, user=world.receiver, transition=Transition.FORWARD
    )
    # The change made since goes out alone; the portal does not know the dossier.
    assert services.deliver_due() == services.Delivery(refused=1)
    assert services.never_introduced().count() == 1

    assert services.backfill(deliver=False) == services.Backfill(dossiers=1, changes=2)
    assert [status for status, _, _ in rows(dossier)] == [1, 2, 4]
    assert services.deliver_due() == services.Delivery(delivered=3)
    assert SandboxDossier.objects.get(code=dossier.code).statuses == [1, 2, 4]
    assert services.backfill() == services.Backfill()


def test_queued_only_sends_nothing(settings: Settings, dead_url: str) -> None:
    """What the demo seeding does: rows waiting, no call made, even with tasks run at once."""
    settings.MOTCUA_NATIONAL_SYNC_URL = dead_url
    world = make_world()
    dossier = filed(world)
    forget_the_outbox()
    services.backfill(deliver=False)
    (item,) = SyncItem.objects.filter(dossier=dossier)
    assert (item.state, item.attempts, item.error) == (SyncState.PENDING, 0, "")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("held_tasks")
def test_backfilled_dossiers_reach_the_sandbox_portal_in_order(portal_url: str) -> None:
    world = make_world()
    processed = accept_and_process(world, filed(world))
    forget_the_outbox()
    out = io.StringIO()
    call_command("backfill_national_sync", stdout=out)
    assert "queued 1 dossiers (5 changes)" in out.getvalue()
    assert services.deliver_due() == services.Delivery(delivered=5)
    assert SandboxDossier.objects.get(code=processed.code).statuses == [1, 2, 4, 5, 4]


def test_the_administrator_sees_how_many_were_never_sent_and_queues_them(
    client: Client,
    settings: Settings,
    dead_url: str,
    django_capture_on_commit_callbacks: object,
) -> None:
    settings.MOTCUA_NATIONAL_SYNC_URL = dead_url  # the worker's delivery finds the portal down
    world = make_world()
    dossiers = [filed(world), filed(world)]
    forget_the_outbox()
    sign_in_with_second_factor(client, world.receiver)  # an officer, not an administrator
    assert client.post(URL + "bo-sung/").status_code == 403
    assert not SyncItem.objects.exists()

    admin = UserFactory.create(is_staff=True)
    sign_in_with_second_factor(client, admin)
    page = client.get(URL).content.decode()
    assert "2 hồ sơ" in page and URL + "bo-sung/" in page
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        answer = client.post(URL + "bo-sung/")
    assert answer.status_code == 302
    assert {item.dossier_id for item in SyncItem.objects.all()} == {d.pk for d in dossiers}
    # Never lost: the portal was down, the changes wait to be retried.
    assert set(SyncItem.objects.values_list("state", flat=True)) <= {
        SyncState.PENDING,
        SyncState.RETRY,
    }
    assert URL + "bo-sung/" not in client.get(URL).content.decode()


def test_the_demo_seeding_queues_old_dossiers_and_sends_nothing(
    settings: Settings, dead_url: str
) -> None:
    settings.MOTCUA_NATIONAL_SYNC_URL = dead_url  # a call would fail and count as an attempt
    world = make_world()
    dossier = filed(world)
    forget_the_outbox()
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert "Dossiers queued for the national portal: 1 new" in out.getvalue()
    (item,) = SyncItem.objects.filter(dossier=dossier)
    assert (item.state, item.attempts, item.is_creation) == (SyncState.PENDING, 0, True)
    call_command("load_demo", stdout=io.StringIO())  # run again: nothing more
    assert SyncItem.objects.filter(dossier=dossier).count() == 1
