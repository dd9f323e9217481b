from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HelpdeskConfig(AppConfig):
    """Hỗ trợ: the help page's content (questions and answers by topic), edited in the admin."""

    name = "motcua.helpdesk"
    verbose_name = _("Help")
