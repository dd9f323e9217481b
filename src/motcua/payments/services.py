"""Payment operations: start, act on a gateway's verified word, reconcile, expire, refund.

The pattern of DOMAIN.md §11: create the payment → send the payer to the gateway → the return
URL only displays → the server-to-server notification (IPN) is acted upon after checking its
signature, order, amount and state, once → payments nobody confirmed are queried later.
A notification and a reconciliation answer go through the same ``apply_notification``.
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import structlog
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua import errors
from motcua.accounts.models import User
from motcua.dossiers.access import officer_roles, roles_for
from motcua.dossiers.lifecycle import Actor, Status
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import payment_confirmed
from motcua.errors import DomainError

from . import lifecycle
from .fees import amount_due
from .gateways.base import (
    GatewayError,
    Notification,
    Outcome,
    PaymentGateway,
    SignatureInvalid,
    TerminalMismatch,
)
from .gateways.registry import UnknownGateway, gateway
from .gateways.vnpay import MAX_AMOUNT, gmt7
from .lifecycle import State
from .models import EventAction, EventSource, Payment, PaymentEvent

logger = structlog.get_logger(__name__)

# Answer codes (VNPay's IPN codes, used for every gateway's log).
CONFIRMED = "00"
ORDER_NOT_FOUND = "01"
ALREADY_CONFIRMED = "02"
INVALID_AMOUNT = "04"
INVALID_SIGNATURE = "97"
UNKNOWN_ERROR = "99"


class PaymentError(DomainError):
    """A refused payment operation; ``str()`` is a translated message for the person."""


class NotAllowed(errors.NotAllowed, PaymentError):
    status = 404  # a payment or fee of someone else's dossier is not disclosed


# --- the log --------------------------------------------------------------------------------


def _log(
    payment: Payment | None,
    action: str,
    source: str,
    *,
    from_state: str = "",
    to_state: str = "",
    code: str = "",
    detail: str = "",
    params: Mapping[str, Any] | None = None,
    actor: User | None = None,
    order_ref: str = "",
    gateway_name: str = "",
) -> PaymentEvent:
    return PaymentEvent.objects.create(
        payment=payment,
        order_ref=(payment.order_ref if payment else order_ref)[:100],
        gateway=(payment.gateway if payment else gateway_name)[:32],
        action=action,
        source=source,
        from_state=from_state,
        to_state=to_state,
        code=code,
        detail=detail[:255],
        params=PaymentGateway.without_secrets(params or {}),
        actor=actor,
    )


def _move(
    payment: Payment,
    target: str,
    action: str,
    source: str,
    *,
    actor: User | None = None,
    code: str = "",
    detail: str = "",
    params: Mapping[str, Any] | None = None,
) -> None:
    lifecycle.check(payment.state, target)
    previous = payment.state
    payment.state = target
    payment.save()
    _log(
        payment,
        action,
        source,
        from_state=previous,
        to_state=target,
        code=code,
        detail=detail,
        params=params,
        actor=actor,
    )


def _refuse(
    payment: Payment | None,
    code: str,
    detail: str,
    source: str,
    notification_params: Mapping[str, Any],
    *,
    order_ref: str = "",
    gateway_name: str = "",
) -> str:
    _log(
        payment,
        EventAction.REFUSED,
        source,
        code=code,
        detail=detail,
        params=notification_params,
        order_ref=order_ref,
        gateway_name=gateway_name,
    )
    logger.warning("payment.refused", code=code, detail=detail, order_ref=order_ref[:100])
    return code


# --- starting -------------------------------------------------------------------------------


def new_order_ref() -> str:
    """``MC`` + GMT+7 time + 8 random hex digits: unique, letters and digits only."""
    return f"MC{gmt7(timezone.now())[2:]}{secrets.token_hex(4).upper()}"


def description_for(dossier: Dossier) -> str:
    return f"Thanh toán phí, lệ phí hồ sơ {dossier.code}"


@transaction.atomic
def start_payment(
    *,
    dossier: Dossier,
    user: User,
    return_url: str,
    client_ip: str,
    locale: str = "vi",
    gateway_name: str | None = None,
) -> tuple[Payment, str]:
    """A new payment for the dossier's fee and the URL that sends the payer to the gateway.

    Only the applicant, only while the dossier waits for payment (status 6). Earlier payments
    left open expire: the last attempt is the one that counts, and each attempt stays logged.
    """
    locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
    if Actor.APPLICANT not in roles_for(user, locked):
        raise NotAllowed(_("Only the applicant may pay the fee of this dossier."))
    if locked.status != Status.AWAITING_PAYMENT:
        raise PaymentError(_("This dossier is not waiting for a payment."))
    if locked.payments.filter(state=State.PAID).exists():
        raise PaymentError(_("The fee of this dossier is already paid."))
    amount = amount_due(locked)
    if amount <= 0:
        raise PaymentError(_("No fee is due for this dossier."))
    if amount > MAX_AMOUNT:
        raise PaymentError(_("This amount cannot be paid online; pay it at the one-stop desk."))
    try:
        chosen = gateway(gateway_name or settings.MOTCUA_PAYMENT_GATEWAY)
    except UnknownGateway:
        raise PaymentError(_("Online payment is not available at the moment.")) from None

    now = timezone.now()
    for older in Payment.objects.select_for_update().filter(
        dossier=locked, state__in=lifecycle.OPEN
    ):
        _move(
            older,
            State.EXPIRED,
            EventAction.EXPIRED,
            EventSource.USER,
            actor=user,
            detail="a new payment was started",
        )
    payment = Payment.objects.create(
        dossier=locked,
        payer=user,
        amount=amount,
        description=description_for(locked),
        gateway=chosen.name,
        order_ref=new_order_ref(),
        created_at=now,
        expires_at=now + datetime.timedelta(minutes=settings.MOTCUA_PAYMENT_EXPIRY_MINUTES),
    )
    _log(payment, EventAction.CREATED, EventSource.USER, to_state=State.CREATED, actor=user)
    url = chosen.start_url(payment, return_url=return_url, client_ip=client_ip, locale=locale)
    _move(payment, State.PENDING, EventAction.REDIRECTED, EventSource.USER, actor=user)
    return payment, url


# --- a gateway's word -----------------------------------------------------------------------


def handle_notification(*, gateway_name: str, params: Mapping[str, str]) -> dict[str, str]:
    """The IPN: verify, act once, and answer in the gateway's format.

    Raises ``UnknownGateway`` for a gateway that is not configured (the view answers 404).
    """
    chosen = gateway(gateway_name)
    order_ref = str(params.get("vnp_TxnRef", ""))
    try:
        notification = chosen.read_notification(params)
    except SignatureInvalid as exc:
        known = Payment.objects.filter(order_ref=order_ref, gateway=chosen.name).first()
        code = _refuse(
            known,
            INVALID_SIGNATURE,
            "invalid signature",
            EventSource.IPN,
            exc.params,
            order_ref=order_ref,
            gateway_name=chosen.name,
        )
        return chosen.acknowledge(code)
    except TerminalMismatch as exc:
        # Signed, but about another terminal's order: none of ours, so "order not found"
        # (VNPay's IPN answers have no code of their own for this).
        code = _refuse(
            None,
            ORDER_NOT_FOUND,
            f"notification for terminal {exc.terminal[:32]!r}, not ours",
            EventSource.IPN,
            exc.params,
            order_ref=order_ref,
            gateway_name=chosen.name,
        )
        return chosen.acknowledge(code)
    try:
        code = apply_notification(chosen, notification, source=EventSource.IPN)
    except Exception:  # answered 99 so the gateway retries; nothing was changed (rolled back)
        logger.exception("payment.ipn_failed", order_ref=order_ref[:100])
        _log(
            None,
            EventAction.REFUSED,
            EventSource.IPN,
            code=UNKNOWN_ERROR,
            detail="error while applying the notification",
            params=notification.params,
            order_ref=order_ref,
            gateway_name=chosen.name,
        )
        code = UNKNOWN_ERROR
    return chosen.acknowledge(code)


@transaction.atomic
def apply_notification(chosen: PaymentGateway, notification: Notification, *, source: str) -> str:
    """Act on a verified notification or query answer; returns the answer code.

    The payment row is locked, so twenty deliveries of one notification at once mark it paid
    once: the first moves it, the others find it settled and are answered "02".
    """
    payment = (
        Payment.objects.select_for_update()
        .filter(order_ref=notification.order_ref, gateway=chosen.name)
        .first()
    )
    if payment is None:
        return _refuse(
            None,
            ORDER_NOT_FOUND,
            "unknown order",
            source,
            notification.params,
            order_ref=notification.order_ref,
            gateway_name=chosen.name,
        )
    if notification.amount is None or notification.amount != payment.amount:
        return _refuse(
            payment,
            INVALID_AMOUNT,
            f"amount {notification.amount} đồng, expected {payment.amount}",
            source,
            notification.params,
        )
    if notification.outcome == Outcome.PENDING:
        _log(
            payment,
            EventAction.QUERIED,
            source,
            code=notification.response_code,
            detail="not completed at the gateway",
            params=notification.params,
        )
        return CONFIRMED
    settled = payment.state in lifecycle.SETTLED
    if settled or (payment.state == State.EXPIRED and notification.outcome != Outcome.PAID):
        return _refuse(payment, ALREADY_CONFIRMED, "replay", source, notification.params)

    if notification.outcome == Outcome.PAID:
        payment.gateway_transaction_no = notification.transaction_no
        payment.bank_code = notification.bank_code
        payment.pay_date = notification.pay_date
        payment.paid_at = timezone.now()
        late = payment.state == State.EXPIRED
        _move(
            payment,
            State.PAID,
            EventAction.PAID,
            source,
            code=notification.response_code,
            detail="paid after it had expired" if late else "",
            params=notification.params,
        )
        # The dossier resumes in the same transaction (a no-op if it no longer waits).
        payment_confirmed(dossier=payment.dossier, reference=payment.order_ref)
    else:
        _move(
            payment,
            State.FAILED,
            EventAction.FAILED,
            source,
            code=notification.response_code,
            params=notification.params,
        )
    return CONFIRMED


@dataclass(frozen=True)
class ReturnResult:
    """What the browser brought back, verified; for display only."""

    verified: bool
    notification: Notification | None
    payment: Payment | None


def read_return(*, gateway_name: str, params: Mapping[str, str]) -> ReturnResult:
    """Check the return URL's signature and find the payment. Changes nothing."""
    chosen = gateway(gateway_name)
    try:
        notification = chosen.read_return(params)
    except (SignatureInvalid, TerminalMismatch):
        return ReturnResult(False, None, None)
    payment = (
        Payment.objects.select_related("dossier")
        .filter(order_ref=notification.order_ref, gateway=chosen.name)
        .first()
    )
    return ReturnResult(True, notification, payment)


