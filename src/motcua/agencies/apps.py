from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgenciesConfig(AppConfig):
    """Cơ quan: the tree of agencies, their electronic identifiers and one-stop desks."""

    name = "motcua.agencies"
    verbose_name = _("Agencies")
