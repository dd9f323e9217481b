from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SandboxEidConfig(AppConfig):
    """Sandbox định danh điện tử: a local stand-in for the national e-ID OpenID Connect service."""

    name = "motcua.sandbox_eid"
    verbose_name = _("Sandbox national e-ID provider")
