from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ListenConfig(AppConfig):
    name = "motcua.listen"
    verbose_name = _("Listen to a procedure")

    def ready(self) -> None:
        from . import panels  # noqa: F401  (the "Listen" control on the procedure page)
