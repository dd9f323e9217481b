"""The VNPay checksum against examples attributable to VNPay's documentation and samples.

Sources of the vectors:
- VNPay's integration guide (sandbox.vnpayment.vn/apis/docs/thanh-toan-pay/pay.html and
  huong-dan-tich-hop/): the example payment URL. Its hash secret is not published, so the
  vector checks the signed string — sorted keys, ``quote_plus`` values — byte for byte.
- The tests of the open-source ``vnpay`` library (github.com/lehuygiang28/vnpay,
  test/verify-ipn-call.test.ts): a signed IPN and a signed failure with the secret
  ``test_secret``; both hashes are reproduced exactly.
- VNPay's reference code (Java ``Config.hashAllFields`` and ``vnpay_ipn.jsp``, .NET
  ``VnPayLibrary``): fields with an empty value are left out of the hash data. The vector
  below is the library's IPN with ``vnp_BankTranNo=`` (as VNPay sends it for a cancelled
  payment); its hash was computed with ``openssl dgst -sha512 -hmac test_secret`` over the
  string written out in full, independently of this code.
- The querydr page (truy-van-hoan-tien/querydr&refund.html) and VNPay's sample code: the
  order of the ``|``-joined request and response fields.
"""

from __future__ import annotations

import datetime
from urllib.parse import parse_qsl, urlsplit

import pytest

from motcua.payments.gateways import vnpay
from motcua.payments.gateways.base import Outcome, SignatureInvalid, TerminalMismatch
from motcua.payments.gateways.registry import Registry, gateway
from motcua.payments.models import Payment

DOCUMENTED_URL_QUERY = (
    "vnp_Amount=1806000&vnp_Command=pay&vnp_CreateDate=20210801153333&vnp_CurrCode=VND"
    "&vnp_IpAddr=127.0.0.1&vnp_Locale=vn&vnp_OrderInfo=Thanh+toan+don+hang+%3A5"
    "&vnp_OrderType=other&vnp_ReturnUrl=https%3A%2F%2Fdomainmerchant.vn%2FReturnUrl"
    "&vnp_TmnCode=DEMOV210&vnp_TxnRef=5&vnp_Version=2.1.0"
)

LIBRARY_SECRET = "test_secret"
LIBRARY_IPN = {
    "vnp_Amount": "1000000",
    "vnp_BankCode": "NCB",
    "vnp_BankTranNo": "VNP14422574",
    "vnp_CardType": "ATM",
    "vnp_OrderInfo": "Thanh toan don hang 2024-05-21T02:17:31.249Z",
    "vnp_PayDate": "20240521091806",
    "vnp_ResponseCode": "00",
    "vnp_TmnCode": "TEST_TMN_CODE",
    "vnp_TransactionNo": "14422574",
    "vnp_TransactionStatus": "00",
    "vnp_TxnRef": "1716257871703",
}
LIBRARY_IPN_HASH = (
    "649982421beb422556a1374713c74e58e716ecbd05007c0c0e1f7effdfaf361d"
    "bf146889ca446139afe11b9954c4d5c486e99e3b86fcfab6957f29eb0be72895"
)
LIBRARY_FAILED_HASH = (
    "503194f6d93b57b357b2d1d09742565e67e86d771352c5dca4fc8d39df3d392c"
    "6b3809add9405f97cfb9631f445e36c80656cfbf47eac67d97fa165865c13e1b"
)

# The library's IPN with an empty vnp_BankTranNo; the hash data leaves that field out.
EMPTY_FIELD_IPN = {**LIBRARY_IPN, "vnp_BankTranNo": ""}
EMPTY_FIELD_HASH_DATA = (
    "vnp_Amount=1000000&vnp_BankCode=NCB&vnp_CardType=ATM"
    "&vnp_OrderInfo=Thanh+toan+don+hang+2024-05-21T02%3A17%3A31.249Z&vnp_PayDate=20240521091806"
    "&vnp_ResponseCode=00&vnp_TmnCode=TEST_TMN_CODE&vnp_TransactionNo=14422574"
    "&vnp_TransactionStatus=00&vnp_TxnRef=1716257871703"
)
EMPTY_FIELD_HASH = (
    "30022d9d2fade7bc0907847f16b09985260b4866de95e4f4e9b509ac1b1df65f"
    "cbe80e501261dc4ec9d0b55c8ac859a37bea396fbfcd49ad6abd4c6dcb7aaafe"
)