# --- reconciliation -------------------------------------------------------------------------


@dataclass
class ReconcileReport:
    queried: int = 0
    paid: int = 0
    failed: int = 0
    expired: int = 0
    errors: int = 0


def reconcile(*, now: datetime.datetime | None = None, limit: int = 500) -> ReconcileReport:
    """Ask the gateway about payments left pending, then expire those past their expiry.

    A payment whose query failed this time is not expired: it may have been paid.
    """
    now = now or timezone.now()
    report = ReconcileReport()
    quiet_since = now - datetime.timedelta(minutes=settings.MOTCUA_PAYMENT_QUERY_AFTER_MINUTES)
    unanswered: set[int] = set()
    pending = Payment.objects.filter(state=State.PENDING, created_at__lte=quiet_since)
    for payment in pending.order_by("created_at")[:limit]:
        report.queried += 1
        try:
            chosen = gateway(payment.gateway)
            notification = chosen.query(payment)
        except SignatureInvalid as exc:
            _refuse(
                payment, INVALID_SIGNATURE, "query answer: invalid signature", "query", exc.params
            )
            unanswered.add(payment.pk)
            report.errors += 1
            continue
        except (UnknownGateway, GatewayError) as exc:
            logger.warning("payment.query_failed", order_ref=payment.order_ref, error=str(exc))
            unanswered.add(payment.pk)
            report.errors += 1
            continue
        if notification.order_ref != payment.order_ref:
            _refuse(payment, ORDER_NOT_FOUND, "answer for another order", EventSource.QUERY, {})
            unanswered.add(payment.pk)
            report.errors += 1
            continue
        try:
            apply_notification(chosen, notification, source=EventSource.QUERY)
        except Exception:  # one bad payment must not stop the others; it is retried next run
            logger.exception("payment.reconcile_failed", order_ref=payment.order_ref)
            unanswered.add(payment.pk)
            report.errors += 1
            continue
        state = Payment.objects.values_list("state", flat=True).get(pk=payment.pk)
        report.paid += state == State.PAID
        report.failed += state == State.FAILED
    report.expired = expire_overdue(now=now, skip=unanswered)
    return report


