"""The synchronisation outbox, and what the sandbox national portal holds."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.models import Dossier, DossierEvent


class SyncState(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    RETRY = "retry", _("Waiting to retry")
    DELIVERED = "delivered", _("Delivered")
    # The portal answered and refused it: kept with its error until an administrator resends.
    REFUSED = "refused", _("Refused by the portal")


# What a worker may take: waiting, or due to be tried again.
WAITING = (SyncState.PENDING, SyncState.RETRY)
UNDELIVERED = (SyncState.PENDING, SyncState.SENDING, SyncState.RETRY, SyncState.REFUSED)


class SyncItem(models.Model):
    """One change of a dossier to tell the national portal: its filing, or a status change.

    Written in the transaction of the change (``handlers``), so a change is synchronised if and
    only if it happened. The changes of one dossier are delivered in the order of its history
    (``event``): a later one waits while an earlier one is not delivered.
    """

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="+")
    event = models.OneToOneField(DossierEvent, on_delete=models.PROTECT, related_name="+")
    status = models.PositiveSmallIntegerField(_("national status code"))
    is_creation = models.BooleanField(_("first synchronisation"), default=False)
    payload = models.JSONField(_("payload"), default=dict)
    state = models.CharField(
        _("state"), max_length=10, choices=SyncState.choices, default=SyncState.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    error = models.TextField(_("error"), blank=True)
    answer = models.JSONField(_("portal's answer"), default=dict, blank=True)
    created_at = models.DateTimeField(_("changed at"), default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    # Seconds from the change to its delivery: the indicator's delay, kept as a number so that
    # every database averages it.
    delay_seconds = models.FloatField(null=True, blank=True)

    class Meta:
        verbose_name = _("national portal synchronisation")
        verbose_name_plural = _("national portal synchronisation")
        ordering = ["dossier", "event"]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="natsync_state_next_idx"),
            models.Index(fields=["dossier", "state"], name="natsync_dossier_state_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.payload.get('MaHoSo', self.dossier_id)} → {self.status}"


class SandboxDossier(models.Model):
    """SANDBOX: a dossier as the stand-in national portal holds it (its latest payload)."""

    code = models.CharField(_("dossier code"), max_length=40, unique=True)
    procedure_code = models.CharField(_("procedure code"), max_length=40)
    agency_code = models.CharField(_("agency"), max_length=40)
    status = models.PositiveSmallIntegerField(_("status"))
    statuses = models.JSONField(_("statuses received"), default=list)
    payload = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("sandbox portal dossier")
        verbose_name_plural = _("sandbox portal dossiers")
        ordering = ["-updated_at", "-id"]

    def __str__(self) -> str:
        return self.code


class SandboxCall(models.Model):
    """SANDBOX: one call the stand-in portal received, accepted or refused with its reason."""

    service = models.CharField(max_length=40)
    dossier_code = models.CharField(max_length=40, blank=True)
    accepted = models.BooleanField(default=False)
    error = models.TextField(blank=True)
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return f"{self.service} {self.dossier_code}"


class CatalogueImport(models.Model):
    """One import of the catalogue from the national procedure database, asked for by an
    administrator and run by the worker: what it did, or why it did nothing."""

    asked_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    asked_at = models.DateTimeField(_("asked at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    created = models.JSONField(_("new procedures"), default=list)
    updated = models.JSONField(_("updated procedures"), default=list)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    not_found = models.JSONField(default=list)
    problems = models.JSONField(_("problems"), default=list)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("catalogue import from the national database")
        verbose_name_plural = _("catalogue imports from the national database")
        ordering = ["-asked_at", "-id"]

    def __str__(self) -> str:
        return f"{self.asked_at:%Y-%m-%d %H:%M}"
