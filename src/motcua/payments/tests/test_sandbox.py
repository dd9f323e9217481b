"""The sandbox gateway end to end: the signed payment page, the tester's choice, the IPN over
HTTP to a live server, the return page; querydr and reconciliation from its records."""

from __future__ import annotations

import datetime
import json
from io import StringIO
from typing import Any
from urllib.parse import parse_qsl, quote_plus, urlsplit

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from motcua.dossiers.lifecycle import Status
from motcua.payments import sandbox, services
from motcua.payments.gateways.vnpay import QUERYDR_RESPONSE_FIELDS, pipe_joined, sign
from motcua.payments.lifecycle import State
from motcua.payments.models import EventAction, Payment, SandboxTransaction
from motcua.payments.tests.factories import awaiting_payment, start

QUERYDR = reverse("payments:sandbox_querydr")
UNREACHABLE = "http://127.0.0.1:9"  # nothing listens on the discard port


def pay_in_browser(client: Client, code: str) -> str:
    """The applicant presses "pay": the answer sends the browser to the sandbox page."""
    response = client.post(reverse("payments:pay", kwargs={"code": code}))
    assert response.status_code == 302
    return str(response["Location"])


def reload(payment: Payment) -> Payment:
    payment.refresh_from_db()
    return payment


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_paying_in_the_sandbox_notifies_the_platform_and_returns(
    client: Client, live_server: Any, settings: Any
) -> None:
    settings.MOTCUA_PAYMENT_BASE_URL = live_server.url  # the sandbox calls the IPN over HTTP
    world, dossier = awaiting_payment()
    client.force_login(world.applicant)

    gateway_url = pay_in_browser(client, dossier.code)
    assert urlsplit(gateway_url).path == "/sandbox/pay/paymentv2/vpcpay.html"
    payment = Payment.objects.get()
    assert payment.state == State.PENDING

    client.cookies["django_language"] = "en"
    page = client.get(gateway_url)
    assert page.status_code == 200
    assert b"SANDBOX" in page.content and b"50,000" in page.content
    assert b"no real money" in page.content

    done = client.post(gateway_url, {"outcome": "success"})
    assert done.status_code == 302
    back = urlsplit(done["Location"])
    assert back.path == reverse("payments:return", kwargs={"gateway_name": "sandbox"})

    assert reload(payment).state == State.PAID  # through the IPN, before the browser is back
    assert SandboxTransaction.objects.get().ipn_answer == "00 Confirm Success"
    dossier.refresh_from_db()
    assert dossier.status != Status.AWAITING_PAYMENT

    shown = client.get(done["Location"])
    assert shown.status_code == 200 and shown.context["payment"] == payment
    assert b'data-state="paid"' in shown.content


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize(("outcome", "code"), [("failure", "51"), ("cancel", "24")])
def test_a_failed_or_cancelled_payment_leaves_the_dossier_waiting(
    client: Client, live_server: Any, settings: Any, outcome: str, code: str
) -> None:
    settings.MOTCUA_PAYMENT_BASE_URL = live_server.url
    world, dossier = awaiting_payment()
    client.force_login(world.applicant)
    gateway_url = pay_in_browser(client, dossier.code)

    done = client.post(gateway_url, {"outcome": outcome})

    returned = dict(parse_qsl(urlsplit(done["Location"]).query))
    assert returned["vnp_ResponseCode"] == code
    assert Payment.objects.get().state == State.FAILED
    dossier.refresh_from_db()
    assert dossier.status == Status.AWAITING_PAYMENT
    # Paying again is a new payment.
    assert urlsplit(pay_in_browser(client, dossier.code)).path.startswith("/sandbox/pay/")
    assert Payment.objects.filter(state=State.PENDING).count() == 1


