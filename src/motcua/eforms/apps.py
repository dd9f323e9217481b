from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EformsConfig(AppConfig):
    """Biểu mẫu điện tử: e-forms rendered, validated and pre-filled from JSON Schema."""

    name = "motcua.eforms"
    verbose_name = _("E-forms")