def library_gateway() -> vnpay.VNPayGateway:
    return vnpay.VNPayGateway("test", {"TMN_CODE": "TEST_TMN_CODE", "HASH_SECRET": LIBRARY_SECRET})


def test_the_signed_string_is_the_documented_payment_url_query() -> None:
    params = dict(parse_qsl(DOCUMENTED_URL_QUERY))
    assert params["vnp_OrderInfo"] == "Thanh toan don hang :5"
    assert vnpay.canonical_query(params) == DOCUMENTED_URL_QUERY


def test_the_library_ipn_vector_signs_and_verifies() -> None:
    query = vnpay.canonical_query(LIBRARY_IPN)
    assert vnpay.sign(LIBRARY_SECRET, query) == LIBRARY_IPN_HASH
    failed = {**LIBRARY_IPN, "vnp_ResponseCode": "99"}
    assert vnpay.sign(LIBRARY_SECRET, vnpay.canonical_query(failed)) == LIBRARY_FAILED_HASH


def test_reading_the_library_ipn_gives_its_facts() -> None:
    notification = library_gateway().read_notification(
        {**LIBRARY_IPN, "vnp_SecureHash": LIBRARY_IPN_HASH.upper()}  # hex case is not signed
    )
    assert notification.order_ref == "1716257871703"
    assert notification.amount == 10_000  # đồng: vnp_Amount ÷ 100
    assert notification.outcome == Outcome.PAID
    assert notification.transaction_no == "14422574"
    assert notification.pay_date == datetime.datetime(2024, 5, 21, 9, 18, 6, tzinfo=vnpay.GMT7)
    assert "vnp_SecureHash" not in notification.params

    failed = library_gateway().read_notification(
        {**LIBRARY_IPN, "vnp_ResponseCode": "99", "vnp_SecureHash": LIBRARY_FAILED_HASH}
    )
    assert failed.outcome == Outcome.FAILED


def test_an_empty_field_is_left_out_of_the_hash_data() -> None:
    assert vnpay.canonical_query(EMPTY_FIELD_IPN) == EMPTY_FIELD_HASH_DATA
    assert vnpay.sign(LIBRARY_SECRET, vnpay.canonical_query(EMPTY_FIELD_IPN)) == EMPTY_FIELD_HASH
    notification = library_gateway().read_notification(
        {**EMPTY_FIELD_IPN, "vnp_SecureHash": EMPTY_FIELD_HASH}
    )
    assert notification.outcome == Outcome.PAID and notification.amount == 10_000
    # Filling the empty field in is a change the signature catches.
    with pytest.raises(SignatureInvalid):
        library_gateway().read_notification(
            {**LIBRARY_IPN, "vnp_BankTranNo": "VNP1", "vnp_SecureHash": EMPTY_FIELD_HASH}
        )


def test_a_message_for_another_terminal_is_refused() -> None:
    other = {**LIBRARY_IPN, "vnp_TmnCode": "OTHERTMN"}
    signed = {**other, "vnp_SecureHash": vnpay.sign(LIBRARY_SECRET, vnpay.canonical_query(other))}
    with pytest.raises(TerminalMismatch) as refused:
        library_gateway().read_notification(signed)
    assert refused.value.terminal == "OTHERTMN"
    with pytest.raises(TerminalMismatch):
        library_gateway().read_return(signed)


@pytest.mark.parametrize(
    "tamper",
    [
        {"vnp_Amount": "100000000"},
        {"vnp_ResponseCode": "99"},
        {"vnp_TxnRef": "1716257871704"},
        {"vnp_Extra": "1"},
        {"vnp_SecureHash": ""},
    ],
)
def test_any_change_breaks_the_signature(tamper: dict[str, str]) -> None:
    params = {**LIBRARY_IPN, "vnp_SecureHash": LIBRARY_IPN_HASH, **tamper}
    with pytest.raises(SignatureInvalid):
        library_gateway().read_notification(params)


