from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResultsConfig(AppConfig):
    name = "motcua.results"
    verbose_name = _("Signed electronic results")

    def ready(self) -> None:
        from . import handlers, panels  # noqa: F401  (signs each decision; its page panel)
