"""Accounts: people (citizens, officers), businesses, who acts for whom, and the audit log.

Identity (DOMAIN.md §7): a person is identified by the CCCD; a business by its tax code.
Assurance level 1 or 2 comes from the national e-ID; a local account starts unverified (0).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .identifiers import cccd_validator, tax_code_validator


class AssuranceLevel(models.IntegerChoices):
    UNVERIFIED = 0, _("Not verified")
    LEVEL_1 = 1, _("Level 1 (identity data and photo)")
    LEVEL_2 = 2, _("Level 2 (identity data, photo and fingerprint)")


class Sex(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class User(AbstractUser):
    """Người dùng: one account per person, whatever hats they wear."""

    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    personal_id = models.CharField(
        _("citizen identification number"),
        max_length=12,
        unique=True,
        null=True,
        blank=True,
        validators=[cccd_validator],
    )
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    phone_verified_at = models.DateTimeField(_("phone verified at"), null=True, blank=True)
    email_verified_at = models.DateTimeField(_("e-mail verified at"), null=True, blank=True)
    permanent_province_code = models.PositiveIntegerField(
        _("permanent address: province"), null=True, blank=True
    )
    permanent_ward_code = models.PositiveIntegerField(
        _("permanent address: ward/commune"), null=True, blank=True
    )
    permanent_street = models.CharField(_("permanent address: street"), max_length=255, blank=True)
    current_province_code = models.PositiveIntegerField(
        _("current address: province"), null=True, blank=True
    )
    current_ward_code = models.PositiveIntegerField(
        _("current address: ward/commune"), null=True, blank=True
    )
    current_street = models.CharField(_("current address: street"), max_length=255, blank=True)
    assurance_level = models.PositiveSmallIntegerField(
        _("assurance level"), choices=AssuranceLevel.choices, default=AssuranceLevel.UNVERIFIED
    )
    eid_subject = models.CharField(
        _("national e-ID subject"), max_length=255, unique=True, null=True, blank=True
    )
    # The channels the person wants to hear about their dossiers on (codes to verify a
    # contact are sent whatever they choose).
    notify_by_email = models.BooleanField(_("notify me by e-mail"), default=True)
    notify_by_sms = models.BooleanField(_("notify me by SMS"), default=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.username

    def refresh_from_db(
        self, using: str | None = None, fields: Any = None, from_queryset: Any = None
    ) -> None:
        # A person built from a bearer token's cached facts (``api_auth``) holds only a few
        # fields; the first other one read loads all the rest at once, not one query a field
        # (the pattern of Django's documentation for deferred fields).
        if fields is not None:
            deferred = self.get_deferred_fields()
            if deferred.intersection(fields):
                fields = set(fields) | deferred
        super().refresh_from_db(using=using, fields=fields, from_queryset=from_queryset)

    @property
    def is_officer(self) -> bool:
        return self.agency_memberships.active().exists()  # type: ignore[attr-defined]


class Business(models.Model):
    """Doanh nghiệp / tổ chức: identified by its tax code."""

    tax_code = models.CharField(
        _("tax code"), max_length=13, unique=True, validators=[tax_code_validator]
    )
    name = models.CharField(_("name"), max_length=255)
    address = models.CharField(_("address"), max_length=255, blank=True)
    province_code = models.PositiveIntegerField(_("province"), null=True, blank=True)
    ward_code = models.PositiveIntegerField(_("ward/commune"), null=True, blank=True)
    representative_name = models.CharField(_("legal representative"), max_length=200)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("business")
        verbose_name_plural = _("businesses")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.tax_code})"


class MembershipQuerySet(models.QuerySet):
    def active(self) -> MembershipQuerySet:
        return self.filter(revoked_at__isnull=True)


class BusinessRole(models.TextChoices):
    LEGAL_REPRESENTATIVE = "legal_representative", _("Legal representative")
    AUTHORISED_STAFF = "authorised_staff", _("Authorised staff")


class BusinessMembership(models.Model):
    """A person may act for a business, in a role granted (and revoked) by its representative."""

    business = models.ForeignKey(
        Business, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("business")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="business_memberships",
        verbose_name=_("person"),
    )
    role = models.CharField(_("role"), max_length=32, choices=BusinessRole.choices)
    granted_at = models.DateTimeField(_("granted at"), default=timezone.now)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("granted by"),
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("business membership")
        verbose_name_plural = _("business memberships")
        ordering = ["business", "role", "granted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["business", "user"],
                condition=Q(revoked_at__isnull=True),
                name="one_active_business_membership",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.business} ({self.get_role_display()})"


class OfficerRole(models.TextChoices):
    RECEIVER = "receiver", _("One-stop receiver")
    PROCESSOR = "processor", _("Processing officer")
    APPROVER = "approver", _("Approver / leader")
    DATA_STEWARD = "data_steward", _("Data steward")
    INSPECTOR = "inspector", _("Inspector")
    HEALTH_STAFF = "health_staff", _("Health staff")
    FORM_DESIGNER = "form_designer", _("Form designer")
    ADMINISTRATOR = "administrator", _("Administrator")


class AgencyMembership(models.Model):
    """Cán bộ: an officer's role in an agency (and, for receivers, at a one-stop desk)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="agency_memberships",
        verbose_name=_("officer"),
    )
    agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("agency"),
    )
    desk = models.ForeignKey(
        "agencies.OneStopDesk",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("one-stop desk"),
    )
    role = models.CharField(_("role"), max_length=32, choices=OfficerRole.choices)
    # Chức vụ, printed under the signature of the results this officer signs.
    title = models.CharField(
        _("job title"), max_length=200, blank=True, help_text=_("E.g. Giám đốc, Phó Chủ tịch.")
    )
    granted_at = models.DateTimeField(_("granted at"), default=timezone.now)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("granted by"),
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("officer role")
        verbose_name_plural = _("officer roles")
        ordering = ["agency__code", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "agency", "role"],
                condition=Q(revoked_at__isnull=True),
                name="one_active_officer_role",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} @ {self.agency.code}"


