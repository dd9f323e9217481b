"""Reads: a dossier's payments for its applicant, a person's payments, the officers' report."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, Q, QuerySet, Sum

from motcua.accounts.models import User
from motcua.agencies.models import Agency
from motcua.dossiers.access import can_view, roles_for
from motcua.dossiers.lifecycle import Actor, Status
from motcua.dossiers.models import Dossier

from .fees import amount_due, payment_timing
from .lifecycle import State
from .models import Payment

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def dossier_payments(
    dossier: Dossier, user: User, *, roles: set[str] | None = None
) -> dict[str, Any]:
    """Context of ``payments/_dossier_payments.html`` for ``user`` looking at ``dossier``
    (``roles``: the user's roles on it, when the page has them already)."""
    if roles is None:
        roles = roles_for(user, dossier) if user.is_authenticated else set()
    payments = list(dossier.payments.order_by("-created_at", "-id")) if roles else []
    paid = any(payment.state == State.PAID for payment in payments)
    is_applicant = Actor.APPLICANT in roles
    due = amount_due(dossier) if roles else 0
    return {
        "payment_dossier": dossier,
        "payment_amount_due": due,
        "payment_timing": payment_timing(dossier),
        "payment_waiting": dossier.status == Status.AWAITING_PAYMENT,
        "payment_can_pay": (
            is_applicant and dossier.status == Status.AWAITING_PAYMENT and due > 0 and not paid
        ),
        "payment_list": payments,
        "payment_visible": bool(roles),
    }


def payments_of(user: User) -> QuerySet[Payment]:
    return Payment.objects.filter(payer=user).select_related("dossier", "dossier__procedure")


def visible_payment(user: User, order_ref: str) -> Payment | None:
    """The payment if ``user`` may see it (its dossier's applicant or officers), else None."""
    payment = Payment.objects.select_related("dossier", "payer").filter(order_ref=order_ref).first()
    if payment is None or not user.is_authenticated or not can_view(user, payment.dossier):
        return None
    return payment


@dataclass
class DayReport:
    agency: Agency
    day: datetime.date
    payments: list[Payment]
    by_state: list[dict[str, Any]] = field(default_factory=list)
    count: int = 0
    paid_total: int = 0


def day_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """The local day (Asia/Ho_Chi_Minh) as UTC-aware bounds."""
    start = datetime.datetime.combine(day, datetime.time.min, tzinfo=VIETNAM)
    return start, start + datetime.timedelta(days=1)


def agency_day_report(agency: Agency, day: datetime.date) -> DayReport:
    """Payments started that day for dossiers the agency receives or processes."""
    start, end = day_bounds(day)
    payments = (
        Payment.objects.filter(created_at__gte=start, created_at__lt=end)
        .filter(Q(dossier__receiving_agency=agency) | Q(dossier__processing_unit=agency))
        .select_related("dossier", "payer")
        .order_by("created_at", "id")
    )
    totals = {
        row["state"]: row
        for row in payments.order_by().values("state").annotate(n=Count("id"), total=Sum("amount"))
    }
    by_state = [
        {
            "state": state,
            "label": label,
            "count": totals.get(state, {}).get("n", 0),
            "total": totals.get(state, {}).get("total") or 0,
        }
        for state, label in State.choices
    ]
    items = list(payments)
    return DayReport(
        agency=agency,
        day=day,
        payments=items,
        by_state=by_state,
        count=len(items),
        paid_total=sum(row["total"] for row in by_state if row["state"] == State.PAID),
    )
