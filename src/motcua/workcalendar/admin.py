"""Calendar upkeep in the admin: days off, make-up working days, office hours (DOMAIN.md §6)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from .constants import DaySource
from .models import CalendarDay, OfficeHours


class YearFilter(admin.SimpleListFilter):
    title = _("year")
    parameter_name = "year"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        years = CalendarDay.objects.dates("date", "year", order="DESC")
        return [(str(year.year), str(year.year)) for year in years]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(date__year=int(value))
        return queryset


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ("date", "weekday", "kind", "name", "source")
    list_filter = (YearFilter, "kind", "source")
    date_hierarchy = "date"
    search_fields = ("name", "notes")
    ordering = ("date",)
    fields = ("date", "kind", "name", "notes", "source", "updated_at")
    readonly_fields = ("source", "updated_at")

    @admin.display(description=_("weekday"))
    def weekday(self, obj: CalendarDay) -> str:
        return date_format(obj.date, "l")

    def save_model(self, request: HttpRequest, obj: CalendarDay, form: Any, change: bool) -> None:
        # A row an administrator touched is theirs: seeding leaves it alone from now on.
        obj.source = DaySource.ADMIN
        super().save_model(request, obj, form, change)


@admin.register(OfficeHours)
class OfficeHoursAdmin(admin.ModelAdmin):
    list_display = (
        "valid_from",
        "morning_start",
        "morning_end",
        "afternoon_start",
        "afternoon_end",
        "paper_cutoff",
    )
    ordering = ("-valid_from",)
