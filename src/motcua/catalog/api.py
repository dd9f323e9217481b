"""Read API for the catalogue: ``/api/v1/procedures/`` and ``/api/v1/procedures/{code}/``."""

from __future__ import annotations

from typing import Any

from django.core.paginator import InvalidPage
from django.core.paginator import Paginator as DjangoPaginator
from django.db.models import QuerySet
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, serializers
from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from motcua.api import StandardPagination

from .cache import ResultPage, catalog_cache
from .forms import CatalogFilterForm
from .models import Component, Field, Procedure, ProcedureCase, ProcessingStep, ServiceKind
from .selectors import (
    filter_procedures,
    procedure_list_rows,
    published_procedures,
    search_key,
    search_procedures,
)


class ComponentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Component
        fields = [
            "name",
            "document_type",
            "mandatory",
            "fetched_by_agency",
            "originals",
            "copies",
            "form_template",
        ]


# Not "StepSerializer": a dossier's steps have one, and the schema names its components after
# the class, so two of that name would publish one shape for both.
class ProcessingStepSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProcessingStep
        fields = ["name", "role", "duration"]


class CaseSerializer(serializers.ModelSerializer):
    components = ComponentSerializer(many=True, read_only=True)
    steps = ProcessingStepSerializer(many=True, read_only=True)
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
        enum=ServiceKind.values,
        description=(
            "Kind of service: administrative procedure of a state agency, public non-business "
            "service (dịch vụ sự nghiệp công: schools, hospitals, utilities…), procedure of a "
            "Party body or of a socio-political organisation. Any other value is refused with "
            "400 naming the parameter."
        ),
    ),
    OpenApiParameter("applicant_type", OpenApiTypes.STR, enum=["citizen", "business", "both"]),
]


@extend_schema_view(get=extend_schema(parameters=FILTER_PARAMETERS, tags=["catalogue"]))
class ProcedureList(generics.ListAPIView):
    """Published procedures, searchable and filterable; name matches come first."""

    serializer_class = ProcedureSummarySerializer
    pagination_class = StandardPagination
    # Public and the same for everyone: no need to try OAuth tokens and sessions on each search.
    authentication_classes: list[type[BaseAuthentication]] = []

    def valid_filters(self) -> dict[str, Any]:
        params = self.request.query_params.copy()
        params.pop("page", None)
        params.pop("page_size", None)
        form = CatalogFilterForm(params)
        if not form.is_valid():
            raise ValidationError(form.error_summary())
        return form.cleaned_data

    def get_queryset(self) -> QuerySet[Procedure]:
        return self.matching(self.valid_filters())

    @staticmethod
    def matching(filters: dict[str, Any]) -> QuerySet[Procedure]:
        return search_procedures(
            filter_procedures(procedure_list_rows(published_procedures()), filters),
            filters.get("q") or "",
        )

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """The same body as DRF's paginated list, from the cache when the catalogue allows."""
        pagination = StandardPagination()
        catalog = catalog_cache()
        # Only valid query strings are stored, so what is found needs no second check.
        query_key = {"query": sorted(request.query_params.lists())}
        page = catalog.find("api-query", query_key)
        if page is None:
            filters = self.valid_filters()
            size = pagination.get_page_size(request) or pagination.page_size
            number = request.query_params.get(pagination.page_query_param) or "1"
            page = catalog.remember(
                "api",
                {**search_key(filters), "page": number, "size": size},
                lambda: self.result_page(filters, number, size, pagination),
            )
            catalog.store("api-query", query_key, page)
        # Cached rows hold paths; the host comes from this request.
        origin = request.build_absolute_uri("/").removesuffix("/")
        url = request.build_absolute_uri()
        previous = None
        if page.has_previous():
            previous = (
                replace_query_param(url, pagination.page_query_param, page.number - 1)
                if page.number > 2
                else remove_query_param(url, pagination.page_query_param)
            )
        return Response(
            {
                "count": page.count,
                "next": replace_query_param(url, pagination.page_query_param, page.number + 1)
                if page.has_next()
                else None,
                "previous": previous,
                "results": [{**row, "url": origin + row["url"]} for row in page.rows],
            }
        )

    def result_page(
        self, filters: dict[str, Any], number: str, size: int, pagination: StandardPagination
    ) -> ResultPage:
        paginator = DjangoPaginator(self.matching(filters), size)
        try:
            page = paginator.page(
                paginator.num_pages if number in pagination.last_page_strings else number
            )
        except InvalidPage as exc:
            raise NotFound(
                pagination.invalid_page_message.format(page_number=number, message=str(exc))
            ) from exc
        rows = ProcedureSummarySerializer(page.object_list, many=True).data  # paths, no host
        return ResultPage(
            rows=[dict(row) for row in rows],
            count=paginator.count,
            number=page.number,
            num_pages=paginator.num_pages,
            per_page=size,
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
