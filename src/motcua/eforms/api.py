"""The platform's reference lists as JSON, for e-forms elsewhere and the form builder."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .references import REFERENCE_LISTS

_OPTION = inline_serializer(
    "ReferenceOption", {"value": serializers.CharField(), "label": serializers.CharField()}
)


class ReferenceListView(APIView):
    """One reference list (``wards``, ``provinces``, ``agencies``, ``nationalities``,
    ``ethnic_groups``): the values an ``x-reference`` answer may take, with their labels."""

    permission_classes = [AllowAny]

    @extend_schema(
        tags=["e-forms"],
        responses=inline_serializer(
            "ReferenceList",
            {
                "name": serializers.CharField(),
                "title": serializers.CharField(),
                "options": serializers.ListField(child=_OPTION),
            },
        ),
    )
    def get(self, request: Request, name: str) -> Response:
        found = REFERENCE_LISTS.get(name)
        if found is None:
            raise Http404
        return Response(
            {
                "name": found.name,
                "title": str(found.title),
                "options": [{"value": o.value, "label": o.label} for o in found.options()],
            }
        )
