from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from motcua.errors import DomainError

from . import services
from .models import CatalogueImport, SyncItem, SyncState


@admin.register(SyncItem)
class SyncItemAdmin(admin.ModelAdmin[SyncItem]):
    list_display = ("dossier", "status", "state", "attempts", "created_at", "delivered_at")
    list_filter = ("state", "status", "dossier__receiving_agency")
    search_fields = ("dossier__code",)
    readonly_fields = [f.name for f in SyncItem._meta.fields]
    actions = ["resend"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    @admin.action(description=_("Send the refused changes again"))
    def resend(self, request: HttpRequest, queryset: QuerySet[SyncItem]) -> None:
        sent = 0
        for item in queryset.filter(state=SyncState.REFUSED):
            try:
                services.resend(item=item, user=request.user)  # type: ignore[arg-type]
            except DomainError as exc:
                self.message_user(request, str(exc), messages.ERROR)
                return
            sent += 1
        self.message_user(request, _("%(count)d change(s) sent again.") % {"count": sent})


@admin.register(CatalogueImport)
class CatalogueImportAdmin(admin.ModelAdmin[CatalogueImport]):
    list_display = ("asked_at", "asked_by", "finished_at", "unchanged", "error")
    readonly_fields = [f.name for f in CatalogueImport._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
