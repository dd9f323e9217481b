"""The IPN: acted upon only after signature, order, amount and state; once; logged when refused.

The return URL only displays. Requests go through the real URL and view.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote_plus

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from motcua.dossiers.lifecycle import Status, Transition
from motcua.payments.gateways.vnpay import sign
from motcua.payments.lifecycle import State
from motcua.payments.models import EventAction, Payment, PaymentEvent
from motcua.payments.tests.factories import awaiting_payment, ipn_params, start

pytestmark = pytest.mark.django_db

IPN = reverse("payments:ipn", kwargs={"gateway_name": "sandbox"})
RETURN = reverse("payments:return", kwargs={"gateway_name": "sandbox"})


def deliver(client: Client, params: dict[str, str]) -> dict[str, Any]:
    response = client.get(IPN, params)
    assert response.status_code == 200
    return response.json()  # type: ignore[no-any-return]


def snapshot(payment: Payment) -> tuple[Any, ...]:
    payment.refresh_from_db()
    dossier = payment.dossier
    dossier.refresh_from_db()
    return (payment.state, payment.gateway_transaction_no, payment.paid_at, dossier.status)


def test_a_valid_notification_marks_paid_and_resumes_the_dossier(client: Client) -> None:
    world, dossier = awaiting_payment()
    payment, _url = start(world, dossier)
    assert payment.state == State.PENDING

    answer = deliver(client, ipn_params(payment))

    assert answer == {"RspCode": "00", "Message": "Confirm Success"}
    payment.refresh_from_db()
    assert payment.state == State.PAID
    assert payment.gateway_transaction_no == "14422574"
    assert payment.bank_code == "NCB"
    assert payment.pay_date is not None and payment.paid_at is not None
    dossier.refresh_from_db()
    assert dossier.status != Status.AWAITING_PAYMENT
    assert dossier.events.filter(transition=Transition.CONFIRM_PAYMENT).count() == 1
    actions = list(payment.events.values_list("action", flat=True))
    assert actions == [EventAction.CREATED, EventAction.REDIRECTED, EventAction.PAID]


def test_a_failed_payment_leaves_the_dossier_waiting_and_a_new_one_can_start(
    client: Client,
) -> None:
    world, dossier = awaiting_payment()
    payment, _url = start(world, dossier)

    answer = deliver(client, ipn_params(payment, vnp_ResponseCode="24", vnp_TransactionStatus="02"))

    assert answer["RspCode"] == "00"
    assert snapshot(payment)[0] == State.FAILED
    assert snapshot(payment)[3] == Status.AWAITING_PAYMENT
    again, _url = start(world, dossier)
    assert again.state == State.PENDING and again.order_ref != payment.order_ref


def test_starting_again_expires_the_abandoned_payment() -> None:
    world, dossier = awaiting_payment()
    first, _url = start(world, dossier)
    second, _url = start(world, dossier)
    first.refresh_from_db()
    assert first.state == State.EXPIRED
    assert second.state == State.PENDING
    dossier.refresh_from_db()
    assert dossier.status == Status.AWAITING_PAYMENT


def test_a_forged_signature_is_refused_with_97_and_changes_nothing(client: Client) -> None:
    world, dossier = awaiting_payment()
    payment, _url = start(world, dossier)
    before = snapshot(payment)

    answer = deliver(client, ipn_params(payment, secret="guessed-secret"))

    assert answer == {"RspCode": "97", "Message": "Invalid signature"}
    assert snapshot(payment) == before
    refusal = PaymentEvent.objects.get(action=EventAction.REFUSED)
    assert refusal.code == "97" and refusal.payment == payment
    assert refusal.params["vnp_TxnRef"] == payment.order_ref
    assert "vnp_SecureHash" not in refusal.params


def test_an_amount_changed_after_signing_is_refused_with_97(client: Client) -> None:
    world, dossier = awaiting_payment()
    payment, _url = start(world, dossier)
    before = snapshot(payment)
    params = ipn_params(payment)
    params["vnp_Amount"] = "100"  # 1 đồng instead of 50.000

    assert deliver(client, params)["RspCode"] == "97"
    assert snapshot(payment) == before


def test_a_signed_notification_for_another_amount_is_refused_with_04(client: Client) -> None:
    world, dossier = awaiting_payment()
    payment, _url = start(world, dossier)
    before = snapshot(payment)

    answer = deliver(client, ipn_params(payment, vnp_Amount="100000"))  # 1.000 đồng

    assert answer == {"RspCode": "04", "Message": "invalid amount"}
    assert snapshot(payment) == before
    assert PaymentEvent.objects.get(action=EventAction.REFUSED).code == "04"


def test_an_unknown_order_is_refused_with_01(client: Client) -> None:
    world, dossier = awaiting_payment()
    payment, _url = start(world, dossier)
    before = snapshot(payment)

    answer = deliver(client, ipn_params(payment, vnp_TxnRef="MC000000000000NOSUCH00"))

    assert answer == {"RspCode": "01", "Message": "Order not found"}
    assert snapshot(payment) == before
    refusal = PaymentEvent.objects.get(action=EventAction.REFUSED)
    assert refusal.payment is None and refusal.order_ref == "MC000000000000NOSUCH00"


def reference_signed(params: dict[str, str]) -> dict[str, str]:
    """Signed as VNPay's reference code does it: empty fields left out of the hash data."""
    data = "&".join(f"{key}={quote_plus(value)}" for key, value in sorted(params.items()) if value)
    return {**params, "vnp_SecureHash": sign(settings.MOTCUA_PAYMENT_SANDBOX_HASH_SECRET, data)}


