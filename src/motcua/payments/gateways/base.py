"""What every payment gateway offers the payments app (STYLE.md: a registry per integration)."""

from __future__ import annotations

import datetime
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import models

from motcua.plugins import Plugin

if TYPE_CHECKING:
    from ..models import Payment


class Outcome(models.TextChoices):
    PAID = "paid"
    FAILED = "failed"
    PENDING = "pending"  # the gateway does not know yet (or not at all)


@dataclass(frozen=True)
class Notification:
    """A gateway's verified word about one order, whatever its protocol."""

    order_ref: str
    amount: int | None  # đồng; None when the message carries no readable whole amount
    outcome: str
    response_code: str = ""
    transaction_no: str = ""
    bank_code: str = ""
    pay_date: datetime.datetime | None = None
    params: Mapping[str, str] = field(default_factory=dict)  # as received, minus the signature


class GatewayError(Exception):
    """The gateway could not be reached or answered something unreadable."""


class SignatureInvalid(GatewayError):
    """A message whose signature does not verify with our secret: never acted upon."""

    def __init__(self, params: Mapping[str, str]) -> None:
        super().__init__("invalid signature")
        self.params = params


class TerminalMismatch(GatewayError):
    """A genuine message about another terminal (merchant code): never acted upon."""

    def __init__(self, terminal: str, params: Mapping[str, str]) -> None:
        super().__init__("message for another terminal")
        self.terminal = terminal
        self.params = params


class PaymentGateway(Plugin, ABC):
    """One configured gateway: ``name`` is its key in settings, ``identifier`` its engine.

    Sandbox engines name ``MOTCUA_PAYMENT_SANDBOX_ENABLED`` as their switch: they only work
    while it is on (checked on every use).
    """

    def __init__(self, name: str, config: Mapping[str, Any]) -> None:
        self.name = name
        self.config = config

    @abstractmethod
    def start_url(self, payment: Payment, *, return_url: str, client_ip: str, locale: str) -> str:
        """Where to send the payer's browser to pay ``payment``."""

    @abstractmethod
    def read_notification(self, params: Mapping[str, str]) -> Notification:
        """Verify and read a server-to-server notification; ``SignatureInvalid`` if forged."""

    def read_return(self, params: Mapping[str, str]) -> Notification:
        """Verify and read the parameters the browser brings back (for display only)."""
        return self.read_notification(params)

    @abstractmethod
    def query(self, payment: Payment) -> Notification:
        """Ask the gateway what became of ``payment`` (reconciliation)."""

    @abstractmethod
    def acknowledge(self, code: str) -> dict[str, str]:
        """The body answering a notification with our result ``code``."""

    @staticmethod
    def without_secrets(params: Mapping[str, Any]) -> dict[str, str]:
        """Parameters fit for the log: no signature, bounded in count and length."""
        kept: dict[str, str] = {}
        for key, value in list(params.items())[:60]:
            name = str(key)[:64]
            if "securehash" in name.lower() or "secret" in name.lower():
                continue
            kept[name] = str(value)[:300]
        return kept