def test_querydr_fields_are_joined_in_the_documented_order() -> None:
    body = {
        "vnp_RequestId": "REQ1",
        "vnp_Version": "2.1.0",
        "vnp_Command": "querydr",
        "vnp_TmnCode": "ABCD1234",
        "vnp_TxnRef": "ORD1",
        "vnp_OrderInfo": "Truy van",
        "vnp_TransactionDate": "20240612143000",
        "vnp_CreateDate": "20240612150000",
        "vnp_IpAddr": "192.168.1.1",
    }
    assert (
        vnpay.pipe_joined(body, vnpay.QUERYDR_REQUEST_FIELDS)
        == "REQ1|2.1.0|querydr|ABCD1234|ORD1|20240612143000|20240612150000|192.168.1.1|Truy van"
    )
    answer = {"vnp_ResponseId": "R", "vnp_Command": "querydr", "vnp_ResponseCode": "00"}
    # Missing fields (the promotion pair, usually) sign as empty strings, in place.
    assert vnpay.pipe_joined(answer, vnpay.QUERYDR_RESPONSE_FIELDS) == "R|querydr|00" + "|" * 12


def test_amounts_travel_times_one_hundred() -> None:
    assert vnpay.amount_in_dong("1806000") == 18_060
    assert vnpay.amount_in_dong("1806001") is None
    assert vnpay.amount_in_dong("-100") is None
    assert vnpay.amount_in_dong("1e5") is None


def test_order_information_is_folded_to_ascii() -> None:
    assert vnpay.ascii_text("Thanh toán phí, lệ phí hồ sơ Đà Nẵng") == (
        "Thanh toan phi, le phi ho so Da Nang"
    )


@pytest.mark.django_db
def test_the_payment_url_carries_every_parameter_signed() -> None:
    created = datetime.datetime(2026, 11, 26, 1, 30, tzinfo=datetime.UTC)
    payment = Payment(
        amount=125_000,
        description="Thanh toán phí hồ sơ H17.02-261126-0001",
        order_ref="MC261126083000ABCD1234",
        created_at=created,
        expires_at=created + datetime.timedelta(minutes=15),
    )
    chosen = gateway("sandbox")
    url = chosen.start_url(
        payment, return_url="https://example.vn/ket-qua/", client_ip="10.0.0.1", locale="vi"
    )
    split = urlsplit(url)
    assert split.path == "/sandbox/pay/paymentv2/vpcpay.html"
    params = dict(parse_qsl(split.query))
    assert params["vnp_Amount"] == "12500000"
    assert params["vnp_Version"] == "2.1.0"
    assert params["vnp_Command"] == "pay"
    assert params["vnp_CurrCode"] == "VND"
    assert params["vnp_TxnRef"] == payment.order_ref
    assert params["vnp_CreateDate"] == "20261126083000"  # GMT+7
    assert params["vnp_ExpireDate"] == "20261126084500"
    assert params["vnp_OrderInfo"] == "Thanh toan phi ho so H17.02-261126-0001"
    assert params["vnp_IpAddr"] == "10.0.0.1"
    assert split.query.endswith("&vnp_SecureHash=" + params["vnp_SecureHash"])
    assert vnpay.verify_query(params, chosen.config["HASH_SECRET"])


def test_a_registry_refuses_a_duplicate_engine() -> None:
    registry: Registry[vnpay.VNPayGateway] = Registry(vnpay.VNPayGateway)
    registry.register(vnpay.VNPayGateway)
    with pytest.raises(ValueError):
        registry.register(vnpay.VNPayGateway)


def test_the_sandbox_gateway_is_unknown_when_the_sandbox_is_off(settings: object) -> None:
    from motcua.payments.gateways.registry import UnknownGateway

    settings.MOTCUA_PAYMENT_SANDBOX_ENABLED = False  # type: ignore[attr-defined]
    with pytest.raises(UnknownGateway):
        gateway("sandbox")
    assert gateway("vnpay").check_config() == ["TMN_CODE is not set", "HASH_SECRET is not set"]
