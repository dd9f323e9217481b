from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AddressesConfig(AppConfig):
    """Địa chỉ số: the digital address of every household (DOMAIN.md §10)."""

    name = "motcua.addresses"
    verbose_name = _("Digital addresses")

    def ready(self) -> None:
        # The e-form list "digital-address", the dossier's addresses at filing, their panel.
        from . import handlers, panels, uses  # noqa: F401

        uses.register()
