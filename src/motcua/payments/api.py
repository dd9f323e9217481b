"""``/api/v1/dossiers/{code}/payments/``: a dossier's payments, and starting one (for apps).

Starting answers the gateway URL to open in a browser; the gateway brings the payer back to the
platform's return page, and the payment becomes paid only on the gateway's notification.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import get_language
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.accounts.models import User
from motcua.dossiers.access import can_view
from motcua.dossiers.models import Dossier

from . import services
from .fees import amount_due
from .models import Payment
from .views import client_ip, return_url


class PaymentSerializer(serializers.ModelSerializer):
    state_label = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        model = Payment
        fields = [
            "order_ref",
            "amount",
            "description",
            "state",
            "state_label",
            "gateway",
            "gateway_transaction_no",
            "bank_code",
            "pay_date",
            "created_at",
            "paid_at",
            "expires_at",
        ]


StartedSerializer = inline_serializer(
    "PaymentStarted",
    fields={"payment": PaymentSerializer(), "payment_url": serializers.URLField()},
)
ListSerializer = inline_serializer(
    "DossierPayments",
    fields={
        "amount_due": serializers.IntegerField(help_text="đồng"),
        "payments": PaymentSerializer(many=True),
    },
)


def _user(request: Request) -> User:
    assert isinstance(request.user, User)
    return request.user


def _dossier(request: Request, code: str) -> Dossier:
    dossier = Dossier.objects.filter(code=code).first()
    if dossier is None or not can_view(_user(request), dossier):
        raise NotFound
    return dossier


class DossierPayments(APIView):
    """List a dossier's payments (applicant and its officers); start one (applicant)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=ListSerializer)
    def get(self, request: Request, code: str) -> Response:
        dossier = _dossier(request, code)
        payments = dossier.payments.order_by("-created_at", "-id")
        return Response(
            {
                "amount_due": amount_due(dossier),
                "payments": PaymentSerializer(payments, many=True).data,
            }
        )

    @extend_schema(request=None, responses={201: StartedSerializer})
    def post(self, request: Request, code: str) -> Response:
        dossier = _dossier(request, code)
        # A refusal is answered by the API's error handler (404 when not the applicant's).
        payment, url = services.start_payment(
            dossier=dossier,
            user=_user(request),
            return_url=return_url(request, settings.MOTCUA_PAYMENT_GATEWAY),
            client_ip=client_ip(request),
            locale=get_language() or "vi",
        )
        return Response(
            {
                "payment": PaymentSerializer(payment).data,
                "payment_url": request.build_absolute_uri(url),
            },
            status=status.HTTP_201_CREATED,
        )
