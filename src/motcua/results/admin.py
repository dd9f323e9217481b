from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.accounts.models import User

from . import services
from .forms import RevokeForm
from .models import (
    IssuedResult,
    PostalDelivery,
    PostalDeliveryEvent,
    ResultDraft,
    ResultTemplate,
)


@admin.register(ResultTemplate)
class ResultTemplateAdmin(admin.ModelAdmin[ResultTemplate]):
    list_display = ["procedure", "title", "updated_at"]
    search_fields = ["procedure__code", "procedure__name", "title"]
    autocomplete_fields = ["procedure"]
    formfield_overrides = {
        # Long decision texts: room to write.
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 16, "cols": 100})}
    }


@admin.register(ResultDraft)
class ResultDraftAdmin(admin.ModelAdmin[ResultDraft]):
    """What officers filled before deciding: read here, changed only on the dossier page."""

    list_display = ["dossier", "updated_by", "updated_at"]
    search_fields = ["dossier__code"]
    readonly_fields = ["dossier", "values", "updated_by", "updated_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: ResultDraft | None = None) -> bool:
        return False


@admin.action(description=gettext_lazy("Revoke the selected results"))
def revoke_results(
    modeladmin: IssuedResultAdmin, request: HttpRequest, queryset: QuerySet[IssuedResult]
) -> HttpResponse | None:
    """Asks for the reason on a second page, then revokes each result through the service."""
    form = RevokeForm(request.POST if "apply" in request.POST else None)
    if form.is_bound and form.is_valid():
        assert isinstance(request.user, User)
        done = 0
        for result in queryset:
            try:
                services.revoke_result(
                    result=result, officer=request.user, reason=form.cleaned_data["reason"]
                )
                done += 1
            except services.ResultError as exc:
                modeladmin.message_user(request, f"{result.number}: {exc}", messages.ERROR)
        if done:
            modeladmin.message_user(
                request, _("%(count)d result(s) revoked.") % {"count": done}, messages.SUCCESS
            )
        return None
    context: dict[str, Any] = {
        **modeladmin.admin_site.each_context(request),
        "title": _("Revoke the selected results"),
        "form": form,
        "results": queryset,
        "opts": modeladmin.model._meta,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "admin/results/revoke.html", context)


class DeliveryEventInline(admin.TabularInline[PostalDeliveryEvent, PostalDelivery]):
    model = PostalDeliveryEvent
    extra = 0
    can_delete = False
    readonly_fields = ["status", "tracking_number", "note", "actor", "created_at"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(IssuedResult)
class IssuedResultAdmin(admin.ModelAdmin[IssuedResult]):
    list_display = ["number", "dossier", "agency", "issued_at", "revoked_at"]
    list_filter = ["agency", ("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["number", "dossier__code", "sha256", "token"]
    actions = [revoke_results]
    readonly_fields = [field.name for field in IssuedResult._meta.fields if field.name != "id"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # results are issued by the service, never typed in

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(PostalDelivery)
class PostalDeliveryAdmin(admin.ModelAdmin[PostalDelivery]):
    list_display = ["result", "status", "tracking_number", "requested_at", "updated_at"]
    list_filter = ["status"]
    search_fields = ["result__number", "result__dossier__code", "tracking_number"]
    readonly_fields = [field.name for field in PostalDelivery._meta.fields if field.name != "id"]
    inlines = [DeliveryEventInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
