"""``/api/v1/me/documents/``: the signed-in citizen's data store (list, show, download, share,
hide). Read with the ``read`` scope, changed with ``write``, as every API view (accounts).

``?owner=business:<id>`` on each of them reaches, instead, the store of a business the person
acts for by an active role, as the pages' "acting for" does (``access.owner_for``): every
member reads it, only the legal representative shares or hides; to anyone else the business's
store does not exist (404)."""

from __future__ import annotations

import base64
import re
from typing import Any, Final

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.http import FileResponse, Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import AuthenticationFailed, NotAuthenticated, ValidationError
from rest_framework.generics import ListAPIView
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.accounts.models import Business, User
from motcua.api import StandardPagination, UploadField
from motcua.security import file_response

from . import access, deposits, reduction, selectors, services
from .errors import NotAllowed
from .models import IssuerClient, Purpose, StoredDocument

#: ``?owner=``: the person's own store (``me``, the default) or a business's.
BUSINESS_OWNER: Final = re.compile(r"business:(\d{1,18})", re.ASCII)
OWNER_PARAMETER: Final = OpenApiParameter(
    "owner",
    OpenApiTypes.STR,
    OpenApiParameter.QUERY,
    required=False,
    description=(
        "Whose store: `me` (the default, the person's own) or `business:<id>`, a business the "
        "person acts for by an active role. Every member reads its documents; only its legal "
        "representative shares or hides them. Anyone else gets 404."
    ),
)


def owner_value(document: StoredDocument) -> str:
    """The ``owner`` that reaches ``document``'s store."""
    if document.owner_business_id is not None:
        return f"business:{document.owner_business_id}"
    return "me"


class DocumentSerializer(serializers.ModelSerializer):
    usable = serializers.SerializerMethodField(
        help_text="Offered for reuse: not hidden, not expired, not flagged as altered."
    )
    hidden = serializers.SerializerMethodField()
    flagged = serializers.SerializerMethodField(
        help_text="The file no longer matched its checksum."
    )
    download = serializers.SerializerMethodField()
    owner = serializers.SerializerMethodField(
        help_text="Whose store holds it: `me` or `business:<id>` (the `owner` to ask with)."
    )

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
            "owner",
            "download",
        ]

    def get_usable(self, document: StoredDocument) -> bool:
        return document.usable

    def get_hidden(self, document: StoredDocument) -> bool:
        return document.is_hidden

    def get_flagged(self, document: StoredDocument) -> bool:
        return document.is_flagged

    def get_owner(self, document: StoredDocument) -> str:
        return owner_value(document)

    def get_download(self, document: StoredDocument) -> str:
        request = self.context["request"]
        url = reverse("api:me-document-download", args=[document.pk])
        if document.owner_business_id is not None:
            url += f"?owner={owner_value(document)}"
        return str(request.build_absolute_uri(url))


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


def _owner(request: Request) -> access.Owner:
    """The store ``?owner=`` names, re-checked now: the person's own, or a business's they
    act for; a business they do not (or no such business) is not found."""
    user = _user(request)
    value = str(request.query_params.get("owner", "me") or "me").strip()
    if value == "me":
        return access.owner_for(user)
    match = BUSINESS_OWNER.fullmatch(value)
    if match is None:
        raise ValidationError({"owner": [_('Give "me" or "business:" followed by its number.')]})
    business = Business.objects.filter(pk=int(match[1])).first()
    if business is None:
        raise Http404
    try:
        return access.owner_for(user, business)
    except NotAllowed:
        raise Http404 from None


def _document(request: Request, pk: int) -> tuple[access.Owner, StoredDocument]:
    owner = _owner(request)
    document = selectors.document(owner, pk)
    if document is None:
        raise Http404
    return owner, document