class SecondFactorEnrolment(models.Model):
    """A one-time code an administrator issued so that an officer can enrol an authenticator.

    Only the code's SHA-256 is kept; it is used up when the authenticator is confirmed.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="second_factor_enrolments",
        verbose_name=_("person"),
    )
    code_hash = models.CharField(_("code (SHA-256)"), max_length=64, db_index=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued by"),
    )
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    objects: models.Manager[SecondFactorEnrolment] = models.Manager()

    class Meta:
        verbose_name = _("second-factor enrolment code")
        verbose_name_plural = _("second-factor enrolment codes")
        ordering = ["-issued_at"]

    def __str__(self) -> str:
        return f"{self.user} {self.issued_at:%Y-%m-%d %H:%M}"


class AuditAction(models.TextChoices):
    SIGN_IN = "sign_in", _("Signed in")
    SIGN_IN_FAILED = "sign_in_failed", _("Sign-in failed")
    SIGN_OUT = "sign_out", _("Signed out")
    LOCKED_OUT = "locked_out", _("Locked out")
    EID_LINKED = "eid_linked", _("National e-ID linked")
    EID_FAILED = "eid_failed", _("National e-ID sign-in refused")
    SECOND_FACTOR = "second_factor", _("Second factor verified")
    SECOND_FACTOR_ENROLLED = "second_factor_enrolled", _("Second factor enrolled")
    SECOND_FACTOR_CODE_ISSUED = "second_factor_code", _("Second-factor enrolment code issued")
    CONTACT_VERIFIED = "contact_verified", _("Contact verified")
    ROLE_GRANTED = "role_granted", _("Role granted")
    ROLE_REVOKED = "role_revoked", _("Role revoked")
    PASSWORD_CHANGED = "password_changed", _("Password changed")


class AuditEvent(models.Model):
    """Nhật ký: who did what, when, for whom. Appended, never edited; no personal data in it."""

    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    on_behalf_of = models.ForeignKey(
        Business,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("on behalf of"),
    )
    action = models.CharField(_("action"), max_length=32, choices=AuditAction.choices)
    subject_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("concerning"),
    )
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit log")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.get_action_display()}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise ValueError("Audit events are never changed.")
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class VerificationPurpose(models.TextChoices):
    PHONE = "phone", _("Phone number")
    EMAIL = "email", _("E-mail address")


class VerificationCode(models.Model):
    """A one-time code sent to a phone or e-mail address; only its hash is kept."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="verification_codes"
    )
    purpose = models.CharField(max_length=8, choices=VerificationPurpose.choices)
    destination = models.CharField(max_length=254)
    code_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} code ({self.created_at:%Y-%m-%d %H:%M})"