def expire_overdue(*, now: datetime.datetime | None = None, skip: set[int] | None = None) -> int:
    """Open payments past their expiry become expired; the dossier stays in status 6."""
    now = now or timezone.now()
    expired = 0
    overdue = Payment.objects.filter(state__in=lifecycle.OPEN, expires_at__lte=now)
    for pk in overdue.exclude(pk__in=skip or set()).values_list("pk", flat=True):
        with transaction.atomic():
            payment = Payment.objects.select_for_update().get(pk=pk)
            if payment.state in lifecycle.OPEN:
                _move(payment, State.EXPIRED, EventAction.EXPIRED, EventSource.SYSTEM)
                expired += 1
    return expired


# --- refunds --------------------------------------------------------------------------------


@transaction.atomic
def record_refund(*, payment: Payment, officer: User, reason: str) -> Payment:
    """Record that a paid fee was returned (e.g. a double payment); the money moves outside."""
    locked = Payment.objects.select_for_update().select_related("dossier").get(pk=payment.pk)
    agencies = {locked.dossier.receiving_agency, locked.dossier.processing_unit}
    if not any(officer_roles(officer, agency) for agency in agencies if agency is not None):
        raise NotAllowed(_("You may not do this on this payment."))
    if not reason.strip():
        raise PaymentError(_("Give the reason for the refund."))
    if not lifecycle.can_move(locked.state, State.REFUNDED):
        raise PaymentError(_("Only a paid payment can be refunded."))
    _move(
        locked,
        State.REFUNDED,
        EventAction.REFUNDED,
        EventSource.USER,
        actor=officer,
        detail=reason.strip(),
    )
    return locked
