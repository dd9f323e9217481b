from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PeriodicJob(models.Model):
    """When a periodic task was last enqueued: shared by every scheduler, so each runs once."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    last_enqueued_at = models.DateTimeField(_("last enqueued"), null=True, blank=True)
    last_task_id = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("periodic task")
        verbose_name_plural = _("periodic tasks")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
