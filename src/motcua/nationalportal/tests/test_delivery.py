"""Delivery to the sandbox portal over HTTP: the portal down, refusals, order, claims.

The worker's function (``services.deliver_due``) is driven by the tests; background tasks are
held (``held_tasks``), time is moved by passing ``now``.
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from pytest_django.fixtures import Settings

from motcua.accounts.tests.factories import UserFactory
from motcua.dossiers.tests.factories import make_world
from motcua.nationalportal import services
from motcua.nationalportal.models import SandboxCall, SandboxDossier, SyncItem, SyncState

from .helpers import accept_and_process, filed

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("held_tasks"),
]

LATER = datetime.timedelta(days=2)  # past every back-off of the test


def test_the_outbox_survives_the_portal_being_down_and_delivers_once_in_order(
    settings: Settings, portal_url: str, dead_url: str
) -> None:
    world = make_world()
    first = accept_and_process(world, filed(world))
    second = filed(world)

    settings.MOTCUA_NATIONAL_SYNC_URL = dead_url
    down = services.deliver_due()
    assert down.delivered == 0 and down.failed == 2  # one try per dossier: its first change
    assert set(SyncItem.objects.values_list("state", flat=True)) <= {
        SyncState.RETRY,
        SyncState.PENDING,
    }
    retrying = SyncItem.objects.filter(state=SyncState.RETRY)
    assert retrying.count() == 2 and all(item.next_attempt_at for item in retrying)
    assert all("ConnectionError" in item.error for item in retrying)
    # Not due yet: the back-off holds, nothing is tried.
    assert services.deliver_due() == services.Delivery()
    # Still down when due: tried again, later.
    assert services.deliver_due(now=timezone.now() + LATER).failed == 2
    # The changes made while the portal is down join the queue behind the others.
    third = filed(world)

    settings.MOTCUA_NATIONAL_SYNC_URL = portal_url
    back = services.deliver_due(now=timezone.now() + LATER * 2)
    assert back == services.Delivery(delivered=7)
    assert not SyncItem.objects.exclude(state=SyncState.DELIVERED).exists()
    held = {d.code: d.statuses for d in SandboxDossier.objects.all()}
    assert held == {first.code: [1, 2, 4, 5, 4], second.code: [1], third.code: [1]}
    assert SandboxCall.objects.filter(accepted=True).count() == 7
    assert not SandboxCall.objects.filter(accepted=False).exists()

    # Nothing is sent twice.
    assert services.deliver_due(now=timezone.now() + LATER * 3) == services.Delivery()
    assert SandboxCall.objects.count() == 7


def test_a_refused_payload_is_kept_with_its_error_and_holds_the_later_changes(
    portal_url: str,
) -> None:
    world = make_world()
    world.applicant.personal_id = None  # a local account: no personal number to identify them
    world.applicant.save()
    dossier = accept_and_process(world, filed(world))

    result = services.deliver_due()
    assert result == services.Delivery(refused=1)
    refused = SyncItem.objects.get(dossier=dossier, state=SyncState.REFUSED)
    assert refused.status == 1
    assert "SoGiayToChuHoSo" in refused.error
    assert refused.answer["error_code"] == "02"
    # The later changes wait behind it: never sent out of order, never dropped.
    later = SyncItem.objects.filter(dossier=dossier).exclude(pk=refused.pk)
    assert set(later.values_list("state", flat=True)) == {SyncState.PENDING}
    assert services.deliver_due(now=timezone.now() + LATER) == services.Delivery()
    assert not SandboxDossier.objects.exists()

    # The administrator has the number corrected and sends it again.
    world.applicant.personal_id = "048095123456"
    world.applicant.save()
    admin = UserFactory.create(is_staff=True)
    services.resend(item=refused, user=admin)
    assert services.deliver_due() == services.Delivery(delivered=5)
    assert SandboxDossier.objects.get().statuses == [1, 2, 4, 5, 4]
    sent = SyncItem.objects.filter(dossier=dossier).order_by("event_id").last()
    assert sent is not None and sent.payload["SoGiayToChuHoSo"] == "048095123456"
    assert SandboxDossier.objects.get().payload == sent.payload  # what was sent is kept


def test_a_later_change_waits_while_another_worker_holds_the_earlier_one(
    portal_url: str,
) -> None:
    world = make_world()
    dossier = accept_and_process(world, filed(world))
    earliest = SyncItem.objects.filter(dossier=dossier).order_by("event_id").first()
    assert earliest is not None
    now = timezone.now()
    # Another worker claimed the first change and is sending it.
    SyncItem.objects.filter(pk=earliest.pk).update(state=SyncState.SENDING, claimed_at=now)
    assert services.deliver_dossier(dossier.pk, now=now) == services.Delivery()
    assert not SandboxCall.objects.exists()
    # That worker died: once its lease has passed, the change is taken up, then the rest.
    after_lease = now + services.lease() + datetime.timedelta(seconds=1)
    assert services.deliver_dossier(dossier.pk, now=after_lease).delivered == 5
    assert SandboxDossier.objects.get().statuses == [1, 2, 4, 5, 4]
