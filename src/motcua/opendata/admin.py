"""Administrators see open data and its history; stewards change datasets on their pages and
through the API (so every change is checked and recorded), administrators manage themes."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import ApiToken, Dataset, Revision, Theme


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin[Theme]):
    list_display = ["name", "title", "title_en", "eu_theme"]
    search_fields = ["name", "title"]


class ReadOnly(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Dataset)
class DatasetAdmin(ReadOnly):
    list_display = ["name", "title", "agency", "state", "private", "modified_at"]
    list_filter = ["state", "private", "licence_id"]
    search_fields = ["name", "title"]


@admin.register(Revision)
class RevisionAdmin(ReadOnly):
    list_display = ["dataset", "number", "action", "actor", "at"]
    list_filter = ["action"]


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnly):
    list_display = ["name", "prefix", "user", "agency", "dataset", "created_at", "revoked_at"]
    exclude = ["key_hash"]
