"""``/api/v1/me/``: the signed-in person, for mobile apps (OAuth2 bearer token) and the web."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .models import AgencyMembership, BusinessMembership, User


class BusinessRoleSerializer(serializers.ModelSerializer):
    tax_code = serializers.CharField(source="business.tax_code")
    name = serializers.CharField(source="business.name")

    class Meta:
        model = BusinessMembership
        fields = ["tax_code", "name", "role", "granted_at"]


class OfficerRoleSerializer(serializers.ModelSerializer):
    agency = serializers.CharField(source="agency.code")

    class Meta:
        model = AgencyMembership
        fields = ["agency", "role"]


class MeSerializer(serializers.ModelSerializer):
    businesses = serializers.SerializerMethodField()
    officer_roles = serializers.SerializerMethodField()
    phone_verified = serializers.SerializerMethodField()
    email_verified = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "full_name",
            "personal_id",
            "date_of_birth",
            "sex",
            "email",
            "email_verified",
            "phone",
            "phone_verified",
            "assurance_level",
            "permanent_province_code",
            "permanent_ward_code",
            "permanent_street",
            "current_province_code",
            "current_ward_code",
            "current_street",
            "businesses",
            "officer_roles",
        ]

    @extend_schema_field(BusinessRoleSerializer(many=True))
    def get_businesses(self, user: User) -> list[dict[str, object]]:
        memberships = user.business_memberships.active().select_related("business")  # type: ignore[attr-defined]
        return list(BusinessRoleSerializer(memberships, many=True).data)

    @extend_schema_field(OfficerRoleSerializer(many=True))
    def get_officer_roles(self, user: User) -> list[dict[str, object]]:
        roles = user.agency_memberships.active().select_related("agency")  # type: ignore[attr-defined]
        return list(OfficerRoleSerializer(roles, many=True).data)

    def get_phone_verified(self, user: User) -> bool:
        return user.phone_verified_at is not None

    def get_email_verified(self, user: User) -> bool:
        return user.email_verified_at is not None


class Me(APIView):
    """The account behind the request's token or session."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=MeSerializer, tags=["accounts"])
    def get(self, request: Request) -> Response:
        return Response(MeSerializer(request.user).data)
