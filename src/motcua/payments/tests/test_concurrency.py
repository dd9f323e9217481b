"""Twenty deliveries of one IPN at once mark the payment paid once (PostgreSQL row locks)."""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from motcua.dossiers.lifecycle import Transition
from motcua.payments import services
from motcua.payments.lifecycle import State
from motcua.payments.models import EventAction
from motcua.payments.tests.factories import awaiting_payment, ipn_params, start

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite serialises all writers; no race to test"
)
def test_twenty_concurrent_deliveries_mark_paid_once(monkeypatch: pytest.MonkeyPatch) -> None:
    world, dossier = awaiting_payment()
    payment, _url = start(world, dossier)
    params = ipn_params(payment)
    url = reverse("payments:ipn", kwargs={"gateway_name": "sandbox"})

    calls: list[str] = []
    real_confirm = services.payment_confirmed

    def counting_confirm(**kwargs: Any) -> Any:
        calls.append(kwargs["reference"])
        return real_confirm(**kwargs)

    monkeypatch.setattr(services, "payment_confirmed", counting_confirm)

    barrier = threading.Barrier(20)
    answers: list[str] = []
    errors: list[BaseException] = []

    def deliver() -> None:
        try:
            client = Client()
            barrier.wait()
            answers.append(client.get(url, params).json()["RspCode"])
        except BaseException as exc:  # collected and reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=deliver) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert Counter(answers) == {"00": 1, "02": 19}
    assert calls == [payment.order_ref]
    payment.refresh_from_db()
    assert payment.state == State.PAID
    assert payment.events.filter(action=EventAction.PAID).count() == 1
    assert payment.events.filter(action=EventAction.REFUSED, code="02").count() == 19
    assert dossier.events.filter(transition=Transition.CONFIRM_PAYMENT).count() == 1
