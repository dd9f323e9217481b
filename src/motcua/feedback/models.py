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


class Question(models.TextChoices):
    """The criteria of the satisfaction survey the service-quality index reads (Decision
    766/QĐ-TTg, 2022, the "satisfaction" group; DOMAIN.md §9): reaching the service, the
    procedure as published, the officers, the result, the time taken. Each is answered on the
    national portal's 3-point scale (``Satisfaction``); ``Rating.value`` is the overall one."""

    ACCESS = "access", _("Finding the service and filing the dossier")
    PROCEDURE = "procedure", _("The procedure: documents and fees as published, nothing more")
    OFFICERS = "officers", _("The officers: guidance, courtesy, no request outside the rules")
    RESULT = "result", _("The result: correct and complete")
    TIMELINESS = "timeliness", _("The time taken: returned by the appointment date")


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


class RatingAnswer(models.Model):
    """One criterion of a rating (``Question``). Ratings recorded before the criteria were
    asked have none and keep their overall value."""

    rating = models.ForeignKey(Rating, on_delete=models.PROTECT, related_name="answers")
    question = models.CharField(_("question"), max_length=16, choices=Question.choices)
    value = models.PositiveSmallIntegerField(_("rating"), choices=Satisfaction.choices)

    class Meta:
        verbose_name = _("rating answer")
        verbose_name_plural = _("rating answers")
        ordering = ["rating", "question"]
        constraints = [
            models.UniqueConstraint(fields=["rating", "question"], name="one_answer_per_question")
        ]

    def __str__(self) -> str:
        return f"{self.rating_id} {self.question}: {self.value}"
