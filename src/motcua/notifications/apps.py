from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """Thông báo: e-mail and SMS messages, kept in an outbox and handed to a channel backend."""

    name = "motcua.notifications"
    verbose_name = _("Notifications")
