from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "motcua.feedback"
    verbose_name = _("Satisfaction ratings")

    def ready(self) -> None:
        from . import panels  # noqa: F401  (registers its dossier page panel)
