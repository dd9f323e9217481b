from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DossiersConfig(AppConfig):
    """Hồ sơ: a dossier filed for a procedure, its lifecycle, code, attachments and history."""

    name = "motcua.dossiers"
    verbose_name = _("Dossiers")

    def ready(self) -> None:
        from . import handlers  # noqa: F401  (registers the app's own handlers, first)
