"""Vocabulary of the working calendar (DOMAIN.md §6)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DayKind(models.TextChoices):
    """What a calendar row says about its date; a row always wins over the weekday rule."""

    DAY_OFF = "day_off", _("Day off")
    WORKING_DAY = "working_day", _("Working day")


class DaySource(models.TextChoices):
    """Where a calendar row comes from; seeding never touches administrator rows."""

    HOLIDAYS = "holidays", _("Official calendar (holidays package)")
    ADMIN = "admin", _("Administrator")
