"""Channel backends: how a message leaves the platform. Chosen per channel in settings.

``MOTCUA_NOTIFICATION_BACKENDS = {"email": "<dotted path>", "sms": "<dotted path>"}``.
Development uses the outbox backend (messages stay in the outbox, readable in the admin and
printed to the log); production plugs in Django's e-mail (SMTP) and an SMS gateway backend.
"""

from __future__ import annotations

from abc import ABC, abstractmethod

import structlog
from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string

from .models import OutboxMessage

logger = structlog.get_logger(__name__)


class NotificationBackend(ABC):
    @abstractmethod
    def deliver(self, message: OutboxMessage) -> None:
        """Send ``message`` or raise; the caller records the outcome."""


class OutboxOnlyBackend(NotificationBackend):
    """Development: the message stays in the outbox; the log says so (without its body)."""

    def deliver(self, message: OutboxMessage) -> None:
        logger.info("notification.kept_in_outbox", message_id=message.pk, channel=message.channel)


class DjangoEmailBackend(NotificationBackend):
    """E-mail through Django's configured ``EMAIL_BACKEND`` (SMTP in production)."""

    def deliver(self, message: OutboxMessage) -> None:
        send_mail(
            message.subject,
            message.body,
            settings.DEFAULT_FROM_EMAIL,
            [message.recipient],
            fail_silently=False,
        )


DEFAULT_BACKENDS = {
    "email": "motcua.notifications.backends.OutboxOnlyBackend",
    "sms": "motcua.notifications.backends.OutboxOnlyBackend",
}


def backend_for(channel: str) -> NotificationBackend:
    configured = {**DEFAULT_BACKENDS, **getattr(settings, "MOTCUA_NOTIFICATION_BACKENDS", {})}
    backend: NotificationBackend = import_string(configured[channel])()
    return backend
