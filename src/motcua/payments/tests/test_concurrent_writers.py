"""Several people at once: decisions and payment notifications wait their turn, on both databases.

The demo serves runserver's threads, the task worker and the scheduler from one SQLite file.
pytest-django's SQLite test database lives in memory, where this would not show, so on SQLite
the test copies its data into a file and runs on that file, with the connection options of
``settings.DATABASES``, every thread with its own connection, as the demo's requests do.
"""

from __future__ import annotations

import sqlite3
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.sqlite3.base import DatabaseWrapper as SQLiteDatabaseWrapper
from django.test import Client
from django.urls import reverse

from motcua.accounts.tests.factories import sign_in_with_second_factor
from motcua.dossiers.lifecycle import Status, Transition
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.services import act
from motcua.dossiers.tests.factories import file_dossier, make_world, officer
from motcua.payments.lifecycle import State
from motcua.payments.models import EventAction
from motcua.payments.tests.factories import awaiting_payment, ipn_params, start
from motcua.results.keys import ensure_agency_certificate
from motcua.results.models import IssuedResult

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

DECISIONS = 4
DELIVERIES = 20


@pytest.fixture
def on_a_database_file(tmp_path: Path) -> Iterator[Callable[[], None]]:
    """Call it once the data is in place: from then on, every connection uses a file.

    A no-op on PostgreSQL, whose test database is a real server already.
    """
    set_aside: list[tuple[BaseDatabaseWrapper, str]] = []

    def move() -> None:
        memory = connections["default"]
        if not isinstance(memory, SQLiteDatabaseWrapper) or not memory.is_in_memory_db():
            return
        memory.ensure_connection()
        path = tmp_path / "motcua.sqlite3"
        target = sqlite3.connect(path)
        try:
            memory.connection.backup(target)
        finally:
            target.close()
        # Every thread's connection to "default" is made from this one settings dict. The
        # in-memory connection is set aside, not closed: closing it would drop that database.
        settings_dict = memory.settings_dict
        assert settings_dict is connections.settings["default"]
        set_aside.append((memory, settings_dict["NAME"]))
        settings_dict["NAME"] = str(path)
        connections["default"] = connections.create_connection("default")
        with connection.cursor() as cursor:  # the first connection turns the file to WAL
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone() == ("wal",)

    yield move
    for memory, name in set_aside:
        connections["default"].close()
        memory.settings_dict["NAME"] = name
        connections["default"] = memory


def at_once(work: list[Callable[[], object]]) -> list[object]:
    """Run each piece of work in its own thread, all released together; their results in order."""
    barrier = threading.Barrier(len(work))
    results: list[object] = [None] * len(work)
    errors: list[BaseException] = []

    def run(index: int) -> None:
        try:
            barrier.wait()
            results[index] = work[index]()
        except BaseException as exc:  # collected and reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(work))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return results


def test_approvers_deciding_at_once_all_get_their_decision(
    on_a_database_file: Callable[[], None],
) -> None:
    world = make_world()
    to_decide = []
    for _ in range(DECISIONS):
        dossier = file_dossier(world)
        act(dossier=dossier, user=world.receiver, transition=Transition.ACCEPT)
        to_decide.append(act(dossier=dossier, user=world.receiver, transition=Transition.FORWARD))
    # The agency's signing key exists before the crowd: this test is about the database.
    ensure_agency_certificate(
        Path(settings.MOTCUA_SIGNING_DIR), code=world.agency.code, name=world.agency.name
    )
    approvers = []
    for _ in to_decide:  # the agency's approvers, each signed in in their own browser
        client = Client(raise_request_exception=False)  # an error is a 500, as people see it
        sign_in_with_second_factor(client, officer(world.agency, "approver"))
        approvers.append(client)
    on_a_database_file()

    def decide(client: Client, dossier: Dossier) -> Callable[[], int]:
        url = f"/can-bo/ho-so/{dossier.code}/xu-ly/"
        return lambda: client.post(url, {"transition": Transition.DECIDE}).status_code

    answers = at_once([decide(c, d) for c, d in zip(approvers, to_decide, strict=True)])

    assert answers == [302] * DECISIONS  # "Done.", back to the dossier
    codes = [d.code for d in to_decide]
    assert (
        list(Dossier.objects.filter(code__in=codes).values_list("status", flat=True))
        == [Status.DECIDED] * DECISIONS
    )
    decisions = DossierEvent.objects.filter(dossier__code__in=codes, transition=Transition.DECIDE)
    assert decisions.count() == DECISIONS
    assert IssuedResult.objects.live().filter(dossier__code__in=codes).count() == DECISIONS


def test_twenty_notifications_at_once_confirm_the_payment_once(
    on_a_database_file: Callable[[], None],
) -> None:
    world, dossier = awaiting_payment()
    payment, _url = start(world, dossier)
    params = ipn_params(payment)  # signed with the sandbox gateway's secret, as VNPay signs
    url = reverse("payments:ipn", kwargs={"gateway_name": "sandbox"})
    on_a_database_file()

    def deliver() -> str:
        response = Client(raise_request_exception=False).get(url, params)
        return response.json()["RspCode"] if response.status_code == 200 else str(response)

    answers = at_once([deliver] * DELIVERIES)

    # Paid once; every other delivery hears "already confirmed" (02), none "unknown error" (99).
    assert Counter(answers) == {"00": 1, "02": DELIVERIES - 1}
    payment.refresh_from_db()
    assert payment.state == State.PAID
    assert payment.events.filter(action=EventAction.PAID).count() == 1
    assert payment.events.filter(action=EventAction.REFUSED, code="02").count() == DELIVERIES - 1
    assert dossier.events.filter(transition=Transition.CONFIRM_PAYMENT).count() == 1
