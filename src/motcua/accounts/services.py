"""Account operations: e-ID sign-in, business roles, contact verification, audit, assurance.

Every change is made here, in a transaction, with its permission check and an audit entry.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua import errors
from motcua.errors import DomainError
from motcua.notifications.services import notify

from .identifiers import validate_cccd, validate_tax_code
from .models import (
    AssuranceLevel,
    AuditAction,
    AuditEvent,
    Business,
    BusinessMembership,
    BusinessRole,
    Sex,
    User,
    VerificationCode,
    VerificationPurpose,
)


class AccountError(DomainError):
    """A refused account operation; ``str()`` is a translated message for the person."""


class PermissionRefused(errors.NotAllowed, AccountError):
    status = 400  # explained next to the form


class AssuranceTooLow(AccountError):
    pass


# --- audit --------------------------------------------------------------------------------


def audit(
    action: str,
    *,
    actor: User | None,
    subject_user: User | None = None,
    on_behalf_of: Business | None = None,
    **detail: Any,
) -> AuditEvent:
    """Append to the audit log. ``detail`` must not hold personal data (ids and codes only)."""
    return AuditEvent.objects.create(
        action=action,
        actor=actor,
        subject_user=subject_user,
        on_behalf_of=on_behalf_of,
        detail=detail,
    )


# --- national e-ID --------------------------------------------------------------------------


@dataclass(frozen=True)
class EidIdentity:
    """What the national e-ID asserted, checked (DOMAIN.md §7)."""

    subject: str
    account_type: int
    personal_id: str
    full_name: str
    birth_date: datetime.date | None
    sex: str
    email: str
    phone: str
    permanent_address: Mapping[str, Any]
    current_address: Mapping[str, Any]
    assurance_level: int
    tax_code: str = ""
    business_name: str = ""
    representative_name: str = ""


def identity_from_claims(claims: Mapping[str, Any]) -> EidIdentity:
    """Check the claims of an ID token / userinfo; raise ``AccountError`` when they are unusable."""
    try:
        account_type = int(claims.get("account_type", 1))
        birth_date = (
            datetime.date.fromisoformat(str(claims["birthdate"]))
            if claims.get("birthdate")
            else None
        )
        personal_id = validate_cccd(
            str(claims.get("personal_id", "")),
            birth_date=birth_date if account_type == 1 else None,
        )
        tax_code = validate_tax_code(str(claims["tax_code"])) if account_type == 2 else ""
        level = int(str(claims.get("acr") or claims.get("assurance_level") or 1))
    except (KeyError, ValueError, ValidationError) as exc:
        raise AccountError(
            _("The national e-ID sent identity data we cannot use. Please try again later.")
        ) from exc
    if account_type not in (1, 2) or level not in (1, 2):
        raise AccountError(
            _("The national e-ID sent identity data we cannot use. Please try again later.")
        )
    sex = str(claims.get("gender", ""))
    return EidIdentity(
        subject=str(claims["sub"]),
        account_type=account_type,
        personal_id=personal_id,
        full_name=str(
            claims.get("representative_name") if account_type == 2 else claims.get("name", "")
        )[:200],
        birth_date=birth_date,
        sex=sex if sex in Sex.values else "",
        email=str(claims.get("email", ""))[:254],
        phone=str(claims.get("phone_number", ""))[:20],
        permanent_address=claims.get("permanent_address") or {},
        current_address=claims.get("current_address") or {},
        assurance_level=level,
        tax_code=tax_code,
        business_name=str(claims.get("name", ""))[:255] if account_type == 2 else "",
        representative_name=str(claims.get("representative_name", ""))[:200],
    )


def _address(value: Mapping[str, Any]) -> tuple[int | None, int | None, str]:
    def as_int(raw: Any) -> int | None:
        try:
            return int(raw)
        except (TypeError, ValueError):
            return None

    return (
        as_int(value.get("province_code")),
        as_int(value.get("ward_code")),
        str(value.get("street", ""))[:255],
    )


@transaction.atomic
def sign_in_with_eid(identity: EidIdentity) -> tuple[User, Business | None]:
    """Create or link the person's account (and the business) from the e-ID's assertion."""
    user = None
    if identity.account_type == 1:
        user = User.objects.select_for_update().filter(eid_subject=identity.subject).first()
    if user is None:
        user = User.objects.select_for_update().filter(personal_id=identity.personal_id).first()
    created = user is None
    if user is None:
        user = User(username=f"eid-{uuid.uuid4().hex[:16]}")
        user.set_unusable_password()
    if identity.account_type == 1:
        user.eid_subject = identity.subject
    user.personal_id = identity.personal_id
    user.full_name = identity.full_name or user.full_name
    if identity.birth_date:
        user.date_of_birth = identity.birth_date
    user.sex = identity.sex or user.sex
    if identity.email and not user.email:
        user.email = identity.email
    if identity.phone and not user.phone:
        user.phone = identity.phone
    (
        user.permanent_province_code,
        user.permanent_ward_code,
        user.permanent_street,
    ) = _address(identity.permanent_address)
    user.current_province_code, user.current_ward_code, user.current_street = _address(
        identity.current_address
    )
    # The e-ID's assertion of this sign-in is what counts; a lower level later lowers it.
    user.assurance_level = identity.assurance_level
    user.save()

    business = None
    if identity.account_type == 2:
        province_code, ward_code, street = _address(identity.current_address)
        business, _created = Business.objects.update_or_create(
            tax_code=identity.tax_code,
            defaults={
                "name": identity.business_name,
                "representative_name": identity.representative_name or identity.full_name,
                "province_code": province_code,
                "ward_code": ward_code,
                "address": street,
            },
        )
        has_role = BusinessMembership.objects.active().filter(business=business, user=user)
        if not has_role.exists():
            BusinessMembership.objects.create(
                business=business, user=user, role=BusinessRole.LEGAL_REPRESENTATIVE
            )
            audit(
                AuditAction.ROLE_GRANTED,
                actor=user,
                subject_user=user,
                on_behalf_of=business,
                role=BusinessRole.LEGAL_REPRESENTATIVE,
                source="national_eid",
            )
    if created:
        audit(AuditAction.EID_LINKED, actor=user, subject_user=user, level=user.assurance_level)
    return user, business


def check_assurance(user: User, required_level: int) -> None:
    """Refuse an account below the level a procedure requires, saying how to reach it."""
    if required_level <= AssuranceLevel.UNVERIFIED or user.assurance_level >= required_level:
        return
    if required_level == AssuranceLevel.LEVEL_2:
        raise AssuranceTooLow(
            _(
                "This procedure requires a level 2 electronic identity. Your account is at "
                "level %(level)s. To reach level 2, activate level 2 of your VNeID account with "
                "your chip-based citizen identity card at the police (or on the VNeID app), "
                "then sign in here again with the national e-ID."
            )
            % {"level": user.assurance_level}
        )
    raise AssuranceTooLow(
        _(
            "This procedure requires an electronically verified identity. Sign in with the "
            "national e-ID (VNeID) to verify your account."
        )
    )


# --- businesses -----------------------------------------------------------------------------


def active_membership(user: User, business: Business) -> BusinessMembership | None:
    """The person's current role in the business, read fresh on every call (no caching)."""
    return BusinessMembership.objects.active().filter(user=user, business=business).first()


