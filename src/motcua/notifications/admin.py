from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import MessageTemplate, MessageTemplateVersion, OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = (
        "created_at",
        "channel",
        "recipient",
        "subject",
        "status",
        "attempts",
        "next_attempt_at",
        "error",
        "backend",
    )
    list_filter = ("channel", "status")
    search_fields = ("recipient", "subject")
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class MessageTemplateVersionInline(admin.TabularInline):
    """The texts the template had: read only (each message points at the one it used)."""

    model = MessageTemplateVersion
    fields = ("number", "created_at", "subject", "body")
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ("-number",)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(MessageTemplate)
class MessageTemplateAdmin(admin.ModelAdmin):
    """Saving a changed text makes a new version (``MessageTemplate.save``); a template the
    engine cannot read is refused beside its field (``MessageTemplate.clean``)."""

    list_display = ("event", "channel", "subject", "active", "updated_at")
    list_filter = ("channel", "active")
    search_fields = ("event", "subject", "body")
    inlines = [MessageTemplateVersionInline]
    fieldsets = [
        (
            None,
            {
                "description": _(
                    "Placeholders: {{ code }}, {{ procedure }}, {{ status }}, {{ reason }}, "
                    "{{ apology }}, {{ amount }}, {{ amount_plain }}, {{ appointment }}, "
                    "{{ agency }}, {{ receive_at }}, {{ link }}; Django's built-in tags and "
                    "filters."
                ),
                "fields": ("event", "channel", "active", "subject", "body"),
            },
        ),
    ]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # its versions are kept with the messages written from them
