"""Paying a dossier's fee in the sandbox gateway, in a real browser on a phone-sized screen.

A citizen whose dossier waits for payment (status 6) presses "pay", confirms a successful
payment on the sandbox page, is brought back, sees the payment confirmed on the dossier and
downloads the receipt.
"""

from __future__ import annotations

from typing import Any

import pytest

from motcua.dossiers.lifecycle import Status
from motcua.payments.lifecycle import State
from motcua.payments.models import Payment
from motcua.payments.tests.factories import awaiting_payment

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
PASSWORD = "a-long-passphrase-1"


def test_a_citizen_pays_in_the_sandbox_and_gets_the_receipt(
    live_server: Any, page: Any, settings: Any
) -> None:
    settings.MOTCUA_PAYMENT_SANDBOX_ENABLED = True
    settings.MOTCUA_PAYMENT_GATEWAY = "sandbox"
    settings.MOTCUA_PAYMENT_BASE_URL = ""  # the sandbox calls back the host it was reached on
    world, dossier = awaiting_payment()
    base = live_server.url

    page.goto(base + "/accounts/login/")
    page.fill("#id_username", world.applicant.username)
    page.fill("#id_password", PASSWORD)
    page.locator("form[action='/accounts/login/'] button[type=submit]").click()

    page.goto(f"{base}/ho-so/{dossier.code}/")
    page.locator(f"form[action='/thanh-toan/ho-so/{dossier.code}/'] button").click()

    # The sandbox page: clearly a sandbox, the order and its amount.
    assert "/sandbox/pay/paymentv2/vpcpay.html" in page.url
    assert "SANDBOX" in page.inner_text(".sandbox-banner")
    assert page.inner_text("#sandbox-amount").replace(",", ".").startswith("50.000")
    assert page.locator("#outcome-success").is_checked()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.locator("#sandbox-confirm").click()

    # Back on the platform: the IPN arrived before the browser did.
    assert "/thanh-toan/ket-qua/sandbox/" in page.url
    assert page.get_attribute("#payment-state", "data-state") == "paid"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    payment = Payment.objects.get()
    assert payment.state == State.PAID
    dossier.refresh_from_db()
    assert dossier.status != Status.AWAITING_PAYMENT

    page.locator(f"a[href='/ho-so/{dossier.code}/#payments']").click()
    receipt_link = page.locator(f"#payments a[href$='/bien-lai/{payment.order_ref}.pdf']")
    assert receipt_link.count() == 1
    receipt = page.request.get(base + receipt_link.get_attribute("href"))
    assert receipt.status == 200
    assert receipt.headers["content-type"] == "application/pdf"
    assert receipt.body().startswith(b"%PDF")

    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, width