class MyDocuments(ListAPIView):
    """The signed-in citizen's documents, newest first (a business's with ``?owner=``)."""

    permission_classes = [IsAuthenticated]
    serializer_class = DocumentSerializer
    pagination_class = StandardPagination

    def get_queryset(self) -> QuerySet[StoredDocument]:
        return selectors.documents(_owner(self.request))

    @extend_schema(
        tags=["personal data store"],
        parameters=[OWNER_PARAMETER],
        responses={
            200: DocumentSerializer(many=True),
            400: OpenApiResponse(description="`owner` is neither `me` nor `business:<id>`."),
            404: OpenApiResponse(description="Not a business the person acts for."),
        },
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class MyDocument(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["personal data store"],
        parameters=[OWNER_PARAMETER],
        responses={
            200: DocumentSerializer,
            400: OpenApiResponse(description="`owner` is neither `me` nor `business:<id>`."),
            404: OpenApiResponse(description="Not yours."),
        },
    )
    def get(self, request: Request, pk: int) -> Response:
        document = _document(request, pk)[1]
        services.log_read(document, reader=_user(request), purpose=Purpose.OWNER, channel="api")
        return Response(DocumentSerializer(document, context={"request": request}).data)


class MyDocumentDownload(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["personal data store"],
        parameters=[OWNER_PARAMETER],
        responses={
            (200, "application/pdf"): OpenApiTypes.BINARY,
            400: OpenApiResponse(),
            404: OpenApiResponse(),
        },
    )
    def get(self, request: Request, pk: int) -> FileResponse:
        document = _document(request, pk)[1]
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
        parameters=[OWNER_PARAMETER],
        request=ShareRequestSerializer,
        responses={201: ShareSerializer, 400: OpenApiResponse(), 404: OpenApiResponse()},
    )
    def post(self, request: Request, pk: int) -> Response:
        """A time-limited link to the document (withdrawn on the web page)."""
        owner, document = _document(request, pk)
        given = ShareRequestSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        link = services.share(
            owner=owner,
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
        parameters=[OWNER_PARAMETER],
        request=HideSerializer,
        responses={200: DocumentSerializer, 400: OpenApiResponse(), 404: OpenApiResponse()},
    )
    def post(self, request: Request, pk: int) -> Response:
        owner, document = _document(request, pk)
        given = HideSerializer(data=request.data)
        if not given.is_valid():
            raise ValidationError({"hidden": [_("Say true or false.")]})
        services.hide(
            owner=owner,
            document=document,
            hidden=given.validated_data["hidden"],
        )
        return Response(DocumentSerializer(document, context={"request": request}).data)


# --- issuers deposit --------------------------------------------------------------------------


class IssuerClientAuthentication(BaseAuthentication):
    """HTTP Basic with an issuer's client id and secret (registered by an administrator)."""

    def authenticate(self, request: Request) -> tuple[AnonymousUser, IssuerClient] | None:
        header = request.headers.get("Authorization", "")
        if not header.lower().startswith("basic "):
            return None
        try:
            decoded = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8")
        except (ValueError, UnicodeDecodeError):
            raise AuthenticationFailed(_("Unreadable client credentials.")) from None
        client_id, _sep, secret = decoded.partition(":")
        try:
            return AnonymousUser(), deposits.authenticate(client_id, secret)
        except deposits.UnknownIssuer as exc:
            raise AuthenticationFailed(str(exc)) from None

    def authenticate_header(self, request: Request) -> str:
        return 'Basic realm="issuers"'


class IssuerScheme(OpenApiAuthenticationExtension):
    target_class = "motcua.personalstore.api.IssuerClientAuthentication"
    name = "issuerClient"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "basic",
            "description": "An issuer's client id and secret, registered by an administrator.",
        }


