from django.contrib import admin

from .models import ApiKey, Report, ReportEvent, Topic


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "agency", "by_ward", "active", "order"]
    list_filter = ["active", "by_ward"]
    search_fields = ["code", "name"]


class EventInline(admin.TabularInline):
    model = ReportEvent
    extra = 0
    can_delete = False
    readonly_fields = ["kind", "at", "actor", "from_agency", "to_agency", "note"]

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "topic", "agency", "status", "due_at", "filed_at"]
    list_filter = ["status", "topic"]
    search_fields = ["code", "title"]
    inlines = [EventInline]

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False  # reports change through their services only


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    """Keys are made with ``manage.py open311_key "Client name"`` (the key is shown once);
    here they are listed and switched off."""

    list_display = ["name", "prefix", "active", "created_at"]
    readonly_fields = ["name", "prefix", "key_hash", "created_at"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False