def test_a_notification_with_an_empty_field_is_acted_upon(client: Client) -> None:
    world, dossier = awaiting_payment()
    payment, _url = start(world, dossier)
    params = {key: value for key, value in ipn_params(payment).items() if key != "vnp_SecureHash"}
    params["vnp_BankTranNo"] = ""  # VNPay sends some fields empty; they are not signed

    answer = deliver(client, reference_signed(params))

    assert answer == {"RspCode": "00", "Message": "Confirm Success"}
    assert snapshot(payment)[0] == State.PAID


def test_a_notification_for_another_terminal_is_refused_with_01(client: Client) -> None:
    world, dossier = awaiting_payment()
    payment, _url = start(world, dossier)
    before = snapshot(payment)

    # Genuinely signed, about our order reference, but for another merchant's terminal.
    answer = deliver(client, ipn_params(payment, vnp_TmnCode="OTHERTMN"))

    assert answer == {"RspCode": "01", "Message": "Order not found"}
    assert snapshot(payment) == before
    refusal = PaymentEvent.objects.get(action=EventAction.REFUSED)
    assert refusal.code == "01" and "OTHERTMN" in refusal.detail
    assert refusal.order_ref == payment.order_ref
    # The return page does not take it as ours either.
    client.force_login(world.applicant)
    assert client.get(RETURN, ipn_params(payment, vnp_TmnCode="OTHERTMN")).status_code == 400


def test_a_replay_is_refused_with_02_and_changes_nothing(client: Client) -> None:
    world, dossier = awaiting_payment()
    payment, _url = start(world, dossier)
    params = ipn_params(payment)
    assert deliver(client, params)["RspCode"] == "00"
    after_first = snapshot(payment)

    assert deliver(client, params) == {"RspCode": "02", "Message": "Order already confirmed"}
    # A contradicting, validly signed message about a settled payment changes nothing either.
    failure = ipn_params(payment, vnp_ResponseCode="51", vnp_TransactionStatus="02")
    assert deliver(client, failure)["RspCode"] == "02"

    assert snapshot(payment) == after_first
    assert payment.events.filter(action=EventAction.PAID).count() == 1
    assert payment.dossier.events.filter(transition=Transition.CONFIRM_PAYMENT).count() == 1


def test_a_late_success_on_an_expired_payment_is_recorded(client: Client) -> None:
    world, dossier = awaiting_payment()
    first, _url = start(world, dossier)
    start(world, dossier)  # expires the first
    assert deliver(client, ipn_params(first))["RspCode"] == "00"
    first.refresh_from_db()
    assert first.state == State.PAID
    assert first.events.get(action=EventAction.PAID).detail == "paid after it had expired"


def test_an_unknown_gateway_is_404(client: Client) -> None:
    url = reverse("payments:ipn", kwargs={"gateway_name": "nope"})
    assert client.get(url).status_code == 404


def test_the_ipn_is_off_with_the_sandbox(client: Client, settings: Any) -> None:
    world, dossier = awaiting_payment()
    payment, _url = start(world, dossier)
    settings.MOTCUA_PAYMENT_SANDBOX_ENABLED = False
    assert client.get(IPN, ipn_params(payment)).status_code == 404
    assert snapshot(payment)[0] == State.PENDING


def test_the_return_url_displays_but_never_changes_state(client: Client) -> None:
    world, dossier = awaiting_payment()
    payment, _url = start(world, dossier)
    client.force_login(world.applicant)
    events = PaymentEvent.objects.count()

    response = client.get(RETURN, ipn_params(payment))

    assert response.status_code == 200
    assert snapshot(payment)[0] == State.PENDING
    assert PaymentEvent.objects.count() == events
    assert response.context["gateway_says_paid"] is True
    assert response.context["payment"] == payment
    assert b'data-state="pending"' in response.content

    forged = client.get(RETURN, ipn_params(payment, secret="x"))
    assert forged.status_code == 400
    assert snapshot(payment)[0] == State.PENDING


def test_the_return_page_shows_nothing_of_the_payment_to_someone_else(client: Client) -> None:
    from motcua.accounts.tests.factories import UserFactory

    world, dossier = awaiting_payment()
    payment, _url = start(world, dossier)
    client.force_login(UserFactory.create())
    response = client.get(RETURN, ipn_params(payment))
    assert response.status_code == 200
    assert response.context["payment"] is None
    assert dossier.code.encode() not in response.content
