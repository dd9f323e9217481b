"""Account pages from the outside: sign-up, sign-in, lockout, audit, businesses, officers."""

from typing import Any

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from motcua.accounts import services
from motcua.accounts.models import AgencyMembership, AuditAction, AuditEvent, BusinessRole, User
from motcua.accounts.second_factor import issue_enrolment_code
from motcua.accounts.tests.factories import MembershipFactory, UserFactory
from motcua.agencies.tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-passphrase-1"


def test_sign_up_keeps_what_was_typed_on_error_and_creates_unverified_account(
    client: Client,
) -> None:
    bad = client.post(
        "/accounts/signup/",
        {
            "username": "lan",
            "full_name": "Phạm Thị Lan",
            "email": "lan@example.vn",
            "phone": "12345",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert bad.status_code == 400
    assert 'value="Phạm Thị Lan"' in bad.text and 'id="id_phone_error"' in bad.text
    assert 'aria-describedby="id_phone_error"' in bad.text

    good = client.post(
        "/accounts/signup/",
        {
            "username": "lan",
            "full_name": "Phạm Thị Lan",
            "email": "lan@example.vn",
            "phone": "0905123456",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert good.status_code == 302 and good.headers["Location"] == "/accounts/verify/email/"
    home = client.get("/accounts/")
    assert "Phạm Thị Lan" in home.text


def test_password_sign_in_is_audited_and_passwords_use_argon2(
    client: Client, settings: Any
) -> None:
    settings.PASSWORD_HASHERS = settings.PASSWORD_HASHERS[1:]  # production order: Argon2 first
    user = UserFactory.create(username="officer1")
    assert user.password.startswith("argon2")
    response = client.post("/accounts/login/", {"username": "officer1", "password": PASSWORD})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action=AuditAction.SIGN_IN, actor=user).exists()


def test_lockout_after_repeated_failures(client: Client) -> None:
    UserFactory.create(username="target")
    for _ in range(5):
        response = client.post("/accounts/login/", {"username": "target", "password": "wrong"})
        assert response.status_code in (200, 429)
    locked = client.post("/accounts/login/", {"username": "target", "password": PASSWORD})
    assert locked.status_code == 429
    assert not locked.wsgi_request.user.is_authenticated
    assert AuditEvent.objects.filter(action=AuditAction.SIGN_IN_FAILED).count() >= 5
    failed = AuditEvent.objects.filter(action=AuditAction.SIGN_IN_FAILED).first()
    assert failed is not None and "target" not in str(failed.detail)


def test_account_pages_need_sign_in(client: Client) -> None:
    for url in ("/accounts/", "/accounts/profile/", "/accounts/businesses/", "/api/v1/me/"):
        response = client.get(url)
        assert response.status_code in (302, 401, 403), url


def test_a_person_never_sees_a_business_they_do_not_act_for(client: Client) -> None:
    membership = MembershipFactory.create()
    outsider = UserFactory.create()
    client.force_login(outsider)
    assert client.get(f"/accounts/businesses/{membership.business.pk}/").status_code == 404
    response = client.post(
        f"/accounts/businesses/{membership.business.pk}/",
        {"personal_id": outsider.personal_id, "role": "authorised_staff"},
    )
    assert response.status_code == 404
    assert membership.business.memberships.count() == 1


def test_staff_removed_from_a_business_loses_access_at_once() -> None:
    representative = MembershipFactory.create()
    business = representative.business
    staff = UserFactory.create()
    services.grant_business_role(
        business=business,
        actor=representative.user,
        personal_id=staff.personal_id or "",
        role=BusinessRole.AUTHORISED_STAFF,
    )
    staff_client, rep_client = Client(), Client()
    staff_client.force_login(staff)
    rep_client.force_login(representative.user)

    assert staff_client.post(f"/accounts/businesses/{business.pk}/act/").status_code == 302
    assert business.name in staff_client.get("/accounts/").text  # the acting banner
    assert staff_client.get(f"/accounts/businesses/{business.pk}/").status_code == 200

    staff_membership = business.memberships.get(user=staff, revoked_at__isnull=True)
    revoked = rep_client.post(
        f"/accounts/businesses/{business.pk}/members/{staff_membership.pk}/revoke/"
    )
    assert revoked.status_code == 302

    # Same session, next request: no access, and no longer acting for the business.
    assert staff_client.get(f"/accounts/businesses/{business.pk}/").status_code == 404
    assert business.name not in staff_client.get("/accounts/").text


def test_staff_cannot_revoke_anyone(client: Client) -> None:
    representative = MembershipFactory.create()
    staff = UserFactory.create()
    services.grant_business_role(
        business=representative.business,
        actor=representative.user,
        personal_id=staff.personal_id or "",
        role=BusinessRole.AUTHORISED_STAFF,
    )
    client.force_login(staff)
    client.post(
        f"/accounts/businesses/{representative.business.pk}/members/{representative.pk}/revoke/"
    )
    representative.refresh_from_db()
    assert representative.revoked_at is None


def _officer() -> User:
    officer = UserFactory.create(username="canbo")
    AgencyMembership.objects.create(user=officer, agency=AgencyFactory.create(), role="receiver")
    return officer


def test_officer_without_second_factor_cannot_reach_officer_pages(client: Client) -> None:
    officer = _officer()
    client.post("/accounts/login/", {"username": "canbo", "password": PASSWORD})
    for url in ("/can-bo/", "/admin/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.headers["Location"].startswith("/accounts/second-factor/")

    # Enrol with the code the administrator issued: the page then shows a QR code; the code
    # from the app opens the pages.
    code = issue_enrolment_code(user=officer, issued_by=None)
    client.post("/accounts/second-factor/", {"code": code})
    page = client.get("/accounts/second-factor/")
    assert "<svg" in page.text
    device = TOTPDevice.objects.get(user=officer)
    token = f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"
    opened = client.post("/accounts/second-factor/", {"token": token, "next": "/can-bo/"})
    assert opened.status_code == 302 and opened.headers["Location"] == "/can-bo/"
    workspace = client.get("/can-bo/")
    assert workspace.status_code == 200
    assert AuditEvent.objects.filter(action=AuditAction.SECOND_FACTOR, actor=officer).exists()


def test_a_wrong_second_factor_code_is_refused(client: Client) -> None:
    officer = _officer()
    device = TOTPDevice.objects.create(user=officer, name="x", confirmed=True)
    client.force_login(officer)
    right = totp(device.bin_key, step=device.step, digits=device.digits)
    refused = client.post("/accounts/second-factor/", {"token": f"{(right + 1) % 1_000_000:06d}"})
    assert refused.status_code == 400
    assert client.get("/can-bo/").status_code == 302


def test_a_citizen_is_not_an_officer(client: Client) -> None:
    citizen = UserFactory.create()
    device = TOTPDevice.objects.create(user=citizen, name="x", confirmed=True)
    client.force_login(citizen)
    token = f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"
    client.post("/accounts/second-factor/", {"token": token})
    assert client.get("/can-bo/").status_code == 404


def test_admin_role_changes_are_audited(client: Client) -> None:
    admin = UserFactory.create(username="admin", is_staff=True, is_superuser=True)
    device = TOTPDevice.objects.create(user=admin, name="x", confirmed=True)
    client.post("/accounts/login/", {"username": "admin", "password": PASSWORD})
    token = f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"
    client.post("/accounts/second-factor/", {"token": token})
    officer = UserFactory.create()
    agency = AgencyFactory.create()
    page = client.get(f"/admin/accounts/user/{officer.pk}/change/")
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "password"}
    data.update(
        {
            "date_joined_0": officer.date_joined.strftime("%Y-%m-%d"),
            "date_joined_1": officer.date_joined.strftime("%H:%M:%S"),
            "agency_memberships-TOTAL_FORMS": "1",
            "agency_memberships-INITIAL_FORMS": "0",
            "agency_memberships-0-agency": agency.pk,
            "agency_memberships-0-role": "processor",
        }
    )
    data.pop("last_login", None)
    data.pop("groups", None)
    data.pop("user_permissions", None)
    response = client.post(f"/admin/accounts/user/{officer.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert AgencyMembership.objects.filter(user=officer, role="processor").exists()
    event = AuditEvent.objects.get(action=AuditAction.ROLE_GRANTED, subject_user=officer)
    assert event.actor == admin and event.detail["agency"] == agency.code


def test_the_second_factor_leads_back_to_the_page_asked_for_with_its_query(
    client: Client,
) -> None:
    # An officer following a link to a filtered list came back to the list unfiltered: the
    # query was dropped on the way through the second factor.
    officer = _officer()
    device = TOTPDevice.objects.create(user=officer, name="x", confirmed=True)
    client.force_login(officer)
    asked = client.get("/can-bo/ho-so/?list=to_receive")
    assert asked.status_code == 302
    form = client.get(asked.headers["Location"])
    assert 'value="/can-bo/ho-so/?list=to_receive"' in form.text
    token = f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"
    opened = client.post(
        "/accounts/second-factor/", {"token": token, "next": "/can-bo/ho-so/?list=to_receive"}
    )
    assert opened.headers["Location"] == "/can-bo/ho-so/?list=to_receive"


def test_pages_outside_the_officers_prefix_also_lead_back_after_the_second_factor(
    client: Client,
) -> None:
    # The open-data steward's pages ask for the second factor themselves (their address is
    # the portal's): they sent the officer to the back office's home afterwards.
    officer = _officer()
    TOTPDevice.objects.create(user=officer, name="x", confirmed=True)
    client.force_login(officer)
    asked = client.get("/du-lieu-mo/quan-ly/tao/")
    assert asked.status_code == 302
    assert (
        asked.headers["Location"]
        == "/accounts/second-factor/?next=%2Fdu-lieu-mo%2Fquan-ly%2Ftao%2F"
    )
