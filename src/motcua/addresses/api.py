"""``/api/v1/addresses/``: look-up by code, plus code or street; nearest places; a ward's
places as GeoJSON (open data, no personal data); the signed-in citizen's own address."""

from __future__ import annotations

import math
from typing import Any

from django.db.models import prefetch_related_objects
from django.http import JsonResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from . import access, selectors, services, wards
from .errors import UnknownWard
from .models import Place


class IdentifierSerializer(serializers.Serializer):
    scheme = serializers.CharField()
    code = serializers.CharField()


class PlaceSerializer(serializers.Serializer):
    """A place as anyone may see it: never who lives there."""

    code = serializers.CharField(help_text="The platform's digital address (10 digits).")
    plus_code = serializers.CharField(help_text="11-character Open Location Code.")
    short_plus_code = serializers.CharField(
        help_text="The short plus code with the ward's name, resolvable offline."
    )
    house_number = serializers.CharField(allow_blank=True)
    street = serializers.CharField()
    ward_code = serializers.IntegerField()
    ward = serializers.CharField()
    former_ward_code = serializers.IntegerField(allow_null=True)
    former_ward = serializers.CharField(allow_blank=True)
    province_code = serializers.IntegerField()
    latitude = serializers.FloatField()
    longitude = serializers.FloatField()
    status = serializers.CharField()
    identifiers = IdentifierSerializer(many=True)
    url = serializers.CharField()


class NearPlaceSerializer(PlaceSerializer):
    distance_m = serializers.FloatField(help_text="Metres from the point asked about.")


def represent(request: Request, place: Place, distance: float | None = None) -> dict[str, Any]:
    ward = wards.ward(place.ward_code)
    identifiers = place.identifiers.all()  # type: ignore[attr-defined]
    answer: dict[str, Any] = {
        "code": place.code,
        "plus_code": place.plus_code,
        "short_plus_code": selectors.short_plus_code(place),
        "house_number": place.house_number,
        "street": place.street,
        "ward_code": place.ward_code,
        "ward": ward.name if ward else "",
        "former_ward_code": place.former_ward_code,
        "former_ward": place.former_ward_name,
        "province_code": place.province_code,
        "latitude": place.latitude,
        "longitude": place.longitude,
        "status": place.status,
        "identifiers": [
            {"scheme": i.scheme, "code": i.code}
            for i in sorted(identifiers, key=lambda i: i.scheme)
        ],
        "url": request.build_absolute_uri(place.get_absolute_url()),
    }
    if distance is not None:
        answer["distance_m"] = round(distance, 1)
    return answer


def _number(params: Any, name: str, low: float, high: float, errors: dict[str, list[str]]) -> float:
    raw = str(params.get(name, "")).strip().replace(",", ".")
    try:
        value = float(raw)
    except ValueError:
        errors[name] = [_("Write the coordinate in decimal degrees, e.g. 16.0544.")]
        return 0.0
    if not math.isfinite(value) or not low <= value <= high:
        errors[name] = [_("Must be between %(low)s and %(high)s.") % {"low": low, "high": high}]
    return value


class Public(APIView):
    """No sign-in: these answers hold no personal data."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []


class PlaceSearch(Public):
    @extend_schema(
        tags=["addresses"],
        parameters=[
            OpenApiParameter(
                "q",
                OpenApiTypes.STR,
                required=True,
                description=(
                    "A digital address, national code or Vpostcode; a plus code, full or "
                    "short with a ward's name (3632+QV8 Hải Châu); or words of the street "
                    "(diacritics optional)."
                ),
            ),
            OpenApiParameter("limit", OpenApiTypes.INT, description="At most 50."),
        ],
        responses={200: PlaceSerializer(many=True), 400: OpenApiResponse(), 404: OpenApiResponse()},
    )
    def get(self, request: Request) -> Response:
        """Places matching a code, a plus code or street words."""
        query = str(request.query_params.get("q", "")).strip()[:120]
        if not query:
            raise ValidationError({"q": [_("Type a code, a plus code or a street.")]})
        try:
            limit = max(1, min(int(request.query_params.get("limit", "20")), selectors.MAX_RESULTS))
        except ValueError:
            raise ValidationError({"limit": [_("A whole number from 1 to 50.")]}) from None
        found = selectors.find(query, limit=limit)[:limit]  # refusals are answered as 400/404
        prefetch_related_objects(found, "identifiers")
        return Response([represent(request, place) for place in found])


class PlaceNearest(Public):
    @extend_schema(
        tags=["addresses"],
        parameters=[
            OpenApiParameter("lat", OpenApiTypes.DOUBLE, required=True),
            OpenApiParameter("lng", OpenApiTypes.DOUBLE, required=True),
            OpenApiParameter("limit", OpenApiTypes.INT, description="At most 50 (10 by default)."),
        ],
        responses={200: NearPlaceSerializer(many=True), 400: OpenApiResponse()},
    )
    def get(self, request: Request) -> Response:
        """The places nearest to a point (within 2 km), nearest first."""
        errors: dict[str, list[str]] = {}
        latitude = _number(request.query_params, "lat", -90, 90, errors)
        longitude = _number(request.query_params, "lng", -180, 180, errors)
        try:
            limit = int(request.query_params.get("limit", "10"))
            if not 1 <= limit <= selectors.MAX_RESULTS:
                raise ValueError
        except ValueError:
            errors["limit"] = [_("A whole number from 1 to 50.")]
        if errors:
            raise ValidationError(errors)
        services.check_point(latitude, longitude)
        found = selectors.nearest(latitude, longitude, limit)
        prefetch_related_objects([near.place for near in found], "identifiers")
        return Response([represent(request, near.place, near.distance_m) for near in found])


class PlaceDetail(Public):
    @extend_schema(
        tags=["addresses"],
        responses={200: PlaceSerializer, 400: OpenApiResponse(), 404: OpenApiResponse()},
    )
    def get(self, request: Request, code: str) -> Response:
        """One place by its digital address, national code or Vpostcode."""
        return Response(represent(request, selectors.by_code(code)))


class WardGeoJSON(Public):
    @extend_schema(
        tags=["addresses"],
        responses={
            (200, "application/geo+json"): OpenApiTypes.OBJECT,
            404: OpenApiResponse(),
        },
    )
    def get(self, request: Request, ward_code: int) -> JsonResponse:
        """The ward's places as a GeoJSON FeatureCollection (open data: codes and address
        text, no household or person)."""
        try:
            collection = selectors.ward_geojson(ward_code)
        except UnknownWard as exc:
            raise NotFound(str(exc)) from exc
        response = JsonResponse(collection, content_type="application/geo+json")
        response["Content-Disposition"] = f'inline; filename="dia-chi-so-{ward_code}.geojson"'
        return response


class MyAddress(APIView):
    """The signed-in person's household address."""

    permission_classes = [IsAuthenticated]

    @extend_schema(tags=["addresses"], responses={200: PlaceSerializer, 404: OpenApiResponse()})
    def get(self, request: Request) -> Response:
        household = access.current_household(request.user)
        if household is None:
            raise NotFound(_("No household is recorded for you: ask your ward."))
        return Response(represent(request, household.place))
