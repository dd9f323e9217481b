from django.contrib import admin

from .models import Read, ResultType, StoredDocument


@admin.register(ResultType)
class ResultTypeAdmin(admin.ModelAdmin):
    list_display = ["procedure", "document_type", "title", "valid_for_days"]
    search_fields = ["procedure__code", "document_type", "title"]
    autocomplete_fields = ["procedure"]


@admin.register(StoredDocument)
class StoredDocumentAdmin(admin.ModelAdmin):
    """Read only: documents enter the store through its services, never by hand."""

    list_display = ["document_type", "title", "number", "source", "issued_on", "created_at"]
    list_filter = ["source"]
    search_fields = ["document_type", "number"]
    readonly_fields = [f.name for f in StoredDocument._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(Read)
class ReadAdmin(admin.ModelAdmin):
    list_display = ["at", "document", "reader", "dossier", "purpose", "channel"]
    list_filter = ["purpose", "channel"]
    readonly_fields = [f.name for f in Read._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False
