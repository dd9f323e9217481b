from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NationalPortalConfig(AppConfig):
    """Đồng bộ Cổng Dịch vụ công quốc gia: every dossier mirrored on the national public-service
    portal through an outbox, and the procedure catalogue taken from the national database."""

    name = "motcua.nationalportal"
    verbose_name = _("National public-service portal")

    def ready(self) -> None:
        from . import handlers  # noqa: F401  (registers the dossier transition handler)
