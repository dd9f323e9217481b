"""Catalogue editing in the admin; every save is recorded as a new procedure version."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.accounts.models import User

from . import services
from .models import Component, Field, Procedure, ProcedureCase, ProcedureVersion, ProcessingStep
from .serialization import export_catalog


def acting_user(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


@admin.register(Field)
class FieldAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "name_en")
    search_fields = ("code", "name", "name_en")


class CaseInline(admin.StackedInline):
    model = ProcedureCase
    extra = 0
    show_change_link = True
    fields = (
        "position",
        "name",
        "time_limit",
        "time_unit",
        "fee",
        "fee_description",
        "fee_basis",
        "fee_copies_field",
        "fee_rules",
        "payment_timing",
        "eform_schema",
    )


class VersionInline(admin.TabularInline):
    model = ProcedureVersion
    extra = 0
    can_delete = False
    fields = ("number", "status", "created_at", "created_by", "note")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "field", "agency_level", "online_level", "status", "version")
    list_filter = ("status", "service_kind", "agency_level", "online_level", "field")
    search_fields = ("code", "name", "search_name")
    filter_horizontal = ("agencies",)
    readonly_fields = ("version", "updated_at")
    inlines = [CaseInline, VersionInline]
    actions = ["export_json", "publish", "unpublish"]
    change_list_template = "admin/catalog/procedure/change_list.html"

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        services.record_version(
            procedure=form.instance,
            actor=acting_user(request),
            note="admin",  # type: ignore[arg-type]
        )

    @admin.action(description=gettext_lazy("Export selected procedures as JSON"))
    def export_json(self, request: HttpRequest, queryset: QuerySet[Procedure]) -> HttpResponse:
        response = HttpResponse(
            json.dumps(export_catalog(queryset), ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = 'attachment; filename="catalog.json"'
        return response

    @admin.action(description=gettext_lazy("Publish selected procedures"))
    def publish(self, request: HttpRequest, queryset: QuerySet[Procedure]) -> None:
        for procedure in queryset:
            services.set_status(procedure=procedure, status="published", actor=acting_user(request))

    @admin.action(description=gettext_lazy("Withdraw selected procedures to draft"))
    def unpublish(self, request: HttpRequest, queryset: QuerySet[Procedure]) -> None:
        for procedure in queryset:
            services.set_status(procedure=procedure, status="draft", actor=acting_user(request))

    def get_urls(self) -> list[URLPattern]:
        extra = [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="catalog_procedure_import",
            )
        ]
        return extra + super().get_urls()  # type: ignore[operator]

    def import_view(self, request: HttpRequest) -> HttpResponse:
        """Upload a catalogue JSON file: everything is checked first; nothing lands on error."""
        if not self.has_add_permission(request):
            return HttpResponse(status=403)
        context = {**self.admin_site.each_context(request), "title": _("Import procedures")}
        status = 200
        if request.method == "POST":
            upload = request.FILES.get("file")
            if upload is None:
                context["problems"] = [_("Choose a JSON file to import.")]
                status = 400
            elif upload.size and upload.size > 20 * 1024 * 1024:
                context["problems"] = [_("The file is larger than 20 MB.")]
                status = 400
            else:
                try:
                    data = services.parse_catalog(upload.read())
                    report = services.import_catalog(data, actor=acting_user(request))
                except services.CatalogImportError as exc:
                    context["problems"] = [str(p) for p in exc.problems]
                    status = 400
                else:
                    messages.success(
                        request,
                        _("Imported: %(created)d new, %(updated)d updated procedures.")
                        % {"created": report.created, "updated": report.updated},
                    )
                    for warning in report.warnings:
                        messages.warning(request, str(warning))
                    return HttpResponseRedirect(reverse("admin:catalog_procedure_changelist"))
        return render(request, "admin/catalog/procedure/import.html", context, status=status)


@admin.register(ProcedureCase)
class ProcedureCaseAdmin(admin.ModelAdmin):
    list_display = ("name", "procedure", "time_limit", "time_unit", "fee")
    search_fields = ("name", "procedure__code", "procedure__name")
    raw_id_fields = ("procedure",)

    class ComponentInline(admin.TabularInline):
        model = Component
        extra = 0

    class StepInline(admin.TabularInline):
        model = ProcessingStep
        extra = 0

    inlines = [ComponentInline, StepInline]

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        services.record_version(
            procedure=form.instance.procedure,
            actor=acting_user(request),
            note="admin: case",  # type: ignore[arg-type]
        )
        for warning in services.case_warnings(form.instance):
            messages.warning(request, warning)


@admin.register(ProcedureVersion)
class ProcedureVersionAdmin(admin.ModelAdmin):
    list_display = ("procedure", "number", "status", "created_at", "created_by", "note")
    list_filter = ("status",)
    search_fields = ("procedure__code",)
    readonly_fields = (
        "procedure",
        "number",
        "snapshot",
        "status",
        "created_at",
        "created_by",
        "note",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
