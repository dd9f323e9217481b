"""A dossier waiting for its fee, payments started on it, and signed gateway messages."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from motcua.catalog import services as catalog_services
from motcua.dossiers import services as dossier_services
from motcua.dossiers.lifecycle import Status, Transition
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import World, file_dossier, make_world
from motcua.payments import services
from motcua.payments.gateways.vnpay import canonical_query, sign
from motcua.payments.models import Payment

FEE = 50_000
RETURN_URL = "http://testserver/thanh-toan/ket-qua/sandbox/"


def set_fee(world: World, fee: int = FEE, **case: Any) -> None:
    procedure_case = world.procedure.cases.get()
    procedure_case.fee = fee
    for key, value in case.items():
        setattr(procedure_case, key, value)
    procedure_case.save()
    catalog_services.record_version(procedure=world.procedure, actor=None, note="fee")


def awaiting_payment(world: World | None = None, fee: int = FEE) -> tuple[World, Dossier]:
    """A world whose applicant's dossier is accepted and waits for its fee (status 6)."""
    world = world or make_world()
    set_fee(world, fee)
    dossier = file_dossier(world)
    dossier = dossier_services.act(
        dossier=dossier, user=world.receiver, transition=Transition.ACCEPT
    )
    if dossier.status != Status.AWAITING_PAYMENT:
        dossier = dossier_services.act(
            dossier=dossier,
            user=world.receiver,
            transition=Transition.ASK_PAYMENT,
            reason="Phí thẩm định",
        )
    assert dossier.status == Status.AWAITING_PAYMENT
    return world, dossier


def start(world: World, dossier: Dossier) -> tuple[Payment, str]:
    return services.start_payment(
        dossier=dossier, user=world.applicant, return_url=RETURN_URL, client_ip="127.0.0.1"
    )


def ipn_params(payment: Payment, *, secret: str | None = None, **overrides: str) -> dict[str, str]:
    """What the gateway sends to the IPN for ``payment``, signed (with our secret by default)."""
    params = {
        "vnp_Amount": str(payment.amount * 100),
        "vnp_BankCode": "NCB",
        "vnp_BankTranNo": "VNP14422574",
        "vnp_CardType": "ATM",
        "vnp_OrderInfo": "Thanh toan phi, le phi ho so",
        "vnp_PayDate": "20261126153000",
        "vnp_ResponseCode": "00",
        "vnp_TmnCode": settings.MOTCUA_PAYMENT_SANDBOX_TMN_CODE,
        "vnp_TransactionNo": "14422574",
        "vnp_TransactionStatus": "00",
        "vnp_TxnRef": payment.order_ref,
        **overrides,
    }
    key = secret if secret is not None else settings.MOTCUA_PAYMENT_SANDBOX_HASH_SECRET
    return {**params, "vnp_SecureHash": sign(key, canonical_query(params))}
