"""Enrolling the second factor needs more than the password; officer powers need the factor."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from motcua.accounts.models import (
    AgencyMembership,
    AuditAction,
    AuditEvent,
    SecondFactorEnrolment,
    User,
)
from motcua.accounts.second_factor import EID_LEVEL_SESSION_KEY, issue_enrolment_code
from motcua.accounts.tests.factories import UserFactory, sign_in_with_second_factor
from motcua.agencies.tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-passphrase-1"
PAGE = "/accounts/second-factor/"


def officer(username: str = "canbo") -> User:
    user = UserFactory.create(username=username)
    AgencyMembership.objects.create(user=user, agency=AgencyFactory.create(), role="receiver")
    return user


def signed_in_with_password(user: User) -> Client:
    client = Client()
    response = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def code_of(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"


def test_a_password_alone_does_not_enrol_the_second_factor() -> None:
    """The finding: a password-only session saw the secret and confirmed its own device."""
    user = officer()
    client = signed_in_with_password(user)
    page = client.get(PAGE)
    assert page.status_code == 200
    assert "<svg" not in page.text and "secret" not in (page.context or {})
    assert not TOTPDevice.objects.filter(user=user).exists()
    # Even a device someone made for the person cannot be confirmed by the password session.
    device = TOTPDevice.objects.create(user=user, name="default", confirmed=False)
    refused = client.post(PAGE, {"token": code_of(device), "next": "/can-bo/"})
    assert refused.status_code == 400
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get("/can-bo/").status_code == 302


def test_an_administrators_code_enrols_once() -> None:
    user = officer()
    admin = UserFactory.create(is_staff=True, is_superuser=True)
    code = issue_enrolment_code(user=user, issued_by=admin)
    assert AuditEvent.objects.filter(
        action=AuditAction.SECOND_FACTOR_CODE_ISSUED, actor=admin, subject_user=user
    ).exists()
    stored = SecondFactorEnrolment.objects.get(user=user)
    assert code.replace("-", "") not in stored.code_hash  # only its digest is kept

    client = signed_in_with_password(user)
    redeemed = client.post(PAGE, {"code": code.lower(), "next": "/can-bo/"})
    assert redeemed.status_code == 302
    page = client.get(PAGE)
    assert "<svg" in page.text
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    done = client.post(PAGE, {"token": code_of(device), "next": "/can-bo/"})
    assert done.status_code == 302 and done.headers["Location"] == "/can-bo/"
    assert client.get("/can-bo/").status_code == 200
    stored.refresh_from_db()
    assert stored.used_at is not None

    # Used up: the same code does not enrol another authenticator in another session.
    TOTPDevice.objects.filter(user=user).delete()
    again = signed_in_with_password(user)
    assert again.post(PAGE, {"code": code}).status_code == 400
    assert "<svg" not in again.get(PAGE).text


@pytest.mark.parametrize("case", ["someone_elses", "expired", "superseded", "wrong"])
def test_a_code_that_is_not_this_persons_valid_code_is_refused(case: str) -> None:
    user = officer()
    code = issue_enrolment_code(user=user, issued_by=None)
    if case == "someone_elses":
        user = officer("khac")
    elif case == "expired":
        SecondFactorEnrolment.objects.update(expires_at=timezone.now() - datetime.timedelta(1))
    elif case == "superseded":
        issue_enrolment_code(user=user, issued_by=None)
    else:
        code = "AAAA-AAAA-AAAA-AAAA"
    client = signed_in_with_password(user)
    refused = client.post(PAGE, {"code": code})
    assert refused.status_code == 400
    assert "<svg" not in client.get(PAGE).text


def test_a_level_two_eid_session_may_enrol_and_level_one_may_not(client: Client) -> None:
    user = officer()
    client.force_login(user)
    session = client.session
    session[EID_LEVEL_SESSION_KEY] = 1
    session.save()
    assert "<svg" not in client.get(PAGE).text
    session[EID_LEVEL_SESSION_KEY] = 2
    session.save()
    assert "<svg" in client.get(PAGE).text


def test_the_enrolment_link_fills_in_the_code() -> None:
    user = officer()
    code = issue_enrolment_code(user=user, issued_by=None)
    client = signed_in_with_password(user)
    page = client.get(PAGE, {"enrol": code})
    assert code in page.text and "<svg" not in page.text


def test_an_administrator_issues_codes_from_the_admin(client: Client) -> None:
    admin = UserFactory.create(is_staff=True, is_superuser=True)
    sign_in_with_second_factor(client, admin)
    user = officer()
    response = client.post(
        "/admin/accounts/user/",
        {"action": "issue_enrolment_codes", "_selected_action": [user.pk]},
        follow=True,
    )
    assert response.status_code == 200
    enrolment = SecondFactorEnrolment.objects.get(user=user)
    assert enrolment.issued_by == admin
    messages = [str(message) for message in response.context["messages"]]
    assert any(
        user.username in message and "/accounts/second-factor/?enrol=" in message
        for message in messages
    )


def test_the_command_issues_a_code_for_the_first_administrator() -> None:
    user = UserFactory.create(username="root", is_staff=True, is_superuser=True)
    out = StringIO()
    call_command("issue_enrolment_code", "root", stdout=out)
    code = out.getvalue().strip().splitlines()[-1].split()[-1]
    client = signed_in_with_password(user)
    assert client.post(PAGE, {"code": code}).status_code == 302
    assert "<svg" in client.get(PAGE).text


def test_the_command_refuses_an_unknown_person() -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("issue_enrolment_code", "nobody", stdout=StringIO())
