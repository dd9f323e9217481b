"""Days off, make-up working days and office hours: data with an effective date, not constants.

Decree 118/2025/NĐ-CP (one-stop mechanism) counts time limits in working days and working hours;
the days off come from the Labour Code 2019 Art. 112 and the yearly government announcements,
seeded from the ``holidays`` package and corrected by an administrator (DOMAIN.md §6).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .constants import DayKind, DaySource


class CalendarDay(models.Model):
    """One date that departs from the Monday–Friday rule (DOMAIN.md §6).

    ``day_off``: a public holiday, Tết day or substitute day off, usually on a weekday.
    ``working_day``: a make-up working Saturday or Sunday; also the way to cancel a seeded day
    off (change its kind), since a deleted seeded row comes back at the next seeding.
    """

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=DayKind.choices)
    name = models.CharField(_("name"), max_length=255)
    source = models.CharField(
        _("source"),
        max_length=16,
        choices=DaySource.choices,
        default=DaySource.ADMIN,
        help_text=_("Rows from the official calendar are refreshed by seeding; yours are kept."),
    )
    notes = models.TextField(_("notes"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("days off and working days")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} — {self.name}"


class OfficeHours(models.Model):
    """Giờ hành chính: the sessions that count as working time, from ``valid_from`` on.

    Defaults: 07:00–11:30 and 13:30–17:00 (8 working hours) and the 15:00 cut-off after which
    paper transferred between units counts on the next working day (Decree 118/2025;
    DOMAIN.md §6). A day uses the row with the latest ``valid_from`` on or before it.
    """

    valid_from = models.DateField(_("valid from"), unique=True)
    morning_start = models.TimeField(_("morning opens"), default=dt.time(7, 0))
    morning_end = models.TimeField(_("morning closes"), default=dt.time(11, 30))
    afternoon_start = models.TimeField(_("afternoon opens"), default=dt.time(13, 30))
    afternoon_end = models.TimeField(_("afternoon closes"), default=dt.time(17, 0))
    paper_cutoff = models.TimeField(
        _("paper transfer cut-off"),
        default=dt.time(15, 0),
        help_text=_("Paper transferred after this time counts on the next working day."),
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("office hours")
        verbose_name_plural = _("office hours")
        ordering = ["-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(morning_start__lt=F("morning_end"))
                & Q(morning_end__lte=F("afternoon_start"))
                & Q(afternoon_start__lt=F("afternoon_end")),
                name="workcalendar_office_hours_in_order",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.morning_start:%H:%M}–{self.morning_end:%H:%M}, "
            f"{self.afternoon_start:%H:%M}–{self.afternoon_end:%H:%M} "
            f"({self.valid_from:%d/%m/%Y})"
        )

    def clean(self) -> None:
        super().clean()
        times = [self.morning_start, self.morning_end, self.afternoon_start, self.afternoon_end]
        if None in times:
            return
        if not (times[0] < times[1] <= times[2] < times[3]):
            raise ValidationError(
                _("The sessions must be in order: the morning opens, closes, then the afternoon.")
            )
        if self.paper_cutoff is not None and not (times[0] <= self.paper_cutoff <= times[3]):
            raise ValidationError(
                {"paper_cutoff": _("The cut-off must fall between opening and closing time.")}
            )
