from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PetitionsConfig(AppConfig):
    """Phản ánh, kiến nghị: citizens' and businesses' reports and their public answers."""

    name = "motcua.petitions"
    verbose_name = _("Feedback and petitions")

    def ready(self) -> None:
        from . import panels  # noqa: F401  (registers its dossier page panel)
