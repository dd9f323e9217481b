"""``/api/v1/results/``: public verification of signed results (no sign-in, no personal data)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.api import UploadField

from . import verification
from .forms import VerifyForm
from .verification import Outcome, Verification

ResultRecord = inline_serializer(
    "VerifiedResult",
    fields={
        "number": serializers.CharField(),
        "dossier_code": serializers.CharField(),
        "procedure_code": serializers.CharField(),
        "procedure": serializers.CharField(),
        "agency_code": serializers.CharField(),
        "agency": serializers.CharField(),
        "signer_name": serializers.CharField(help_text="The person who signed, as printed."),
        "signer_title": serializers.CharField(help_text="Their title (chức vụ), as printed."),
        "issued_at": serializers.DateTimeField(),
        "revoked_at": serializers.DateTimeField(allow_null=True),
    },
    allow_null=True,  # none when the document is not a result of this platform
)
VerificationOutput = inline_serializer(
    "ResultVerification",
    fields={
        "outcome": serializers.ChoiceField(choices=[o.value for o in Outcome]),
        "valid": serializers.BooleanField(help_text="Signed here, unchanged and not revoked."),
        "revoked": serializers.BooleanField(),
        "message": serializers.CharField(),
        "signed_by": serializers.CharField(),
        "signed_at": serializers.DateTimeField(allow_null=True),
        "result": ResultRecord,
    },
)


def represent(outcome: Verification) -> dict[str, Any]:
    result = outcome.result
    return {
        "outcome": outcome.outcome.value,
        "valid": outcome.outcome == Outcome.VALID,
        "revoked": outcome.outcome == Outcome.REVOKED,
        "message": outcome.message,
        "signed_by": outcome.signed_by,
        "signed_at": outcome.signed_at,
        "result": None
        if result is None
        else {
            "number": result.number,
            "dossier_code": result.dossier.code,
            "procedure_code": result.dossier.procedure.code,
            "procedure": result.dossier.procedure.name,
            "agency_code": result.agency.code,
            "agency": result.agency.name,
            "signer_name": result.signer_name,
            "signer_title": result.signer_title,
            "issued_at": result.issued_at,
            "revoked_at": result.revoked_at,
        },
    }


def _answer(outcome: Verification) -> Response:
    code = status.HTTP_200_OK if outcome.recognised else status.HTTP_422_UNPROCESSABLE_ENTITY
    return Response(represent(outcome), status=code)


class VerifyUpload(APIView):
    """Verify a PDF: 200 for a result of this platform (valid or revoked: see ``outcome``),
    422 for a changed document, a file that is not a PDF, an unsigned PDF or one signed by
    someone else; 413 for a file over the size limit."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request=inline_serializer("ResultUpload", fields={"file": UploadField()}),
        responses={
            200: VerificationOutput,
            400: OpenApiResponse(description="No file"),
            413: OpenApiResponse(description="File too large"),
            422: VerificationOutput,
        },
    )
    def post(self, request: Request) -> Response:
        form = VerifyForm(files=request.FILES)
        if not form.is_valid():
            if form.has_error("file", "too_large"):
                return Response(
                    {"file": [str(error) for error in form.errors["file"]]},
                    status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
                )
            raise ValidationError({"file": [str(error) for error in form.errors.get("file", [])]})
        return _answer(verification.verify_pdf(form.cleaned_data["file"].read()))


class VerifyToken(APIView):
    """The result behind a QR code's verification code, its stored file checked again."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []

    @extend_schema(
        responses={200: VerificationOutput, 404: OpenApiResponse(), 422: VerificationOutput}
    )
    def get(self, request: Request, token: str) -> Response:
        outcome = verification.verify_token(token)
        if outcome is None:
            raise NotFound
        return _answer(outcome)