@pytest.mark.django_db
def test_the_sandbox_page_refuses_forged_requests_and_bad_choices(client: Client) -> None:
    world, dossier = awaiting_payment()
    _payment, url = start(world, dossier)

    tampered = url.replace("vnp_Amount=5000000", "vnp_Amount=100")
    assert client.get(tampered).status_code == 400
    assert SandboxTransaction.objects.count() == 0

    assert client.get(url).status_code == 200
    assert client.post(url, {"outcome": "steal"}).status_code == 400
    assert SandboxTransaction.objects.get().transaction_status == "01"


@pytest.mark.django_db
def test_the_sandbox_is_404_when_switched_off(client: Client, settings: Any) -> None:
    world, dossier = awaiting_payment()
    _payment, url = start(world, dossier)
    settings.MOTCUA_PAYMENT_SANDBOX_ENABLED = False
    assert client.get(url).status_code == 404
    assert client.post(QUERYDR, "{}", content_type="application/json").status_code == 404


@pytest.mark.django_db
def test_querydr_answers_signed_from_the_sandbox_records(client: Client) -> None:
    world, dossier = awaiting_payment()
    payment, url = start(world, dossier)
    secret = sandbox.terminal()[1]

    def ask(**changes: str) -> dict[str, str]:
        body = {
            "vnp_RequestId": "R1",
            "vnp_Version": "2.1.0",
            "vnp_Command": "querydr",
            "vnp_TmnCode": sandbox.terminal()[0],
            "vnp_TxnRef": payment.order_ref,
            "vnp_TransactionDate": "20261126080000",
            "vnp_CreateDate": "20261126081000",
            "vnp_IpAddr": "127.0.0.1",
            "vnp_OrderInfo": "Truy van",
        }
        from motcua.payments.gateways.vnpay import QUERYDR_REQUEST_FIELDS

        body["vnp_SecureHash"] = sign(secret, pipe_joined(body, QUERYDR_REQUEST_FIELDS))
        body.update(changes)
        answer: dict[str, str] = client.post(
            QUERYDR, json.dumps(body), content_type="application/json"
        ).json()
        assert answer["vnp_SecureHash"] == sign(
            secret, pipe_joined(answer, QUERYDR_RESPONSE_FIELDS)
        )
        return answer

    assert ask()["vnp_ResponseCode"] == "91"  # the payer never reached the gateway
    client.get(url)
    assert ask()["vnp_TransactionStatus"] == "01"  # opened, not completed
    sandbox.complete(SandboxTransaction.objects.get(), "success")
    answer = ask()
    assert (answer["vnp_ResponseCode"], answer["vnp_TransactionStatus"]) == ("00", "00")
    assert answer["vnp_Amount"] == str(payment.amount * 100)
    assert ask(vnp_TxnRef="OTHER")["vnp_ResponseCode"] == "97"  # signed for another order
    bad = client.post(QUERYDR, "[1]", content_type="application/json").json()
    assert bad["vnp_ResponseCode"] == "03"


def paid_at_the_gateway_while_the_platform_was_down(
    client: Client, settings: Any, payment_url: str
) -> None:
    settings.MOTCUA_PAYMENT_BASE_URL = UNREACHABLE
    client.post(payment_url, {"outcome": "success"})
    assert SandboxTransaction.objects.get().ipn_answer.startswith("not delivered")
    settings.MOTCUA_PAYMENT_BASE_URL = ""


@pytest.mark.django_db
def test_reconciliation_moves_a_paid_payment_and_expires_abandoned_ones(
    client: Client, settings: Any
) -> None:
    world, dossier = awaiting_payment()
    payment, url = start(world, dossier)
    paid_at_the_gateway_while_the_platform_was_down(client, settings, url)
    assert reload(payment).state == State.PENDING

    # Too recent to be queried yet.
    assert services.reconcile().queried == 0

    later = timezone.now() + datetime.timedelta(minutes=6)
    report = services.reconcile(now=later)

    assert (report.queried, report.paid, report.errors) == (1, 1, 0)
    payment = reload(payment)
    assert payment.state == State.PAID
    assert payment.gateway_transaction_no == SandboxTransaction.objects.get().transaction_no
    assert payment.events.get(action=EventAction.PAID).source == "query"
    dossier.refresh_from_db()
    assert dossier.status != Status.AWAITING_PAYMENT
    # Again: nothing more happens (the same path as the IPN: idempotent).
    assert services.reconcile(now=later).queried == 0


