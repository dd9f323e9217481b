"""The payment state machine: states and the moves between them, in one table (DOMAIN.md §11).

created → pending (the payer is sent to the gateway) → paid / failed / expired; paid → refunded.
An expired payment may still become paid: the gateway took the money after we stopped waiting
(a late notification or a reconciliation), and money taken is always recorded.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class State(models.TextChoices):
    CREATED = "created", _("Created")
    PENDING = "pending", _("Waiting for the gateway")
    PAID = "paid", _("Paid")
    FAILED = "failed", pgettext_lazy("payment", "Failed")
    EXPIRED = "expired", _("Expired")
    REFUNDED = "refunded", _("Refunded")


S = State
MOVES: dict[str, frozenset[str]] = {
    S.CREATED: frozenset({S.PENDING, S.FAILED, S.EXPIRED}),
    S.PENDING: frozenset({S.PAID, S.FAILED, S.EXPIRED}),
    S.EXPIRED: frozenset({S.PAID}),
    S.PAID: frozenset({S.REFUNDED}),
    S.FAILED: frozenset(),
    S.REFUNDED: frozenset(),
}

# Still waiting for an answer from the gateway.
OPEN = frozenset({S.CREATED, S.PENDING})
# A gateway's answer about these is a replay ("already confirmed").
SETTLED = frozenset({S.PAID, S.FAILED, S.REFUNDED})


class TransitionNotAllowed(Exception):
    pass


def can_move(source: str, target: str) -> bool:
    return target in MOVES.get(source, frozenset())


def check(source: str, target: str) -> None:
    if not can_move(source, target):
        raise TransitionNotAllowed(f"{source} → {target}")
