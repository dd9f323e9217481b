from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkcalendarConfig(AppConfig):
    """Lịch làm việc: days off, make-up working days and office hours (DOMAIN.md §6)."""

    name = "motcua.workcalendar"
    verbose_name = _("Working calendar")
    default_auto_field = "django.db.models.BigAutoField"