def _require_representative(actor: User, business: Business) -> None:
    membership = active_membership(actor, business)
    if membership is None or membership.role != BusinessRole.LEGAL_REPRESENTATIVE:
        raise PermissionRefused(_("Only the legal representative can manage who acts for it."))


@transaction.atomic
def grant_business_role(
    *, business: Business, actor: User, personal_id: str, role: str
) -> BusinessMembership:
    _require_representative(actor, business)
    if role not in BusinessRole.values:
        raise AccountError(_("Unknown role."))
    try:
        number = validate_cccd(personal_id)
    except ValidationError as exc:
        raise AccountError(" ".join(exc.messages)) from exc
    person = User.objects.filter(personal_id=number).first()
    if person is None:
        raise AccountError(
            _(
                "No account has this identification number. Ask the person to sign in once "
                "with the national e-ID, then add them again."
            )
        )
    if active_membership(person, business) is not None:
        raise AccountError(_("This person already acts for the business."))
    membership = BusinessMembership.objects.create(
        business=business, user=person, role=role, granted_by=actor
    )
    audit(
        AuditAction.ROLE_GRANTED,
        actor=actor,
        subject_user=person,
        on_behalf_of=business,
        role=role,
    )
    return membership


@transaction.atomic
def revoke_business_role(*, membership: BusinessMembership, actor: User) -> BusinessMembership:
    business = membership.business
    _require_representative(actor, business)
    locked = BusinessMembership.objects.select_for_update().get(pk=membership.pk)
    if locked.revoked_at is not None:
        raise AccountError(_("This role was already revoked."))
    if locked.role == BusinessRole.LEGAL_REPRESENTATIVE:
        representatives = BusinessMembership.objects.active().filter(
            business=business, role=BusinessRole.LEGAL_REPRESENTATIVE
        )
        if representatives.count() <= 1:
            raise AccountError(_("A business always keeps one legal representative."))
    locked.revoked_at = timezone.now()
    locked.revoked_by = actor
    locked.save(update_fields=["revoked_at", "revoked_by"])
    audit(
        AuditAction.ROLE_REVOKED,
        actor=actor,
        subject_user=locked.user,
        on_behalf_of=business,
        role=locked.role,
    )
    return locked


