from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    """Danh mục thủ tục hành chính: the public catalogue of procedures (DOMAIN.md §2)."""

    name = "motcua.catalog"
    verbose_name = _("Procedure catalogue")

    def ready(self) -> None:
        # Connects the receivers that renew the catalogue version when a field changes.
        from . import cache  # noqa: F401
