"""Payment pages, receipts, the officers' report and the API, from the outside."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from motcua.accounts.tests.factories import UserFactory, sign_in_with_second_factor
from motcua.dossiers.tests.factories import file_dossier
from motcua.payments import selectors, services
from motcua.payments.lifecycle import State
from motcua.payments.models import Payment
from motcua.payments.receipt import dong, in_words
from motcua.payments.tests.factories import FEE, awaiting_payment, ipn_params, set_fee, start

pytestmark = pytest.mark.django_db


def paid_payment() -> tuple[Any, Payment]:
    world, dossier = awaiting_payment()
    payment, _url = start(world, dossier)
    assert (
        Client()
        .get(reverse("payments:ipn", kwargs={"gateway_name": "sandbox"}), ipn_params(payment))
        .json()["RspCode"]
        == "00"
    )
    payment.refresh_from_db()
    return world, payment


def english(client: Client) -> Client:
    client.cookies["django_language"] = "en"
    return client


def test_the_dossier_include_offers_the_applicant_the_pay_button() -> None:
    world, dossier = awaiting_payment()

    def rendered(user: Any) -> str:
        context = selectors.dossier_payments(dossier, user)
        return render_to_string("payments/_dossier_payments.html", context)

    mine = rendered(world.applicant)
    assert reverse("payments:pay", kwargs={"code": dossier.code}) in mine
    assert "50.000" in mine or "50,000" in mine
    officer = rendered(world.receiver)
    assert 'id="payments"' in officer and "payments:pay" not in officer
    assert reverse("payments:pay", kwargs={"code": dossier.code}) not in officer
    assert rendered(UserFactory.create()).strip() == ""


def test_another_citizen_can_neither_pay_nor_see_the_receipt() -> None:
    _world, payment = paid_payment()
    outsider = Client()
    outsider.force_login(UserFactory.create())
    code = payment.dossier.code

    assert outsider.post(reverse("payments:pay", kwargs={"code": code})).status_code == 404
    receipt = reverse("payments:receipt", kwargs={"order_ref": payment.order_ref})
    assert outsider.get(receipt).status_code == 404
    api = reverse("api:dossier-payments", kwargs={"code": code})
    assert outsider.get(api).status_code == 404
    assert outsider.post(api).status_code == 404
    assert payment.order_ref not in outsider.get(reverse("payments:mine")).text
    assert Payment.objects.count() == 1


def test_only_the_applicant_may_start_a_payment_and_only_in_status_6() -> None:
    world, dossier = awaiting_payment()
    with pytest.raises(services.NotAllowed):
        services.start_payment(
            dossier=dossier, user=world.receiver, return_url="http://x/", client_ip="1.2.3.4"
        )
    fresh = file_dossier(world)  # status 1: not waiting for payment
    client = english(Client())
    client.force_login(world.applicant)
    response = client.post(reverse("payments:pay", kwargs={"code": fresh.code}), follow=True)
    assert "This dossier is not waiting for a payment." in response.text
    assert not fresh.payments.exists()


def test_the_receipt_is_a_pdf_with_the_facts() -> None:
    world, payment = paid_payment()
    client = Client()
    client.force_login(world.applicant)

    response = client.get(reverse("payments:receipt", kwargs={"order_ref": payment.order_ref}))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert payment.dossier.code in text
    assert "50.000 đồng" in text
    assert "Năm mươi nghìn đồng" in text
    assert payment.gateway_transaction_no in text
    assert "BIÊN LAI THU PHÍ, LỆ PHÍ" in text


def test_no_receipt_for_an_unpaid_payment() -> None:
    world, dossier = awaiting_payment()
    payment, _url = start(world, dossier)
    client = Client()
    client.force_login(world.applicant)
    url = reverse("payments:receipt", kwargs={"order_ref": payment.order_ref})
    assert client.get(url).status_code == 404


def test_my_payments_lists_what_i_paid() -> None:
    world, payment = paid_payment()
    client = english(Client())
    client.force_login(world.applicant)
    page = client.get(reverse("payments:mine"))
    assert page.status_code == 200
    assert payment.dossier.code in page.text and "Paid" in page.text
    assert reverse("payments:receipt", kwargs={"order_ref": payment.order_ref}) in page.text


def test_the_officers_report_shows_their_agency_only_with_csv() -> None:
    world, payment = paid_payment()
    day = payment.created_at.astimezone(selectors.VIETNAM).date().isoformat()
    ours, theirs = Client(), Client()
    sign_in_with_second_factor(ours, world.receiver)
    sign_in_with_second_factor(theirs, world.outsider_officer)
    report = reverse("payments:officer_report")

    page = ours.get(report, {"day": day})
    assert page.status_code == 200
    assert payment.order_ref in page.text
    paid_row = next(row for row in page.context["report"].by_state if row["state"] == "paid")
    assert (paid_row["count"], paid_row["total"]) == (1, FEE)

    assert payment.order_ref not in theirs.get(report, {"day": day}).text
    forbidden = theirs.get(report, {"day": day, "agency": world.agency.code})
    assert forbidden.status_code == 400 and payment.order_ref not in forbidden.text
    assert (
        theirs.get(reverse("payments:officer_report_csv"), {"day": day}).content.count(b"\n") == 1
    )  # the header only

    exported = ours.get(reverse("payments:officer_report_csv"), {"day": day})
    assert exported["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert rows[0][:5] == ["order_ref", "dossier", "created_at", "state", "amount_dong"]
    assert len(rows) == 2
    assert rows[1][0] == payment.order_ref and rows[1][1] == payment.dossier.code
    assert rows[1][3:6] == ["paid", str(FEE), "sandbox"]
    assert rows[1][6] == payment.gateway_transaction_no

    assert ours.get(report, {"day": "26/11/2026"}).status_code == 400
    assert Client().get(report).status_code == 302  # sign in first
    citizen = Client()
    citizen.force_login(world.applicant)
    refused = citizen.get(report)  # not an officer: sent to the second factor, or not found
    assert refused.status_code in (302, 404) and payment.order_ref not in refused.text


def test_the_api_starts_and_lists_payments() -> None:
    world, dossier = awaiting_payment()
    client = Client()
    client.force_login(world.applicant)
    url = reverse("api:dossier-payments", kwargs={"code": dossier.code})

    started = client.post(url)

    assert started.status_code == 201
    body = started.json()
    assert body["payment_url"].startswith("http://testserver/sandbox/pay/paymentv2/vpcpay.html?")
    assert body["payment"]["state"] == "pending" and body["payment"]["amount"] == FEE
    listed = client.get(url).json()
    assert listed["amount_due"] == FEE
    assert [p["order_ref"] for p in listed["payments"]] == [body["payment"]["order_ref"]]

    schema = client.get(reverse("api:schema")).text
    assert "/api/v1/dossiers/{code}/payments/" in schema


def test_the_api_refuses_a_dossier_not_waiting_for_payment() -> None:
    world, _dossier = awaiting_payment()
    fresh = file_dossier(world)
    client = Client()
    client.force_login(world.applicant)
    refused = client.post(reverse("api:dossier-payments", kwargs={"code": fresh.code}))
    assert refused.status_code == 400
    assert "detail" in refused.json()


def test_a_free_dossier_has_nothing_to_pay() -> None:
    world, dossier = awaiting_payment()
    set_fee(world, 0)
    dossier.refresh_from_db()
    # The dossier keeps the rules it was filed under: the fee stays due.
    assert selectors.dossier_payments(dossier, world.applicant)["payment_amount_due"] == FEE


def test_a_refund_is_recorded_by_an_officer_of_the_agency() -> None:
    world, payment = paid_payment()
    with pytest.raises(services.NotAllowed):
        services.record_refund(payment=payment, officer=world.outsider_officer, reason="x")
    with pytest.raises(services.PaymentError):
        services.record_refund(payment=payment, officer=world.receiver, reason=" ")
    services.record_refund(payment=payment, officer=world.receiver, reason="Nộp hai lần")
    payment.refresh_from_db()
    assert payment.state == State.REFUNDED


def test_an_officer_records_a_refund_from_the_report_page() -> None:
    world, payment = paid_payment()
    url = reverse("payments:record_refund", kwargs={"order_ref": payment.order_ref})
    outsider = Client()
    sign_in_with_second_factor(outsider, world.outsider_officer)
    assert outsider.post(url, {"reason": "x"}).status_code == 404
    desk = english(Client())
    sign_in_with_second_factor(desk, world.receiver)
    report = desk.get(reverse("payments:officer_report"))
    assert url in report.content.decode()
    empty = desk.post(url, {"reason": ""}, follow=True)
    assert "Give the reason" in empty.content.decode()
    payment.refresh_from_db()
    assert payment.state == State.PAID
    done = desk.post(url, {"reason": "Nộp hai lần"})
    assert done.status_code == 302 and "agency=" in done["Location"]
    payment.refresh_from_db()
    assert payment.state == State.REFUNDED
    assert url not in desk.get(done["Location"]).content.decode()


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (0, "Không đồng"),
        (15, "Mười lăm đồng"),
        (21, "Hai mươi mốt đồng"),
        (105, "Một trăm lẻ năm đồng"),
        (50_000, "Năm mươi nghìn đồng"),
        (1_250_000, "Một triệu hai trăm năm mươi nghìn đồng"),
        (1_000_005, "Một triệu không trăm lẻ năm đồng"),
        (2_000_000_000, "Hai tỷ đồng"),
    ],
)
def test_amounts_in_vietnamese_words(amount: int, words: str) -> None:
    assert in_words(amount) == words


def test_amounts_the_vietnamese_way() -> None:
    assert dong(1_250_000) == "1.250.000 đồng"
    assert dong(500) == "500 đồng"


def test_pages_group_thousands_as_the_language_writes_them() -> None:
    from django.utils import translation

    from motcua.payments.templatetags.money import dong as grouped

    with translation.override("vi"):
        assert grouped(1_250_000) == "1.250.000"
    with translation.override("en"):
        assert grouped(1_250_000) == "1,250,000"
    assert grouped("not a number") == ""
