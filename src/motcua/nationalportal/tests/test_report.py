"""The administrator's page: the indicator per agency, refused changes, resending; and the
plugin as ``check_integrations`` reports it."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from pytest_django.fixtures import Settings

from motcua.accounts.tests.factories import UserFactory, sign_in_with_second_factor
from motcua.dossiers.tests.factories import make_world
from motcua.nationalportal import selectors, services
from motcua.nationalportal.models import CatalogueImport, SyncItem, SyncState

from .helpers import filed

pytestmark = pytest.mark.django_db

URL = "/can-bo/dong-bo-quoc-gia/"


def test_the_share_synchronised_and_the_delay_per_agency() -> None:
    world = make_world()
    delivered, waiting, refused = filed(world), filed(world), filed(world)
    now = timezone.now()
    SyncItem.objects.filter(dossier=delivered).update(
        state=SyncState.DELIVERED, delivered_at=now, delay_seconds=4.0
    )
    SyncItem.objects.filter(dossier=refused).update(state=SyncState.REFUSED, error="02: bad")
    day = datetime.timedelta(days=1)
    (row,) = selectors.by_agency(now - day, now + day)
    assert row.agency == world.agency
    assert (row.dossiers, row.synchronised, row.waiting, row.refused) == (3, 1, 1, 1)
    assert row.share == pytest.approx(1 / 3)
    assert row.average_delay == row.longest_delay == 4.0
    assert selectors.by_agency(now + day, now + 2 * day) == []
    assert waiting.code not in {item.dossier.code for item in selectors.refused()}


def test_only_administrators_see_the_page_and_resend(client: Client) -> None:
    world = make_world()
    dossier = filed(world)
    SyncItem.objects.filter(dossier=dossier).update(
        state=SyncState.REFUSED, error="02: SoGiayToChuHoSo"
    )
    item = SyncItem.objects.get(dossier=dossier)

    assert client.get(URL).status_code == 302  # sign in first
    sign_in_with_second_factor(client, world.receiver)  # an officer, not an administrator
    assert client.get(URL).status_code == 403
    assert client.post(f"{URL}{item.pk}/gui-lai/").status_code == 403
    assert SyncItem.objects.get(pk=item.pk).state == SyncState.REFUSED

    admin = UserFactory.create(is_staff=True)
    sign_in_with_second_factor(client, admin)
    page = client.get(URL)
    text = page.content.decode()
    assert page.status_code == 200
    assert world.agency.name in text and dossier.code in text and "SoGiayToChuHoSo" in text
    answer = client.post(f"{URL}{item.pk}/gui-lai/")
    assert answer.status_code == 302
    assert SyncItem.objects.get(pk=item.pk).state == SyncState.PENDING
    # Sending again what is not refused is a clear 409, not a 500.
    assert client.post(f"{URL}{item.pk}/gui-lai/").status_code == 409


def test_a_bad_period_is_a_400_that_keeps_what_was_typed(client: Client) -> None:
    admin = UserFactory.create(is_staff=True)
    sign_in_with_second_factor(client, admin)
    answer = client.get(URL, {"start": "2026-12-10", "end": "2026-12-01"})
    assert answer.status_code == 400
    assert 'value="2026-12-10"' in answer.content.decode()
    assert client.get(URL, {"start": "not-a-date"}).status_code == 400


def test_check_integrations_shows_the_sync_client(settings: Settings) -> None:
    out = io.StringIO()
    call_command("check_integrations", stdout=out)
    report = out.getvalue()
    assert "national_portal" in report and "sandbox" in report
    settings.MOTCUA_NATIONAL_SYNC_CLIENT = "national"
    out = io.StringIO()
    call_command("check_integrations", stdout=out)
    assert "MOTCUA_NATIONAL_SYNC_URL is empty" in out.getvalue()


def test_an_administrator_asks_for_the_catalogue_and_sees_what_came_of_it(
    client: Client, settings: Settings, dead_url: str, django_capture_on_commit_callbacks: Any
) -> None:
    settings.MOTCUA_NATIONAL_SYNC_URL = dead_url  # the national database does not answer
    admin = UserFactory.create(is_staff=True)
    sign_in_with_second_factor(client, admin)
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(URL + "danh-muc/")
    assert answer.status_code == 302
    (run,) = CatalogueImport.objects.all()
    assert run.asked_by == admin and run.finished_at is not None
    assert "sign-in" in run.error and not run.created
    page = client.get(URL).content.decode()
    assert "sign-in" in page
    assert services.run_catalogue_import(run.pk) is None  # a task run twice does nothing more


def test_only_administrators_ask_for_the_catalogue(client: Client) -> None:
    world = make_world()
    sign_in_with_second_factor(client, world.receiver)
    assert client.post(URL + "danh-muc/").status_code == 403
    assert not CatalogueImport.objects.exists()
