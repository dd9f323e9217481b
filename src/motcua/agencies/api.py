"""Read API for agencies: ``/api/v1/agencies/`` and ``/api/v1/agencies/{code}/``."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError

from .models import Agency, AgencyKind, AgencyLevel, OneStopDesk


class DeskSerializer(serializers.ModelSerializer):
    class Meta:
        model = OneStopDesk
        fields = ["name", "address", "phone", "opening_hours"]


class AgencySerializer(serializers.ModelSerializer):
    # "parent" is also an attribute of DRF fields; the metaclass moves it into the field list.
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)  # type: ignore[assignment,var-annotated]
    successor: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )
    url = serializers.HyperlinkedIdentityField(view_name="api:agency-detail", lookup_field="code")

    class Meta:
        model = Agency
        fields = [
            "code",
            "name",
            "name_en",
            "kind",
            "level",
            "parent",
            "province_code",
            "ward_code",
            "valid_from",
            "valid_until",
            "successor",
            "url",
        ]


class AgencyDetailSerializer(AgencySerializer):
    desks = DeskSerializer(many=True, read_only=True)
    children: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True
    )

    class Meta(AgencySerializer.Meta):
        fields = [
            *AgencySerializer.Meta.fields,
            "address",
            "phone",
            "email",
            "website",
            "desks",
            "children",
        ]


@extend_schema_view(
    get=extend_schema(
        tags=["agencies"],
        parameters=[
            OpenApiParameter("kind", OpenApiTypes.STR, enum=list(AgencyKind.values)),
            OpenApiParameter("level", OpenApiTypes.STR, enum=list(AgencyLevel.values)),
            OpenApiParameter("parent", OpenApiTypes.STR, description="Parent agency code."),
            OpenApiParameter(
                "include_former",
                OpenApiTypes.BOOL,
                description="Also list agencies that no longer exist.",
            ),
        ],
    )
)
class AgencyList(generics.ListAPIView):
    """Agencies in code order (current ones unless ``include_former=true``)."""

    serializer_class = AgencySerializer

    def get_queryset(self) -> QuerySet[Agency]:
        params = self.request.query_params
        errors: dict[str, list[str]] = {}
        include_former = params.get("include_former", "false").lower()
        if include_former not in {"true", "false", "1", "0"}:
            errors["include_former"] = [_("Must be true or false.")]
        queryset = Agency.objects.select_related("parent", "successor").order_by("code")
        if include_former in {"false", "0"}:
            queryset = queryset.current()
        for name, allowed in (("kind", AgencyKind.values), ("level", AgencyLevel.values)):
            value = params.get(name)
            if value:
                if value not in allowed:
                    errors[name] = [
                        _("“%(value)s” is not one of: %(allowed)s.")
                        % {"value": value[:50], "allowed": ", ".join(allowed)}
                    ]
                else:
                    queryset = queryset.filter(**{name: value})
        if params.get("parent"):
            queryset = queryset.filter(parent__code=params["parent"])
        if errors:
            raise ValidationError(errors)
        return queryset


@extend_schema_view(get=extend_schema(tags=["agencies"]))
class AgencyDetail(generics.RetrieveAPIView):
    """One agency, current or former, with its desks and units."""

    serializer_class = AgencyDetailSerializer
    lookup_field = "code"
    queryset = Agency.objects.select_related("parent", "successor").prefetch_related(
        "desks", "children"
    )
