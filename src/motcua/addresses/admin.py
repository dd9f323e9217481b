from django.contrib import admin

from .models import Correction, Household, HouseholdMember, Place, PlaceEvent, PlaceIdentifier


class ReadOnly(admin.ModelAdmin):
    """Changes go through the services, which keep the history: the admin only shows."""

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


class IdentifierInline(admin.TabularInline):
    model = PlaceIdentifier
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Place)
class PlaceAdmin(ReadOnly):
    list_display = ("code", "house_number", "street", "ward_code", "plus_code", "status")
    list_filter = ("status", "ward_code")
    search_fields = ("code", "plus_code", "search_text")
    inlines = [IdentifierInline]


@admin.register(PlaceEvent)
class PlaceEventAdmin(ReadOnly):
    list_display = ("place", "version", "action", "actor", "at")
    list_filter = ("action",)


@admin.register(Household)
class HouseholdAdmin(ReadOnly):
    list_display = ("place", "head", "created_at", "ended_at")


@admin.register(HouseholdMember)
class HouseholdMemberAdmin(ReadOnly):
    list_display = ("household", "user", "joined_at", "left_at")


@admin.register(Correction)
class CorrectionAdmin(ReadOnly):
    list_display = ("place", "requested_by", "requested_at", "status")
    list_filter = ("status",)
