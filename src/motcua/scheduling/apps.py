from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchedulingConfig(AppConfig):
    """Periodic background work: sweeps and reconciliations enqueued on a timetable."""

    name = "motcua.scheduling"
    verbose_name = _("Periodic tasks")
