"""A service's refusal (``DomainError``) that no view caught is answered with its status and
translated message: by the API's exception handler and, for pages, by the middleware."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import path
from django.utils.translation import gettext as _
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.views import APIView

from motcua import errors
from motcua.dossiers.services import DossierError, DraftAlreadySubmitted, IdempotencyKeyReused
from motcua.payments import services as payments
from motcua.results import services as results
from motcua.urls import urlpatterns as site_urls

REFUSALS: dict[str, type[errors.DomainError]] = {
    "conflict": DraftAlreadySubmitted,
    "payment": payments.NotAllowed,
    "dossier": DossierError,
    "key": IdempotencyKeyReused,
}
MESSAGES = {
    "conflict": "This draft was already submitted.",
    "payment": "Only the applicant may pay the fee of this dossier.",
    "dossier": "This draft was already submitted.",
    "key": "This draft was already submitted.",
}


def refusing_page(request: HttpRequest, kind: str) -> HttpResponse:
    raise REFUSALS[kind](_(MESSAGES[kind]))


def failing_page(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("not a refusal")


class RefusingEndpoint(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []

    def get(self, request: Request, kind: str) -> HttpResponse:
        raise REFUSALS[kind](_(MESSAGES[kind]))


urlpatterns = [
    path("thu-tu-choi/<str:kind>/", refusing_page),
    path("thu-loi/", failing_page),
    path("api/v1/thu-tu-choi/<str:kind>/", RefusingEndpoint.as_view()),
    *site_urls,
]


# Each kind of refusal the test views raise, the status it is answered with, and its message.
ANSWERS = [
    ("conflict", 409, "Hồ sơ lưu nháp này đã được nộp."),
    ("payment", 404, "Chỉ người nộp hồ sơ mới được thanh toán phí"),
    ("dossier", 400, "Hồ sơ lưu nháp này đã được nộp."),
    ("key", 422, "Hồ sơ lưu nháp này đã được nộp."),
]


@pytest.fixture(autouse=True)
def _test_urls(settings: Any) -> None:
    settings.ROOT_URLCONF = __name__


@pytest.mark.django_db
@pytest.mark.parametrize(("kind", "status", "vietnamese"), ANSWERS)
def test_a_page_answers_a_refusal_with_its_status_and_translated_message(
    client: Client, kind: str, status: int, vietnamese: str
) -> None:
    response = client.get(f"/thu-tu-choi/{kind}/")
    assert response.status_code == status
    page = response.content.decode()
    assert vietnamese in page
    assert "Không thể thực hiện yêu cầu của bạn" in page  # the error page, in the site's frame


@pytest.mark.django_db
@pytest.mark.parametrize(("kind", "status", "vietnamese"), ANSWERS)
def test_the_api_answers_a_refusal_with_its_status_and_detail(
    client: Client, kind: str, status: int, vietnamese: str
) -> None:
    response = client.get(f"/api/v1/thu-tu-choi/{kind}/")
    assert response.status_code == status
    body = response.json()
    assert list(body) == ["detail"]
    assert body["detail"].startswith(vietnamese)


def test_every_app_refusal_is_a_domain_error_and_one_not_allowed() -> None:
    from motcua.accounts import services as accounts
    from motcua.catalog.services import CatalogImportError
    from motcua.dossiers import services as dossiers
    from motcua.dossiers.uploads import UploadRefused
    from motcua.feedback.services import RatingError
    from motcua.payments.sandbox import SandboxRefused

    for family in (
        dossiers.DossierError,
        UploadRefused,
        results.ResultError,
        payments.PaymentError,
        RatingError,
        accounts.AccountError,
        CatalogImportError,
        SandboxRefused,
    ):
        assert issubclass(family, errors.DomainError)
    for refusal in (dossiers.NotAllowed, results.NotAllowed, payments.NotAllowed):
        assert issubclass(refusal, errors.NotAllowed)
    assert issubclass(accounts.PermissionRefused, errors.NotAllowed)


@pytest.mark.django_db
def test_other_exceptions_are_left_to_django(client: Client) -> None:
    client.raise_request_exception = False
    assert client.get("/thu-loi/").status_code == 500