# --- local accounts and contact verification -------------------------------------------------

CODE_LIFETIME = datetime.timedelta(minutes=10)
CODES_PER_HOUR = 5
ATTEMPTS_PER_CODE = 5


def _hash_code(code: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), code.encode(), hashlib.sha256).hexdigest()


@transaction.atomic
def send_verification_code(*, user: User, purpose: str, destination: str) -> VerificationCode:
    """Send a 6-digit one-time code to a phone (SMS) or e-mail address, through the outbox."""
    if purpose not in VerificationPurpose.values:
        raise AccountError(_("Unknown verification."))
    recent = VerificationCode.objects.filter(
        user=user, created_at__gte=timezone.now() - datetime.timedelta(hours=1)
    )
    if recent.count() >= CODES_PER_HOUR:
        raise AccountError(_("Too many codes were sent. Please wait an hour and try again."))
    code = f"{secrets.randbelow(1_000_000):06d}"
    record = VerificationCode.objects.create(
        user=user,
        purpose=purpose,
        destination=destination,
        code_hash=_hash_code(code),
        expires_at=timezone.now() + CODE_LIFETIME,
    )
    body = _("Your Motcua verification code is %(code)s. It expires in 10 minutes.") % {
        "code": code
    }
    notify(
        channel="sms" if purpose == VerificationPurpose.PHONE else "email",
        recipient=destination,
        subject=_("Motcua verification code"),
        body=body,
    )
    return record


def confirm_verification_code(*, user: User, purpose: str, code: str) -> None:
    """Check a one-time code. A wrong try is counted even though the check fails."""
    with transaction.atomic():
        record = (
            VerificationCode.objects.select_for_update()
            .filter(user=user, purpose=purpose, used_at__isnull=True)
            .first()
        )
        if record is None or record.expires_at < timezone.now():
            raise AccountError(_("The code has expired. Ask for a new one."))
        if record.attempts >= ATTEMPTS_PER_CODE:
            raise AccountError(_("Too many wrong codes. Ask for a new one."))
        right = hmac.compare_digest(record.code_hash, _hash_code(code.strip()))
        if not right:
            # Committed before refusing, so guessing stops after a few tries.
            record.attempts += 1
            record.save(update_fields=["attempts"])
        else:
            record.used_at = timezone.now()
            record.save(update_fields=["used_at"])
            if purpose == VerificationPurpose.PHONE:
                user.phone = record.destination
                user.phone_verified_at = record.used_at
                user.save(update_fields=["phone", "phone_verified_at"])
            else:
                user.email = record.destination
                user.email_verified_at = record.used_at
                user.save(update_fields=["email", "email_verified_at"])
            audit(AuditAction.CONTACT_VERIFIED, actor=user, subject_user=user, purpose=purpose)
    if not right:
        raise AccountError(_("The code is not right. Check it and try again."))
