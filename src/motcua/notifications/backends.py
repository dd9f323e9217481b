"""Channel backends: how a message leaves the platform. Chosen per channel in settings.

``MOTCUA_NOTIFICATION_BACKENDS = {"email": "<identifier>", "sms": "<identifier>"}`` names a
plugin of the ``notification_channels`` registry for each channel: "outbox" (development: the
message stays in the outbox, readable in the admin and printed to the log) or "django-email"
(Django's e-mail, SMTP in production); an SMS gateway is a new plugin registered with
``@notification_channels.register`` in a module the app's ``plugins.py`` imports. A dotted
path to a class with a ``deliver(message)`` method is still accepted (older configurations).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from functools import partial

import structlog
from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string

from motcua.plugins import Plugin, Registry

from .models import Channel, OutboxMessage

logger = structlog.get_logger(__name__)


class NotificationBackend(Plugin, ABC):
    @abstractmethod
    def deliver(self, message: OutboxMessage) -> None:
        """Send ``message`` or raise; the caller records the outcome."""


notification_channels: Registry[NotificationBackend] = Registry(
    NotificationBackend, kind="notification_channel", setting="MOTCUA_NOTIFICATION_BACKENDS"
)


@notification_channels.register
class OutboxOnlyBackend(NotificationBackend):
    """Development: the message stays in the outbox; the log says so (without its body)."""

    identifier = "outbox"
    verbose_name = "Kept in the outbox (development)"

    def deliver(self, message: OutboxMessage) -> None:
        logger.info("notification.kept_in_outbox", message_id=message.pk, channel=message.channel)


@notification_channels.register
class DjangoEmailBackend(NotificationBackend):
    """E-mail through Django's configured ``EMAIL_BACKEND`` (SMTP in production)."""

    identifier = "django-email"
    verbose_name = "E-mail through Django's EMAIL_BACKEND"

    def deliver(self, message: OutboxMessage) -> None:
        send_mail(
            message.subject,
            message.body,
            settings.DEFAULT_FROM_EMAIL,
            [message.recipient],
            fail_silently=False,
        )


# A channel the settings leave out (a test naming only one) keeps its messages in the outbox.
UNCONFIGURED_CHANNEL = OutboxOnlyBackend.identifier


def backend_for(channel: str) -> NotificationBackend:
    """The backend ``MOTCUA_NOTIFICATION_BACKENDS`` selects for ``channel``."""
    chosen = str(settings.MOTCUA_NOTIFICATION_BACKENDS.get(channel, UNCONFIGURED_CHANNEL))
    if "." in chosen:
        # A dotted path, as configurations before the plugin registry named backends.
        backend: NotificationBackend = import_string(chosen)()
        return backend
    return notification_channels.usable(chosen)()


@notification_channels.selector
def selected_channels() -> dict[str, Callable[[], NotificationBackend]]:
    return {channel: partial(backend_for, channel) for channel in Channel.values}
