from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PersonalStoreConfig(AppConfig):
    """Kho dữ liệu: each citizen's and business's store of verified documents, reused instead
    of asked again (DOMAIN.md §8; Decree 45/2020)."""

    name = "motcua.personalstore"
    verbose_name = _("Personal data store")

    def ready(self) -> None:
        # the store fills itself from dossiers' transitions, shows panels on their pages and
        # offers its documents to the filing form and their data to the e-form ("store.*")
        from . import catalog_panels, handlers, panels, prefill, sources  # noqa: F401
