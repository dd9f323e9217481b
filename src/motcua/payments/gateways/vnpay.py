"""VNPay's payment protocol, API 2.1.0 (sandbox.vnpayment.vn/apis/docs/thanh-toan-pay/pay.html).

- Payment URL: the ``vnp_*`` parameters sorted by name, each value ``quote_plus``-encoded,
  ``key=value`` joined by ``&``, parameters with an empty value left out (as VNPay's sample
  code builds it: ``Config.hashAllFields`` and ``vnpay_ipn.jsp`` skip empty fields);
  ``vnp_SecureHash`` is the HMAC-SHA512 of that same string with the terminal's hash secret.
  Amount is đồng × 100; dates are ``yyyyMMddHHmmss`` in GMT+7.
- Return URL and IPN carry the result signed the same way; an IPN may carry an empty field
  (``vnp_BankTranNo=`` for a cancelled payment) that its signature does not cover.
- Every message names the terminal (``vnp_TmnCode``): one for another terminal is refused.
- ``querydr`` (truy-van-hoan-tien/querydr&refund.html): a JSON POST signed over its fields
  joined by ``|`` in a fixed order; the answer is signed the same way over its own fields.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets
import unicodedata
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import quote_plus, urljoin
from zoneinfo import ZoneInfo

import requests
from django.conf import settings
from django.utils import timezone

from .base import (
    GatewayError,
    Notification,
    Outcome,
    PaymentGateway,
    SignatureInvalid,
    TerminalMismatch,
)
from .registry import payment_gateways

if TYPE_CHECKING:
    from ..models import Payment

VERSION = "2.1.0"
GMT7 = ZoneInfo("Asia/Ho_Chi_Minh")
TIME_FORMAT = "%Y%m%d%H%M%S"
SIGNATURE = "vnp_SecureHash"
# Largest vnp_Amount the protocol carries (Numeric[1,12]), in đồng.
MAX_AMOUNT = (10**12 - 1) // 100

QUERYDR_REQUEST_FIELDS = (
    "vnp_RequestId",
    "vnp_Version",
    "vnp_Command",
    "vnp_TmnCode",
    "vnp_TxnRef",
    "vnp_TransactionDate",
    "vnp_CreateDate",
    "vnp_IpAddr",
    "vnp_OrderInfo",
)
QUERYDR_RESPONSE_FIELDS = (
    "vnp_ResponseId",
    "vnp_Command",
    "vnp_ResponseCode",
    "vnp_Message",
    "vnp_TmnCode",
    "vnp_TxnRef",
    "vnp_Amount",
    "vnp_BankCode",
    "vnp_PayDate",
    "vnp_TransactionNo",
    "vnp_TransactionType",
    "vnp_TransactionStatus",
    "vnp_OrderInfo",
    "vnp_PromotionCode",
    "vnp_PromotionAmount",
)

# The merchant's answers to an IPN (VNPay's IPN sample code).
IPN_MESSAGES = {
    "00": "Confirm Success",
    "01": "Order not found",
    "02": "Order already confirmed",
    "04": "invalid amount",
    "97": "Invalid signature",
    "99": "Unknown error",
}


# --- the protocol's pieces ------------------------------------------------------------------


def canonical_query(params: Mapping[str, Any]) -> str:
    """``key=value&…`` sorted by key, values ``quote_plus``-encoded: what is signed and sent.

    Empty values are left out, as VNPay's reference code does when it builds the hash data.
    """
    return "&".join(
        f"{key}={quote_plus(str(value))}"
        for key, value in sorted(params.items())
        if value is not None and str(value) != ""
    )


def sign(secret: str, data: str) -> str:
    return hmac.new(secret.encode("utf-8"), data.encode("utf-8"), hashlib.sha512).hexdigest()


def signed_query(params: Mapping[str, Any], secret: str) -> str:
    """The query string with ``vnp_SecureHash`` appended."""
    query = canonical_query(params)
    return f"{query}&{SIGNATURE}={sign(secret, query)}"


def signed_fields(params: Mapping[str, Any]) -> dict[str, str]:
    """The ``vnp_*`` parameters a signature covers (everything but the signature itself)."""
    return {
        str(key): str(value)
        for key, value in params.items()
        if str(key).startswith("vnp_") and key not in (SIGNATURE, "vnp_SecureHashType")
    }


def verify_query(params: Mapping[str, Any], secret: str) -> bool:
    received = str(params.get(SIGNATURE, ""))
    expected = sign(secret, canonical_query(signed_fields(params)))
    return bool(received) and hmac.compare_digest(expected, received.lower())


def pipe_joined(body: Mapping[str, Any], fields: Iterable[str]) -> str:
    """``a|b|c`` of ``fields`` in order; a missing field signs as an empty string."""
    return "|".join("" if body.get(name) is None else str(body.get(name)) for name in fields)


def gmt7(moment: datetime.datetime) -> str:
    return timezone.localtime(moment, GMT7).strftime(TIME_FORMAT)


def parse_gmt7(text: str) -> datetime.datetime | None:
    try:
        return datetime.datetime.strptime(text, TIME_FORMAT).replace(tzinfo=GMT7)
    except (TypeError, ValueError):
        return None


def ascii_text(text: str, limit: int = 255) -> str:
    """VNPay asks for order information in Vietnamese without diacritics."""
    folded = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(char for char in folded if not unicodedata.combining(char))
    return " ".join(plain.encode("ascii", "ignore").decode().split())[:limit]


def amount_in_dong(raw: Any) -> int | None:
    """vnp_Amount (đồng × 100) back to đồng; None unless it is a whole number of đồng."""
    text = str(raw if raw is not None else "").strip()
    if not text.isdigit():
        return None
    value = int(text)
    return value // 100 if value % 100 == 0 else None


# --- the engine -----------------------------------------------------------------------------


@payment_gateways.register
class VNPayGateway(PaymentGateway):
    identifier: ClassVar[str] = "vnpay"
    verbose_name: ClassVar[str] = "VNPay (API 2.1.0)"

    @property
    def tmn_code(self) -> str:
        return str(self.config.get("TMN_CODE", ""))

    @property
    def secret(self) -> str:
        return str(self.config.get("HASH_SECRET", ""))

    def check_config(self) -> list[str]:
        return [
            f"{key} is not set"
            for key in ("TMN_CODE", "HASH_SECRET", "PAYMENT_URL", "QUERY_URL")
            if not self.config.get(key)
        ]

    def start_url(self, payment: Payment, *, return_url: str, client_ip: str, locale: str) -> str:
        params = {
            "vnp_Version": VERSION,
            "vnp_Command": "pay",
            "vnp_TmnCode": self.tmn_code,
            "vnp_Amount": str(payment.amount * 100),
            "vnp_CurrCode": "VND",
            "vnp_TxnRef": payment.order_ref,
            "vnp_OrderInfo": ascii_text(payment.description),
            "vnp_OrderType": str(self.config.get("ORDER_TYPE", "other")),
            "vnp_Locale": "en" if locale.startswith("en") else "vn",
            "vnp_ReturnUrl": return_url,
            "vnp_IpAddr": client_ip or "127.0.0.1",
            "vnp_CreateDate": gmt7(payment.created_at),
            "vnp_ExpireDate": gmt7(payment.expires_at),
        }
        return f"{self.config['PAYMENT_URL']}?{signed_query(params, self.secret)}"

    def check_terminal(self, params: Mapping[str, Any]) -> None:
        """A message signed for another terminal of ours is not about our orders."""
        received = str(params.get("vnp_TmnCode", "") or "")
        if not self.tmn_code or received != self.tmn_code:
            raise TerminalMismatch(received, self.without_secrets(params))

    def read_notification(self, params: Mapping[str, str]) -> Notification:
        if not self.secret or not verify_query(params, self.secret):
            raise SignatureInvalid(self.without_secrets(params))
        self.check_terminal(params)
        paid = (
            params.get("vnp_ResponseCode") == "00" and params.get("vnp_TransactionStatus") == "00"
        )
        return Notification(
            order_ref=str(params.get("vnp_TxnRef", "")),
            amount=amount_in_dong(params.get("vnp_Amount")),
            outcome=Outcome.PAID if paid else Outcome.FAILED,
            response_code=str(params.get("vnp_ResponseCode", "")),
            transaction_no=str(params.get("vnp_TransactionNo", ""))[:64],
            bank_code=str(params.get("vnp_BankCode", ""))[:32],
            pay_date=parse_gmt7(str(params.get("vnp_PayDate", ""))),
            params=self.without_secrets(params),
        )

    def query(self, payment: Payment) -> Notification:
        body: dict[str, Any] = {
            "vnp_RequestId": secrets.token_hex(16),
            "vnp_Version": VERSION,
            "vnp_Command": "querydr",
            "vnp_TmnCode": self.tmn_code,
            "vnp_TxnRef": payment.order_ref,
            "vnp_TransactionDate": gmt7(payment.created_at),
            "vnp_CreateDate": gmt7(timezone.now()),
            "vnp_IpAddr": str(self.config.get("SERVER_IP", "127.0.0.1")),
            "vnp_OrderInfo": ascii_text(f"Truy van giao dich {payment.order_ref}"),
        }
        body[SIGNATURE] = sign(self.secret, pipe_joined(body, QUERYDR_REQUEST_FIELDS))
        answer = self.post_json(str(self.config.get("QUERY_URL", "")), body)
        received = str(answer.get(SIGNATURE, ""))
        expected = sign(self.secret, pipe_joined(answer, QUERYDR_RESPONSE_FIELDS))
        if not received or not hmac.compare_digest(expected, received.lower()):
            raise SignatureInvalid(self.without_secrets(answer))
        self.check_terminal(answer)
        status = str(answer.get("vnp_TransactionStatus", ""))
        if answer.get("vnp_ResponseCode") != "00":
            outcome = Outcome.PENDING  # e.g. 91: the gateway never saw this order
        elif status == "00":
            outcome = Outcome.PAID
        elif status == "02":
            outcome = Outcome.FAILED
        else:
            outcome = Outcome.PENDING  # 01 not completed; reversals and refunds need a person
        return Notification(
            order_ref=str(answer.get("vnp_TxnRef", "")),
            amount=amount_in_dong(answer.get("vnp_Amount")),
            outcome=outcome,
            response_code=str(answer.get("vnp_ResponseCode", "")),
            transaction_no=str(answer.get("vnp_TransactionNo", "") or "")[:64],
            bank_code=str(answer.get("vnp_BankCode", "") or "")[:32],
            pay_date=parse_gmt7(str(answer.get("vnp_PayDate", ""))),
            params=self.without_secrets(answer),
        )

    def acknowledge(self, code: str) -> dict[str, str]:
        return {"RspCode": code, "Message": IPN_MESSAGES.get(code, IPN_MESSAGES["99"])}

    def post_json(self, url: str, body: Mapping[str, Any]) -> dict[str, Any]:
        """POST ``body`` as JSON; a relative URL is taken against the platform's base URL."""
        if url.startswith("/"):
            base = settings.MOTCUA_PAYMENT_BASE_URL
            if not base:
                raise GatewayError("relative query URL and no MOTCUA_PAYMENT_BASE_URL")
            url = urljoin(base, url)
        try:
            response = requests.post(
                url, json=dict(body), timeout=settings.MOTCUA_PAYMENT_HTTP_TIMEOUT
            )
            response.raise_for_status()
            answer = response.json()
        except (requests.RequestException, ValueError) as exc:
            raise GatewayError(type(exc).__name__) from exc
        if not isinstance(answer, dict):
            raise GatewayError("the answer is not a JSON object")
        return answer