@pytest.mark.django_db
def test_reconciliation_expires_what_the_gateway_never_completed(client: Client) -> None:
    world, dossier = awaiting_payment()
    payment, url = start(world, dossier)
    client.get(url)  # opened at the gateway, then abandoned

    still_valid = services.reconcile(now=timezone.now() + datetime.timedelta(minutes=6))
    assert (still_valid.queried, still_valid.expired) == (1, 0)
    assert reload(payment).state == State.PENDING

    report = services.reconcile(now=timezone.now() + datetime.timedelta(minutes=16))
    assert report.expired == 1
    assert reload(payment).state == State.EXPIRED
    dossier.refresh_from_db()
    assert dossier.status == Status.AWAITING_PAYMENT


@pytest.mark.django_db
def test_a_query_that_fails_does_not_expire_the_payment(settings: Any) -> None:
    world, dossier = awaiting_payment()
    payment, _url = start(world, dossier)
    settings.MOTCUA_PAYMENT_BASE_URL = UNREACHABLE
    report = services.reconcile(now=timezone.now() + datetime.timedelta(minutes=30))
    assert (report.errors, report.expired) == (1, 0)
    assert reload(payment).state == State.PENDING


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_reconciliation_over_http_and_the_command(
    client: Client, live_server: Any, settings: Any
) -> None:
    world, dossier = awaiting_payment()
    payment, url = start(world, dossier)
    paid_at_the_gateway_while_the_platform_was_down(client, settings, url)
    settings.MOTCUA_PAYMENT_BASE_URL = live_server.url  # querydr as a real HTTP POST
    settings.MOTCUA_PAYMENT_QUERY_AFTER_MINUTES = 0

    out = StringIO()
    call_command("reconcile_payments", stdout=out)

    assert "queried: 1, paid: 1" in out.getvalue()
    assert reload(payment).state == State.PAID


@pytest.mark.django_db
def test_the_admin_lists_payments_and_gateway_readiness(client: Client) -> None:
    from motcua.accounts.tests.factories import UserFactory, sign_in_with_second_factor

    world, dossier = awaiting_payment()
    payment, _url = start(world, dossier)
    sign_in_with_second_factor(client, UserFactory.create(is_staff=True, is_superuser=True))
    page = client.get(reverse("admin:payments_payment_changelist"))
    assert page.status_code == 200
    assert payment.order_ref in page.text
    assert "Gateway sandbox: ready" in page.text
    assert "Gateway vnpay: TMN_CODE is not set" in page.text


@pytest.mark.django_db
@pytest.mark.parametrize("outcome", ["success", "cancel"])
def test_the_sandbox_signs_as_vnpay_does_leaving_empty_fields_out(
    client: Client, settings: Any, outcome: str
) -> None:
    world, dossier = awaiting_payment()
    _payment, url = start(world, dossier)
    order = sandbox.read_order(dict(parse_qsl(urlsplit(url).query)))
    params = sandbox.result_params(sandbox.complete(order.transaction, outcome))

    # A payment that did not go through has no bank transaction: the field comes empty.
    assert (params["vnp_BankTranNo"] == "") is (outcome == "cancel")
    signed = "&".join(
        f"{key}={quote_plus(value)}"
        for key, value in sorted(params.items())
        if value and key != "vnp_SecureHash"
    )
    secret = settings.MOTCUA_PAYMENT_SANDBOX_HASH_SECRET
    assert params["vnp_SecureHash"] == sign(secret, signed)
    # The platform's return page takes the parameters as the browser brings them back.
    client.force_login(world.applicant)
    returned = client.get(reverse("payments:return", kwargs={"gateway_name": "sandbox"}), params)
    assert returned.status_code == 200
