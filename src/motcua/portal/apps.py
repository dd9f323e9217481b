from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """Cổng dịch vụ công: the citizen-facing pages that compose the other apps."""

    name = "motcua.portal"
    verbose_name = _("Public portal")
