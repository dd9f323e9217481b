"""The sandbox payment gateway: VNPay's protocol (API 2.1.0), no money, for testers.

It checks the signed payment URL, shows the order, lets the tester choose success, failure or
cancel, then calls the platform's IPN server to server with signed parameters and sends the
browser to the return URL. It answers ``querydr`` from its own records, so reconciliation can
be tried end to end. Its terminal code and secret come from settings (not real credentials).
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests
import structlog
from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.errors import DomainError

from .gateways.vnpay import (
    QUERYDR_REQUEST_FIELDS,
    QUERYDR_RESPONSE_FIELDS,
    SIGNATURE,
    VERSION,
    canonical_query,
    gmt7,
    parse_gmt7,
    pipe_joined,
    sign,
    verify_query,
)
from .models import SandboxTransaction

logger = structlog.get_logger(__name__)

# The tester's choices and what the protocol says for each (response code, status).
OUTCOMES = {
    "success": ("00", "00"),
    "failure": ("51", "02"),  # 51: not enough money in the account
    "cancel": ("24", "02"),  # 24: the customer cancelled
}
SANDBOX_BANK = "NCB"


class SandboxRefused(DomainError):
    """A payment request the sandbox will not take; ``str()`` is a translated message."""


def terminal() -> tuple[str, str]:
    return settings.MOTCUA_PAYMENT_SANDBOX_TMN_CODE, settings.MOTCUA_PAYMENT_SANDBOX_HASH_SECRET


@dataclass(frozen=True)
class Order:
    transaction: SandboxTransaction
    amount: int  # đồng
    expires: Any  # datetime or None


def read_order(params: Mapping[str, str]) -> Order:
    """Check a payment URL's parameters and record the order (once per reference)."""
    tmn_code, secret = terminal()
    if params.get("vnp_TmnCode") != tmn_code:
        raise SandboxRefused(_("This terminal code is not known to the sandbox."))
    if not verify_query(params, secret):
        raise SandboxRefused(_("The signature of this payment request is not valid."))
    if params.get("vnp_Command") != "pay" or params.get("vnp_Version") != VERSION:
        raise SandboxRefused(_("The sandbox only takes payment requests of version 2.1.0."))
    raw_amount = params.get("vnp_Amount", "")
    if not raw_amount.isdigit() or int(raw_amount) <= 0 or int(raw_amount) % 100:
        raise SandboxRefused(_("The amount of this payment request is not valid."))
    if params.get("vnp_CurrCode") != "VND":
        raise SandboxRefused(_("The sandbox only takes payments in đồng (VND)."))
    txn_ref = params.get("vnp_TxnRef", "")
    return_url = params.get("vnp_ReturnUrl", "")
    if not txn_ref or urlsplit(return_url).scheme not in ("http", "https"):
        raise SandboxRefused(_("The payment request lacks its reference or its return address."))
    expires = parse_gmt7(params.get("vnp_ExpireDate", ""))
    if expires is not None and expires < timezone.now():
        raise SandboxRefused(_("This payment request has expired. Start the payment again."))
    defaults = {
        "amount": int(raw_amount),
        "order_info": params.get("vnp_OrderInfo", "")[:255],
        "create_date": params.get("vnp_CreateDate", "")[:14],
        "return_url": return_url[:1000],
    }
    try:
        with transaction.atomic():
            txn, _created = SandboxTransaction.objects.get_or_create(
                tmn_code=tmn_code, txn_ref=txn_ref[:100], defaults=defaults
            )
    except IntegrityError:  # the same request opened twice at once
        txn = SandboxTransaction.objects.get(tmn_code=tmn_code, txn_ref=txn_ref[:100])
    if txn.amount != int(raw_amount):
        raise SandboxRefused(_("This reference was already used for another amount."))
    return Order(transaction=txn, amount=int(raw_amount) // 100, expires=expires)


def result_params(txn: SandboxTransaction) -> dict[str, str]:
    """The signed parameters sent to the IPN and the return URL.

    As VNPay does, a payment that did not go through carries an empty ``vnp_BankTranNo``
    (no bank transaction), which the signature leaves out like every empty field.
    """
    _tmn_code, secret = terminal()
    paid = txn.response_code == "00"
    params = {
        "vnp_Amount": str(txn.amount),
        "vnp_BankCode": txn.bank_code,
        "vnp_BankTranNo": f"VNP{txn.transaction_no}" if paid else "",
        "vnp_CardType": "ATM",
        "vnp_OrderInfo": txn.order_info,
        "vnp_PayDate": txn.pay_date,
        "vnp_ResponseCode": txn.response_code,
        "vnp_TmnCode": txn.tmn_code,
        "vnp_TransactionNo": txn.transaction_no,
        "vnp_TransactionStatus": txn.transaction_status,
        "vnp_TxnRef": txn.txn_ref,
    }
    return {**params, SIGNATURE: sign(secret, canonical_query(params))}


@transaction.atomic
def complete(txn: SandboxTransaction, outcome: str) -> SandboxTransaction:
    """Record the tester's choice; a completed order keeps its first result."""
    locked = SandboxTransaction.objects.select_for_update().get(pk=txn.pk)
    if locked.transaction_status != "01":
        return locked
    response_code, status = OUTCOMES[outcome]
    locked.response_code = response_code
    locked.transaction_status = status
    locked.transaction_no = f"{secrets.randbelow(10**8):08d}"
    locked.bank_code = SANDBOX_BANK
    locked.pay_date = gmt7(timezone.now())
    locked.save()
    return locked


def ipn_url(base_url: str) -> str:
    """The platform's IPN address for the sandbox gateway."""
    name = next(
        (
            key
            for key, config in settings.MOTCUA_PAYMENT_GATEWAYS.items()
            if config.get("ENGINE") == "vnpay-sandbox"
        ),
        "sandbox",
    )
    path = reverse("payments:ipn", kwargs={"gateway_name": name})
    return base_url.rstrip("/") + path


def deliver_ipn(txn: SandboxTransaction, base_url: str) -> str:
    """Call the platform's IPN with the signed result (GET, as VNPay does); keep its answer."""
    try:
        response = requests.get(
            ipn_url(base_url),
            params=result_params(txn),
            timeout=settings.MOTCUA_PAYMENT_HTTP_TIMEOUT,
        )
        answer = response.json()
        text = f"{answer.get('RspCode', '?')} {answer.get('Message', '')}".strip()
    except (requests.RequestException, ValueError, AttributeError) as exc:
        text = f"not delivered: {type(exc).__name__}"
        logger.warning("sandbox_payment.ipn_not_delivered", txn_ref=txn.txn_ref, error=text)
    SandboxTransaction.objects.filter(pk=txn.pk).update(ipn_answer=text[:255])
    return text


def answer_querydr(body: Mapping[str, Any]) -> dict[str, str]:
    """Answer a ``querydr`` request from the sandbox's records, signed as the protocol says."""
    tmn_code, secret = terminal()
    answer = {
        "vnp_ResponseId": secrets.token_hex(16),
        "vnp_Command": "querydr",
        "vnp_TmnCode": tmn_code,
        "vnp_TxnRef": str(body.get("vnp_TxnRef", ""))[:100],
        "vnp_Amount": "",
        "vnp_OrderInfo": "",
        "vnp_BankCode": "",
        "vnp_PayDate": "",
        "vnp_TransactionNo": "",
        "vnp_TransactionType": "",
        "vnp_TransactionStatus": "",
        "vnp_PromotionCode": "",
        "vnp_PromotionAmount": "",
    }
    received = str(body.get(SIGNATURE, "")).lower()
    expected = sign(secret, pipe_joined(body, QUERYDR_REQUEST_FIELDS))
    txn = None
    if body.get("vnp_Command") != "querydr" or body.get("vnp_Version") != VERSION:
        code, message = "03", "Invalid request format"
    elif body.get("vnp_TmnCode") != tmn_code:
        code, message = "02", "Merchant is not valid"
    elif not secrets.compare_digest(expected, received):
        code, message = "97", "Invalid checksum"
    else:
        txn = SandboxTransaction.objects.filter(
            tmn_code=tmn_code, txn_ref=answer["vnp_TxnRef"]
        ).first()
        code, message = ("00", "QueryDR Success") if txn else ("91", "Transaction not found")
    if txn is not None:
        answer.update(
            {
                "vnp_Amount": str(txn.amount),
                "vnp_OrderInfo": txn.order_info,
                "vnp_BankCode": txn.bank_code,
                "vnp_PayDate": txn.pay_date,
                "vnp_TransactionNo": txn.transaction_no,
                "vnp_TransactionType": "01",
                "vnp_TransactionStatus": txn.transaction_status,
            }
        )
    answer["vnp_ResponseCode"] = code
    answer["vnp_Message"] = message
    answer[SIGNATURE] = sign(secret, pipe_joined(answer, QUERYDR_RESPONSE_FIELDS))
    return answer
