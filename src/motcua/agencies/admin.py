from django.contrib import admin

from .models import Agency, OneStopDesk


class OneStopDeskInline(admin.TabularInline):
    model = OneStopDesk
    extra = 0


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "level", "valid_from", "valid_until")
    list_filter = ("kind", "level")
    search_fields = ("code", "name", "name_en")
    raw_id_fields = ("parent", "successor")
    inlines = [OneStopDeskInline]


@admin.register(OneStopDesk)
class OneStopDeskAdmin(admin.ModelAdmin):
    list_display = ("name", "agency", "address")
    search_fields = ("name", "agency__name", "agency__code")
    raw_id_fields = ("agency",)
