"""How satisfied applicants were with the service, one rating per returned dossier.

These feed the "satisfaction" component of the service-quality index (DOMAIN.md).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Agency
from motcua.dossiers.models import Dossier


class Satisfaction(models.IntegerChoices):
    SATISFIED = 3, _("Satisfied")
    NORMAL = 2, _("Normal")
    DISSATISFIED = 1, _("Dissatisfied")


class Rating(models.Model):
    dossier = models.OneToOneField(
        Dossier, on_delete=models.PROTECT, related_name="rating", verbose_name=_("dossier")
    )
    # Kept with the rating so that statistics do not depend on later hand-overs.
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("agency")
    )
    value = models.PositiveSmallIntegerField(_("rating"), choices=Satisfaction.choices)
    comment = models.TextField(_("comment"), blank=True, max_length=2000)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("rated at"), default=timezone.now)

    class Meta:
        verbose_name = _("satisfaction rating")
        verbose_name_plural = _("satisfaction ratings")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.get_value_display()}"
