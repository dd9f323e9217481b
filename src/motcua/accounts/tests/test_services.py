"""Account services: e-ID linking, business roles, contact verification, assurance."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError

from motcua.accounts import services
from motcua.accounts.models import (
    AuditAction,
    AuditEvent,
    BusinessMembership,
    BusinessRole,
    User,
)
from motcua.accounts.tests.factories import BusinessFactory, MembershipFactory, UserFactory
from motcua.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

CITIZEN_CLAIMS = {
    "sub": "sandbox-citizen-1",
    "account_type": 1,
    "personal_id": "048095001234",
    "name": "Nguyễn Văn An",
    "birthdate": "1995-03-02",
    "gender": "male",
    "email": "an@example.vn",
    "phone_number": "0905123456",
    "permanent_address": {"province_code": 48, "ward_code": 20242, "street": "12 Bạch Đằng"},
    "current_address": {"province_code": 48, "ward_code": 20242, "street": "12 Bạch Đằng"},
    "acr": "2",
}
BUSINESS_CLAIMS = {
    "sub": "sandbox-business-1",
    "account_type": 2,
    "personal_id": "048185000001",
    "tax_code": "0401234566",
    "name": "Công ty TNHH Sông Hàn",
    "representative_name": "Lê Thị Bình",
    "acr": "2",
}


def test_first_eid_sign_in_creates_the_account_at_the_asserted_level() -> None:
    user, business = services.sign_in_with_eid(services.identity_from_claims(CITIZEN_CLAIMS))
    assert business is None
    assert (user.personal_id, user.full_name, user.assurance_level) == (
        "048095001234",
        "Nguyễn Văn An",
        2,
    )
    assert user.date_of_birth == datetime.date(1995, 3, 2)
    assert user.current_ward_code == 20242
    assert not user.has_usable_password()
    assert AuditEvent.objects.filter(action=AuditAction.EID_LINKED, actor=user).exists()


def test_later_sign_in_links_the_same_account_and_follows_the_level() -> None:
    first, _ = services.sign_in_with_eid(services.identity_from_claims(CITIZEN_CLAIMS))
    again, _ = services.sign_in_with_eid(
        services.identity_from_claims({**CITIZEN_CLAIMS, "acr": "1"})
    )
    assert again.pk == first.pk
    assert again.assurance_level == 1
    assert User.objects.count() == 1


def test_local_account_with_same_cccd_is_linked_not_duplicated() -> None:
    local = UserFactory.create(personal_id="048095001234", assurance_level=0)
    user, _ = services.sign_in_with_eid(services.identity_from_claims(CITIZEN_CLAIMS))
    assert user.pk == local.pk and user.assurance_level == 2


def test_business_sign_in_creates_business_and_representative_role() -> None:
    user, business = services.sign_in_with_eid(services.identity_from_claims(BUSINESS_CLAIMS))
    assert business is not None and business.tax_code == "0401234566"
    membership = BusinessMembership.objects.get(user=user, business=business)
    assert membership.role == BusinessRole.LEGAL_REPRESENTATIVE
    services.sign_in_with_eid(services.identity_from_claims(BUSINESS_CLAIMS))
    assert BusinessMembership.objects.filter(business=business).count() == 1


@pytest.mark.parametrize(
    "change",
    [
        {"personal_id": "048095001"},
        {"personal_id": "048096001234"},  # year does not match the birth date
        {"acr": "3"},
        {"birthdate": "not a date"},
    ],
)
def test_unusable_claims_are_refused(change: dict) -> None:
    with pytest.raises(services.AccountError):
        services.identity_from_claims({**CITIZEN_CLAIMS, **change})


def test_business_with_bad_tax_code_is_refused() -> None:
    with pytest.raises(services.AccountError):
        services.identity_from_claims({**BUSINESS_CLAIMS, "tax_code": "0401234567"})


def test_level_two_procedures_refuse_level_one_with_an_explanation() -> None:
    citizen = UserFactory.create(assurance_level=1)
    with pytest.raises(services.AssuranceTooLow, match="level 2"):
        services.check_assurance(citizen, 2)
    services.check_assurance(citizen, 1)
    citizen.assurance_level = 2
    services.check_assurance(citizen, 2)


def test_representative_grants_and_revokes_staff_and_it_is_audited() -> None:
    representative = MembershipFactory.create()
    business = representative.business
    staff = UserFactory.create(personal_id="048185000002")
    granted = services.grant_business_role(
        business=business,
        actor=representative.user,
        personal_id="048185000002",
        role=BusinessRole.AUTHORISED_STAFF,
    )
    assert services.active_membership(staff, business) == granted
    event = AuditEvent.objects.get(action=AuditAction.ROLE_GRANTED)
    assert (event.actor, event.subject_user, event.on_behalf_of) == (
        representative.user,
        staff,
        business,
    )

    # Staff may not grant roles.
    with pytest.raises(services.PermissionRefused):
        services.grant_business_role(
            business=business, actor=staff, personal_id="048095001234", role="authorised_staff"
        )

    services.revoke_business_role(membership=granted, actor=representative.user)
    assert services.active_membership(staff, business) is None
    assert AuditEvent.objects.filter(action=AuditAction.ROLE_REVOKED, subject_user=staff).exists()


def test_the_last_representative_cannot_be_removed() -> None:
    representative = MembershipFactory.create()
    with pytest.raises(services.AccountError):
        services.revoke_business_role(membership=representative, actor=representative.user)


def test_granting_to_an_unknown_person_explains_what_to_do() -> None:
    representative = MembershipFactory.create(business=BusinessFactory.create())
    with pytest.raises(services.AccountError, match="sign in once"):
        services.grant_business_role(
            business=representative.business,
            actor=representative.user,
            personal_id="048095009999",
            role="authorised_staff",
        )


def test_phone_verification_by_one_time_code_through_the_outbox() -> None:
    user = UserFactory.create(phone="")
    services.send_verification_code(user=user, purpose="phone", destination="0905123456")
    message = OutboxMessage.objects.get(channel="sms", recipient="0905123456")
    assert message.status == "sent"
    code = re.search(r"\b(\d{6})\b", message.body).group(1)  # type: ignore[union-attr]

    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    with pytest.raises(services.AccountError):
        services.confirm_verification_code(user=user, purpose="phone", code=wrong)
    services.confirm_verification_code(user=user, purpose="phone", code=code)
    user.refresh_from_db()
    assert user.phone == "0905123456" and user.phone_verified_at is not None
    with pytest.raises(services.AccountError):
        services.confirm_verification_code(user=user, purpose="phone", code=code)


def test_codes_stop_after_too_many_wrong_attempts() -> None:
    user = UserFactory.create()
    services.send_verification_code(user=user, purpose="email", destination="a@example.vn")
    message = OutboxMessage.objects.get(channel="email")
    code = re.search(r"\b(\d{6})\b", message.body).group(1)  # type: ignore[union-attr]
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _ in range(services.ATTEMPTS_PER_CODE):
        with pytest.raises(services.AccountError, match="not right"):
            services.confirm_verification_code(user=user, purpose="email", code=wrong)
    with pytest.raises(services.AccountError, match="Too many"):
        services.confirm_verification_code(user=user, purpose="email", code=code)


def test_user_model_validates_cccd() -> None:
    user = UserFactory.build(personal_id="123")
    with pytest.raises(ValidationError):
        user.full_clean()
