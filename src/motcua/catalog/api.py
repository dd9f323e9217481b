"""Read API for the catalogue: ``/api/v1/procedures/`` and ``/api/v1/procedures/{code}/``."""

from __future__ import annotations

from django.db.models import QuerySet
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError

from .forms import CatalogFilterForm
from .models import Component, Field, Procedure, ProcedureCase, ProcessingStep
from .selectors import (
    filter_procedures,
    procedure_list_rows,
    published_procedures,
    search_procedures,
)


class ComponentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Component
        fields = ["name", "document_type", "mandatory", "originals", "copies", "form_template"]


class StepSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProcessingStep
        fields = ["name", "role", "duration"]


class CaseSerializer(serializers.ModelSerializer):
    components = ComponentSerializer(many=True, read_only=True)
    steps = StepSerializer(many=True, read_only=True)
    eform = serializers.JSONField(source="eform_schema", read_only=True)

    class Meta:
        model = ProcedureCase
        fields = [
            "name",
            "time_limit",
            "time_unit",
            "fee",
            "fee_description",
            "components",
            "steps",
            "eform",
        ]


class FieldSerializer(serializers.ModelSerializer):
    class Meta:
        model = Field
        fields = ["code", "name", "name_en"]


class ProcedureSummarySerializer(serializers.ModelSerializer):
    field = FieldSerializer(read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Procedure
        fields = [
            "code",
            "name",
            "field",
            "service_kind",
            "applicant_type",
            "agency_level",
            "online_level",
            "url",
        ]

    def get_url(self, procedure: Procedure) -> str:
        # One reverse per page, not per row: list pages are the hot path.
        request = self.context.get("request")
        prefix = self.context.setdefault(
            "procedure_url_prefix",
            reverse("api:procedure-detail", kwargs={"code": "CODE"}).removesuffix("CODE/"),
        )
        path = f"{prefix}{procedure.code}/"
        return request.build_absolute_uri(path) if request is not None else path


class ProcedureSerializer(ProcedureSummarySerializer):
    agencies: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True
    )
    cases = CaseSerializer(many=True, read_only=True)

    class Meta(ProcedureSummarySerializer.Meta):
        fields = [
            *ProcedureSummarySerializer.Meta.fields,
            "agencies",
            "description",
            "method",
            "conditions",
            "result_document",
            "legal_basis",
            "publishing_decision",
            "version",
            "updated_at",
            "cases",
        ]


FILTER_PARAMETERS = [
    OpenApiParameter(
        "q", OpenApiTypes.STR, description="Search words; case and diacritics ignored."
    ),
    OpenApiParameter("field", OpenApiTypes.STR, description="Field code, e.g. ho-tich."),
    OpenApiParameter("agency", OpenApiTypes.STR, description="Agency code, e.g. H17.02."),
    OpenApiParameter("agency_level", OpenApiTypes.STR, enum=["city", "ward"]),
    OpenApiParameter("online_level", OpenApiTypes.STR, enum=["full", "partial"]),
    OpenApiParameter(
        "service_kind",
        OpenApiTypes.STR,
        enum=["administrative", "public_service", "party", "socio_political"],
    ),
    OpenApiParameter("applicant_type", OpenApiTypes.STR, enum=["citizen", "business", "both"]),
]


@extend_schema_view(get=extend_schema(parameters=FILTER_PARAMETERS, tags=["catalogue"]))
class ProcedureList(generics.ListAPIView):
    """Published procedures, searchable and filterable; name matches come first."""

    serializer_class = ProcedureSummarySerializer

    def get_queryset(self) -> QuerySet[Procedure]:
        params = self.request.query_params.copy()
        params.pop("page", None)
        params.pop("page_size", None)
        form = CatalogFilterForm(params)
        if not form.is_valid():
            raise ValidationError(form.error_summary())
        return search_procedures(
            filter_procedures(procedure_list_rows(published_procedures()), form.cleaned_data),
            form.cleaned_data.get("q") or "",
        )


@extend_schema_view(get=extend_schema(tags=["catalogue"]))
class ProcedureDetail(generics.RetrieveAPIView):
    """One published procedure with its cases, components, steps and e-form."""

    serializer_class = ProcedureSerializer
    lookup_field = "code"

    def get_queryset(self) -> QuerySet[Procedure]:
        return published_procedures().prefetch_related(
            "agencies", "cases__components", "cases__steps"
        )
