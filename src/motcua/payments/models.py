"""Payments of dossier fees, their append-only log, and the sandbox gateway's own records."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from motcua.dossiers.models import Dossier

from .lifecycle import State


class Payment(models.Model):
    """One attempt to pay a dossier's fee through a gateway. Abandoned ones expire; a new
    attempt is a new payment, so the log of every attempt stays."""

    dossier = models.ForeignKey(
        Dossier, on_delete=models.PROTECT, related_name="payments", verbose_name=_("dossier")
    )
    payer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="payments",
        verbose_name=_("payer"),
    )
    amount = models.PositiveBigIntegerField(_("amount (đồng)"))
    description = models.CharField(_("description"), max_length=255)
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.CREATED, db_index=True
    )
    gateway = models.CharField(_("gateway"), max_length=32)
    # What goes in vnp_TxnRef: unique, letters and digits only.
    order_ref = models.CharField(_("order reference"), max_length=64, unique=True)
    gateway_transaction_no = models.CharField(
        _("gateway transaction number"), max_length=64, blank=True
    )
    bank_code = models.CharField(_("bank"), max_length=32, blank=True)
    pay_date = models.DateTimeField(_("paid at the gateway"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    paid_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["state", "created_at"]),
            models.Index(fields=["dossier", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.order_ref} ({self.state})"


class EventAction(models.TextChoices):
    CREATED = "created", _("Created")
    REDIRECTED = "redirected", _("Sent to the gateway")
    PAID = "paid", _("Paid")
    FAILED = "failed", pgettext_lazy("payment", "Failed")
    EXPIRED = "expired", _("Expired")
    REFUNDED = "refunded", _("Refunded")
    REFUSED = "refused", _("Gateway message refused")
    QUERIED = "queried", _("Gateway queried")


class EventSource(models.TextChoices):
    USER = "user", _("Officer or applicant")
    IPN = "ipn", _("Gateway notification")
    QUERY = "query", _("Reconciliation query")
    SYSTEM = "system", _("System")


class PaymentEvent(models.Model):
    """One line of a payment's log, never edited. Refused gateway messages are logged too,
    with their parameters (minus the signature) and the code we answered."""

    payment = models.ForeignKey(
        Payment, on_delete=models.PROTECT, null=True, blank=True, related_name="events"
    )
    order_ref = models.CharField(max_length=100, blank=True)
    gateway = models.CharField(max_length=32, blank=True)
    action = models.CharField(_("action"), max_length=16, choices=EventAction.choices)
    source = models.CharField(_("source"), max_length=8, choices=EventSource.choices)
    from_state = models.CharField(max_length=16, choices=State.choices, blank=True)
    to_state = models.CharField(max_length=16, choices=State.choices, blank=True)
    code = models.CharField(_("answer code"), max_length=8, blank=True)
    detail = models.CharField(_("detail"), max_length=255, blank=True)
    params = models.JSONField(default=dict, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("payment event")
        verbose_name_plural = _("payment log")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.order_ref} {self.action} {self.code}".strip()

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("The payment log is never changed.")
        super().save(*args, **kwargs)


class SandboxTransaction(models.Model):
    """The sandbox gateway's own record of an order it was sent (not the platform's view).

    ``amount`` is as the protocol carries it (đồng × 100); ``transaction_status`` follows the
    protocol's codes: "01" not completed, "00" paid, "02" failed.
    """

    tmn_code = models.CharField(max_length=16)
    txn_ref = models.CharField(max_length=100)
    amount = models.PositiveBigIntegerField()
    order_info = models.CharField(max_length=255)
    create_date = models.CharField(max_length=14)
    return_url = models.CharField(max_length=1000)
    transaction_no = models.CharField(max_length=16, blank=True)
    response_code = models.CharField(max_length=4, blank=True)
    transaction_status = models.CharField(max_length=4, default="01")
    bank_code = models.CharField(max_length=20, blank=True)
    pay_date = models.CharField(max_length=14, blank=True)
    ipn_answer = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("sandbox gateway transaction")
        verbose_name_plural = _("sandbox gateway transactions")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["tmn_code", "txn_ref"], name="sandbox_one_txn_per_ref")
        ]

    def __str__(self) -> str:
        return f"{self.tmn_code}/{self.txn_ref} {self.transaction_status}"
