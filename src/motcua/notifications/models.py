"""The outbox: every message the platform sends, with its delivery state."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    RETRY = "retry", _("Waiting to retry")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")  # after its last try


# Whom a worker may take a message from: waiting, or claimed by a worker that went silent.
WAITING = (DeliveryStatus.QUEUED, DeliveryStatus.RETRY)


class OutboxMessage(models.Model):
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    recipient = models.CharField(_("recipient"), max_length=254)
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    body = models.TextField(_("body"))
    status = models.CharField(
        _("status"), max_length=8, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED
    )
    backend = models.CharField(_("backend"), max_length=100, blank=True)
    error = models.CharField(_("error"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # When a worker took the message (its lease) and when a failed message is tried again.
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    # The template text it was written from (None: written without a template).
    template_version = models.ForeignKey(
        "MessageTemplateVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="messages",
        verbose_name=_("template version"),
    )

    class Meta:
        verbose_name = _("outgoing message")
        verbose_name_plural = _("outbox")
        ordering = ["-created_at", "-id"]
        # The scheduler's sweep looks for messages being sent or waiting to be retried.
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="outbox_status_next_idx")
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.recipient}"


class MessageTemplate(models.Model):
    """What the platform writes for an event on a channel, editable in the admin.

    ``subject`` and ``body`` are Django templates rendered as plain text by a bare engine
    (``rendering.TEMPLATE_ENGINE``: built-in tags and filters only, the context plain
    strings). Every edit is kept as a ``MessageTemplateVersion``; each outbox message records
    the version it was written from.
    """

    event = models.CharField(
        _("event"), max_length=64, help_text=_("The key of the event, e.g. dossier.accepted.")
    )
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    body = models.TextField(_("body"))
    active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("message template")
        verbose_name_plural = _("message templates")
        ordering = ["event", "channel"]
        constraints = [
            models.UniqueConstraint(fields=["event", "channel"], name="message_template_event")
        ]

    def __str__(self) -> str:
        return f"{self.event} ({self.get_channel_display()})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Save, and append a version when the text is new (the first save, or an edit)."""
        super().save(*args, **kwargs)
        latest = self.versions.order_by("-number").first()
        if latest is None or (latest.subject, latest.body) != (self.subject, self.body):
            MessageTemplateVersion.objects.create(
                template=self,
                number=(latest.number + 1) if latest else 1,
                subject=self.subject,
                body=self.body,
            )

    def clean(self) -> None:
        from .rendering import check_template_syntax

        check_template_syntax(self.subject, field="subject")
        check_template_syntax(self.body, field="body")

    @property
    def current_version(self) -> MessageTemplateVersion | None:
        return self.versions.order_by("-number").first()


class MessageTemplateVersion(models.Model):
    """One text of a template as it was at an edit. Never changed."""

    template = models.ForeignKey(MessageTemplate, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    body = models.TextField(_("body"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("message template version")
        verbose_name_plural = _("message template versions")
        ordering = ["template", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["template", "number"], name="message_template_version_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.template} v{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("A template version is never changed.")
        super().save(*args, **kwargs)
