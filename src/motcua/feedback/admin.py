from django.contrib import admin
from django.http import HttpRequest

from .models import Rating


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):
    """Read-only: a rating is the applicant's word and is never edited."""

    list_display = ("dossier", "agency", "value", "created_at")
    list_filter = ("value", "agency")
    search_fields = ("dossier__code",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
