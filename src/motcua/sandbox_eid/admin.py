"""Testers add or change demo identities here; keys, codes and tokens are not shown."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import SandboxIdentity


@admin.register(SandboxIdentity)
class SandboxIdentityAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "account_type",
        "personal_id",
        "tax_code",
        "assurance_level",
        "is_active",
    )
    list_filter = ("account_type", "assurance_level", "is_active")
    search_fields = ("name", "personal_id", "tax_code", "representative_name", "sub")
    readonly_fields = ("sub", "created_at")
    fieldsets = (
        (None, {"fields": ("account_type", "name", "assurance_level", "note", "is_active")}),
        (
            _("Identification"),
            {"fields": ("personal_id", "birthdate", "gender", "tax_code", "representative_name")},
        ),
        (
            _("Addresses"),
            {
                "fields": (
                    "permanent_ward_code",
                    "permanent_street",
                    "current_ward_code",
                    "current_street",
                )
            },
        ),
        (_("Contact"), {"fields": ("email", "phone_number")}),
        (_("Record"), {"fields": ("sub", "created_at")}),
    )
