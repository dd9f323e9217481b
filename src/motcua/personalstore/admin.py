from typing import Any

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import deposits
from .models import IssuerClient, Read, ResultType, StoredDocument


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


class IssuerClientForm(forms.ModelForm):
    secret = forms.CharField(
        label=_("New secret"),
        required=False,
        min_length=24,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("At least 24 characters; kept only as a hash. Empty: unchanged."),
    )

    class Meta:
        model = IssuerClient
        fields = ["name", "agency", "client_id", "document_types", "active"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.instance.pk and not cleaned.get("secret"):
            self.add_error("secret", _("A new issuer needs a secret."))
        types = cleaned.get("document_types")
        if types is not None and (
            not isinstance(types, list) or not all(isinstance(t, str) and t for t in types)
        ):
            self.add_error("document_types", _("A JSON list of document-type codes."))
        return cleaned

    def save(self, commit: bool = True) -> IssuerClient:
        client: IssuerClient = super().save(commit=False)
        if self.cleaned_data.get("secret"):
            deposits.set_secret(client, self.cleaned_data["secret"])
        if commit:
            client.save()
        return client


@admin.register(IssuerClient)
class IssuerClientAdmin(admin.ModelAdmin):
    form = IssuerClientForm
    list_display = ["name", "client_id", "agency", "active", "created_at"]
    list_filter = ["active"]
    search_fields = ["name", "client_id"]
