from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackofficeConfig(AppConfig):
    """Trang cán bộ: the officer-facing pages (worklists arrive with dossiers)."""

    name = "motcua.backoffice"
    verbose_name = _("Officer pages")

    def ready(self) -> None:
        # Every app's plugins register at start-up (a duplicate identifier stops it here),
        # not at the first request that looks one up.
        from motcua.plugins import autodiscover

        autodiscover()