class DepositSerializer(serializers.Serializer):
    personal_id = serializers.RegexField(
        r"^\d{12}$", required=False, allow_blank=True, help_text="The citizen's 12-digit ID."
    )
    tax_code = serializers.RegexField(
        r"^\d{10}(-?\d{3})?$", required=False, allow_blank=True, help_text="A business's."
    )
    document_type = serializers.CharField(max_length=64)
    title = serializers.CharField(max_length=255)
    number = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")
    issued_on = serializers.DateField()
    expires_on = serializers.DateField(required=False, allow_null=True, default=None)
    structured_data = serializers.JSONField(
        required=False, default=dict, help_text="What the document says, as a JSON object."
    )
    file = UploadField(help_text="The signed PDF (PAdES).")

    def validate_structured_data(self, value: Any) -> Any:
        if not isinstance(value, dict):
            raise serializers.ValidationError(_("A JSON object."))
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if bool(attrs.get("personal_id")) == bool(attrs.get("tax_code")):
            raise serializers.ValidationError(
                _("Give either the citizen's personal ID or the business's tax code.")
            )
        return attrs


class DepositAnswerSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    sha256 = serializers.CharField()


class Deposits(APIView):
    """Another agency's system deposits a signed document into a citizen's or business's store."""

    authentication_classes = [IssuerClientAuthentication]
    permission_classes = [AllowAny]
    parser_classes = [MultiPartParser]
    throttle_classes: list[Any] = []

    @extend_schema(
        tags=["personal data store"],
        request={"multipart/form-data": DepositSerializer},
        responses={
            201: DepositAnswerSerializer,
            400: OpenApiResponse(description="Refused, with the reason; nothing is stored."),
            401: OpenApiResponse(description="Not a registered issuer."),
        },
    )
    def post(self, request: Request) -> Response:
        issuer = request.auth
        if not isinstance(issuer, IssuerClient):
            raise NotAuthenticated(_("Sign the request with the issuer's client credentials."))
        given = DepositSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        values = given.validated_data
        upload = values["file"]
        if upload.size > 20 * 1024 * 1024:
            raise ValidationError({"file": [_("The file is larger than 20 MB.")]})
        document = deposits.deposit(
            issuer=issuer,
            given=deposits.Deposit(
                document_type=values["document_type"],
                title=values["title"],
                number=values["number"],
                issued_on=values["issued_on"],
                expires_on=values["expires_on"],
                personal_id=values.get("personal_id", ""),
                tax_code=values.get("tax_code", ""),
                data=values["structured_data"],
            ),
            content=upload.read(),
        )
        return Response({"id": document.pk, "sha256": document.sha256}, status=201)


# --- measured reduction -----------------------------------------------------------------------


class ReductionRowSerializer(serializers.Serializer):
    procedure_code = serializers.CharField()
    procedure_name = serializers.CharField()
    agency_code = serializers.CharField()
    agency_name = serializers.CharField()
    month = serializers.CharField()
    dossiers = serializers.IntegerField()
    reused = serializers.IntegerField(help_text="Components given from the data store.")
    fetched = serializers.IntegerField(help_text="Components fetched by the agency.")
    uploaded = serializers.IntegerField()
    documents_saved = serializers.IntegerField()
    trips_saved = serializers.IntegerField()
    dossiers_reusing = serializers.IntegerField()
    reuse_share = serializers.FloatField(help_text="dossiers_reusing / dossiers (indicator 4.3).")


class ReductionSerializer(serializers.Serializer):
    month = serializers.CharField()
    total = ReductionRowSerializer()
    rows = ReductionRowSerializer(many=True)


class Reduction(APIView):
    """Documents no longer asked of people, per procedure, agency and month (open figures)."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []

    @extend_schema(
        tags=["personal data store"],
        parameters=[OpenApiParameter("month", OpenApiTypes.STR, description="YYYY-MM")],
        responses={200: ReductionSerializer, 400: OpenApiResponse()},
    )
    def get(self, request: Request) -> Response:
        month = reduction.parse_month(request.query_params.get("month"))
        if month is None:
            raise ValidationError({"month": [_("Write the month as YYYY-MM, e.g. 2026-12.")]})
        rows = reduction.reduction(month)
        return Response(
            {
                "month": f"{month:%Y-%m}",
                "total": reduction.totals(rows, month).as_dict(),
                "rows": [row.as_dict() for row in rows],
            }
        )
