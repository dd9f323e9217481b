"""``/api/v1/me/documents/``: the signed-in citizen's data store (list, show, download, share,
hide). Read with the ``read`` scope, changed with ``write``, as every API view (accounts)."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.accounts.models import User
from motcua.api import StandardPagination
from motcua.security import file_response

from . import access, selectors, services
from .models import Purpose, StoredDocument


class DocumentSerializer(serializers.ModelSerializer):
    usable = serializers.SerializerMethodField(
        help_text="Offered for reuse: not hidden, not expired, not flagged as altered."
    )
    hidden = serializers.SerializerMethodField()
    flagged = serializers.SerializerMethodField(
        help_text="The file no longer matched its checksum."
    )
    download = serializers.SerializerMethodField()

    class Meta:
        model = StoredDocument
        fields = [
            "id",
            "document_type",
            "title",
            "issuer",
            "number",
            "issued_on",
            "expires_on",
            "source",
            "content_type",
            "size",
            "sha256",
            "data",
            "usable",
            "hidden",
            "flagged",
            "created_at",
            "download",
        ]

    def get_usable(self, document: StoredDocument) -> bool:
        return document.usable

    def get_hidden(self, document: StoredDocument) -> bool:
        return document.is_hidden

    def get_flagged(self, document: StoredDocument) -> bool:
        return document.is_flagged

    def get_download(self, document: StoredDocument) -> str:
        request = self.context["request"]
        return str(
            request.build_absolute_uri(reverse("api:me-document-download", args=[document.pk]))
        )


class ShareRequestSerializer(serializers.Serializer):
    hours = serializers.IntegerField(min_value=1, help_text="How long the link works.")
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class ShareSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.CharField()
    expires_at = serializers.DateTimeField()


class HideSerializer(serializers.Serializer):
    hidden = serializers.BooleanField(help_text="true: never offered for reuse; false: again.")


def _user(request: Request) -> User:
    assert isinstance(request.user, User)
    return request.user


def _document(request: Request, pk: int) -> StoredDocument:
    document = selectors.document(access.owner_for(_user(request)), pk)
    if document is None:
        raise Http404
    return document


class MyDocuments(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=["personal data store"], responses={200: DocumentSerializer(many=True)})
    def get(self, request: Request) -> Response:
        """The signed-in citizen's documents, newest first."""
        paginator = StandardPagination()
        page = paginator.paginate_queryset(
            selectors.documents(access.owner_for(_user(request))), request, view=self
        )
        return paginator.get_paginated_response(
            DocumentSerializer(page, many=True, context={"request": request}).data
        )


class MyDocument(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["personal data store"],
        responses={200: DocumentSerializer, 404: OpenApiResponse(description="Not yours.")},
    )
    def get(self, request: Request, pk: int) -> Response:
        document = _document(request, pk)
        services.log_read(document, reader=_user(request), purpose=Purpose.OWNER, channel="api")
        return Response(DocumentSerializer(document, context={"request": request}).data)


class MyDocumentDownload(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["personal data store"],
        responses={(200, "application/pdf"): OpenApiTypes.BINARY, 404: OpenApiResponse()},
    )
    def get(self, request: Request, pk: int) -> FileResponse:
        document = _document(request, pk)
        services.log_read(document, reader=_user(request), purpose=Purpose.OWNER, channel="api")
        return file_response(
            document.file.open("rb"),
            filename=f"{document.document_type}-{document.number or document.pk}",
            content_type=document.content_type,
        )


class MyDocumentShare(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["personal data store"],
        request=ShareRequestSerializer,
        responses={201: ShareSerializer, 400: OpenApiResponse(), 404: OpenApiResponse()},
    )
    def post(self, request: Request, pk: int) -> Response:
        """A time-limited link to the document (withdrawn on the web page)."""
        document = _document(request, pk)
        given = ShareRequestSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        link = services.share(
            owner=access.owner_for(_user(request)),
            document=document,
            hours=given.validated_data["hours"],
            note=given.validated_data["note"],
        )
        answer: dict[str, Any] = {
            "id": link.pk,
            "url": request.build_absolute_uri(reverse("personalstore:shared", args=[link.token])),
            "expires_at": link.expires_at,
        }
        return Response(ShareSerializer(answer).data, status=201)


class MyDocumentHide(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["personal data store"],
        request=HideSerializer,
        responses={200: DocumentSerializer, 400: OpenApiResponse(), 404: OpenApiResponse()},
    )
    def post(self, request: Request, pk: int) -> Response:
        document = _document(request, pk)
        given = HideSerializer(data=request.data)
        if not given.is_valid():
            raise ValidationError({"hidden": [_("Say true or false.")]})
        services.hide(
            owner=access.owner_for(_user(request)),
            document=document,
            hidden=given.validated_data["hidden"],
        )
        return Response(DocumentSerializer(document, context={"request": request}).data)
