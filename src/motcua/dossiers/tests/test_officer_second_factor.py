"""An officer without the second factor has a citizen's rights alone, on every page and API.

Written from the outside: the receiving agency's officer signs in with the password only (or
holds a bearer token issued without the second factor) and tries each URL of a dossier they
did not file; they get what any other citizen gets.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from motcua.accounts.models import User
from motcua.accounts.tests.factories import sign_in_with_second_factor
from motcua.dossiers.tests.factories import bearer
from motcua.payments.models import Payment
from motcua.payments.tests.conftest import _payment_sandbox
from motcua.payments.tests.test_pages import paid_payment

pytestmark = pytest.mark.django_db
__all__ = ["_payment_sandbox"]  # the sandbox gateway answers the payment's IPN in-process


def urls(payment: Payment) -> dict[str, str]:
    dossier = payment.dossier
    attachment = dossier.attachments.first()
    assert attachment is not None
    code = dossier.code
    return {
        "page": f"/ho-so/{code}/",
        "file": f"/ho-so/{code}/tep/{attachment.pk}/",
        "form 01": f"/ho-so/{code}/mau-01.pdf",
        "form 06": f"/ho-so/{code}/mau-06.pdf",
        "receipt": f"/thanh-toan/bien-lai/{payment.order_ref}.pdf",
        "api": f"/api/v1/dossiers/{code}/",
        "api payments": f"/api/v1/dossiers/{code}/payments/",
    }


def token_headers(user: User, scope: str) -> dict[str, Any]:
    return bearer(user, scope)


def test_a_password_only_officer_reads_no_dossier_of_their_agency() -> None:
    world, payment = paid_payment()
    password_only = Client()
    password_only.force_login(world.receiver)
    for name, url in urls(payment).items():
        assert password_only.get(url).status_code == 404, name

    # The same person after the second factor: every one of those opens.
    verified = Client()
    sign_in_with_second_factor(verified, world.receiver)
    for name, url in urls(payment).items():
        assert verified.get(url).status_code == 200, name


def test_a_token_without_the_second_factor_reads_no_dossier_of_the_agency() -> None:
    world, payment = paid_payment()
    api = {name: url for name, url in urls(payment).items() if name.startswith("api")}
    plain = token_headers(world.receiver, "read write")
    for name, url in api.items():
        assert Client().get(url, **plain).status_code == 404, name
    # A token issued in a session that passed the second factor carries the officer scope.
    officer = token_headers(world.receiver, "read officer")
    for name, url in api.items():
        assert Client().get(url, **officer).status_code == 200, name


def test_a_password_only_officer_cannot_act_through_the_api() -> None:
    world, payment = paid_payment()
    dossier = payment.dossier
    dossier.refresh_from_db()
    before = dossier.status
    client = Client()
    client.force_login(world.receiver)
    response = client.post(
        f"/api/v1/dossiers/{dossier.code}/actions/",
        {"transition": "forward"},
        content_type="application/json",
    )
    assert response.status_code in (403, 404)
    dossier.refresh_from_db()
    assert dossier.status == before


def test_the_applicant_keeps_their_rights_without_any_second_factor() -> None:
    world, payment = paid_payment()
    client = Client()
    client.force_login(world.applicant)
    for name, url in urls(payment).items():
        expected = 404 if name == "form 06" else 200  # the control sheet is the officers'
        assert client.get(url).status_code == expected, name
