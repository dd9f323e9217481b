"""Data of the sandbox national e-ID provider (DOMAIN.md §7).

Demo identities stand for VNeID accounts; authorization codes and access tokens are the
OpenID Connect provider's short-lived records; the signing key is kept in the database so that
it survives restarts and is shared by every app-server process. Nothing here is real: these
tables exist only so the platform's e-ID sign-in can run end to end on one machine.
"""

from __future__ import annotations

import datetime
import uuid

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from vietnam_provinces import Ward, WardCode

from motcua.accounts.identifiers import parse_cccd, validate_tax_code


def new_subject() -> str:
    """An opaque, stable subject identifier (``sub``) for an identity added by a tester."""
    return str(uuid.uuid4())


def ward_or_none(code: int | None) -> Ward | None:
    """The ward (post-2025 division, ``vietnam-provinces``) with this code, or ``None``."""
    if code is None:
        return None
    try:
        return Ward.from_code(WardCode(code))
    except ValueError:
        return None


def validate_ward_code(value: int) -> None:
    if ward_or_none(value) is None:
        raise ValidationError(
            _("%(code)s is not a ward or commune code."), code="ward", params={"code": value}
        )


class AccountType(models.IntegerChoices):
    """Loại tài khoản in the national portal's userinfo: 1 citizen, 2 business (DOMAIN.md §7)."""

    CITIZEN = 1, _("Citizen")
    BUSINESS = 2, _("Business")


class AssuranceLevel(models.TextChoices):
    """Mức độ định danh: level 1 (data + photo) or level 2 (+ fingerprint, DOMAIN.md §7)."""

    LEVEL_1 = "1", _("Level 1")
    LEVEL_2 = "2", _("Level 2")


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class SandboxIdentity(models.Model):
    """A demo e-ID account (tài khoản định danh điện tử thử nghiệm) a tester can sign in as.

    For a business the personal identification number is its legal representative's CCCD.
    """

    sub = models.CharField(
        _("subject identifier"), max_length=64, unique=True, default=new_subject, editable=False
    )
    account_type = models.PositiveSmallIntegerField(
        _("account type"), choices=AccountType.choices, default=AccountType.CITIZEN
    )
    personal_id = models.CharField(
        _("personal identification number (CCCD)"),
        max_length=12,
        validators=[RegexValidator(r"^\d{12}$", _("Exactly 12 digits."))],
        help_text=_("For a business: the legal representative's CCCD."),
    )
    tax_code = models.CharField(_("tax code"), max_length=14, blank=True)
    name = models.CharField(_("name"), max_length=200, help_text=_("Full name or business name."))
    representative_name = models.CharField(_("legal representative"), max_length=200, blank=True)
    birthdate = models.DateField(_("date of birth"), null=True, blank=True)
    gender = models.CharField(_("sex"), max_length=6, choices=Gender.choices, blank=True)
    permanent_ward_code = models.PositiveIntegerField(
        _("permanent address: ward code"), validators=[validate_ward_code]
    )
    permanent_street = models.CharField(_("permanent address: street"), max_length=255)
    current_ward_code = models.PositiveIntegerField(
        _("current address: ward code"), validators=[validate_ward_code]
    )
    current_street = models.CharField(_("current address: street"), max_length=255)
    email = models.EmailField(_("e-mail"), blank=True)
    phone_number = models.CharField(
        _("phone number"),
        max_length=16,
        blank=True,
        validators=[RegexValidator(r"^\+84\d{9,10}$", _("Write it as +84 and 9 or 10 digits."))],
    )
    assurance_level = models.CharField(
        _("assurance level"), max_length=1, choices=AssuranceLevel.choices
    )
    note = models.CharField(
        _("note for testers"), max_length=255, blank=True, help_text=_("Shown in the list.")
    )
    is_active = models.BooleanField(_("offered on the sign-in page"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("sandbox identity")
        verbose_name_plural = _("sandbox identities")
        ordering = ["account_type", "name", "pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.tax_code or self.personal_id})"

    @property
    def is_business(self) -> bool:
        return self.account_type == AccountType.BUSINESS

    def clean(self) -> None:
        """Check the identity the way the national population database would (DOMAIN.md §7).

        A citizen's CCCD must encode the sex and birth year given (Circular 07/2016/TT-BCA);
        a business needs a checksummed tax code (``stdnum.vn.mst``) and a representative.
        """
        errors: dict[str, list[ValidationError]] = {}

        def add(field: str, message: str) -> None:
            errors.setdefault(field, []).append(ValidationError(message))

        if self.personal_id:
            try:
                parts = parse_cccd(self.personal_id)
            except ValidationError as exc:
                errors.setdefault("personal_id", []).append(exc)
            else:
                if not self.is_business:
                    if self.birthdate and self.birthdate.year != parts.birth_year:
                        add("personal_id", gettext("The CCCD does not match the date of birth."))
                    if self.gender and (self.gender == Gender.FEMALE) != parts.female:
                        add("personal_id", gettext("The CCCD does not match the sex."))
        if self.is_business:
            if not self.tax_code:
                add("tax_code", gettext("A business needs a tax code."))
            if not self.representative_name:
                add("representative_name", gettext("A business needs a legal representative."))
        else:
            if not self.birthdate:
                add("birthdate", gettext("A citizen needs a date of birth."))
            if not self.gender:
                add("gender", gettext("A citizen needs a sex."))
        if self.tax_code:
            try:
                self.tax_code = validate_tax_code(self.tax_code)
            except ValidationError as exc:
                errors.setdefault("tax_code", []).append(exc)
        if errors:
            raise ValidationError(errors)

    @property
    def permanent_ward(self) -> Ward | None:
        return ward_or_none(self.permanent_ward_code)

    @property
    def current_ward(self) -> Ward | None:
        return ward_or_none(self.current_ward_code)


class SandboxSigningKey(models.Model):
    """An RSA key the provider signs ID tokens with (RS256); the newest one is in use.

    The private key is stored unencrypted: it signs only sandbox tokens that no real relying
    party trusts. All keys stay published in the JWKS so older tokens still verify.
    """

    kid = models.CharField(_("key identifier"), max_length=64, unique=True)
    private_pem = models.TextField(_("private key (PEM)"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("sandbox signing key")
        verbose_name_plural = _("sandbox signing keys")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.kid


class SandboxAuthorizationCode(models.Model):
    """A one-time authorization code (RFC 6749 §4.1.2), bound to client, redirect and PKCE."""

    code = models.CharField(_("code"), max_length=128, unique=True)
    client_id = models.CharField(_("client"), max_length=128)
    redirect_uri = models.TextField(_("redirect URI"))
    scope = models.TextField(_("scope"))
    nonce = models.TextField(_("nonce"), blank=True)
    code_challenge = models.CharField(_("code challenge"), max_length=128)
    code_challenge_method = models.CharField(_("code challenge method"), max_length=8)
    identity = models.ForeignKey(
        SandboxIdentity, on_delete=models.CASCADE, related_name="authorization_codes"
    )
    acr = models.CharField(_("asserted assurance level"), max_length=1)
    auth_time = models.DateTimeField(_("authenticated at"))
    expires_at = models.DateTimeField(_("expires at"), db_index=True)
    used = models.BooleanField(_("used"), default=False)

    class Meta:
        verbose_name = _("sandbox authorization code")
        verbose_name_plural = _("sandbox authorization codes")

    def __str__(self) -> str:
        return f"{self.client_id} · {self.identity_id}"

    # The interface of Authlib's AuthorizationCodeMixin (authlib.oidc.core.models); not
    # inherited, so that migrations do not depend on Authlib's module layout.
    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope

    def get_nonce(self) -> str | None:
        return self.nonce or None

    def get_auth_time(self) -> int:
        return int(self.auth_time.timestamp())

    def get_acr(self) -> str:
        return self.acr

    def get_amr(self) -> list[str] | None:
        return None

    def is_expired(self, now: datetime.datetime | None = None) -> bool:
        return (now or timezone.now()) >= self.expires_at


class SandboxAccessToken(models.Model):
    """An opaque bearer access token (RFC 6750) for the userinfo endpoint."""

    token = models.CharField(_("token"), max_length=128, unique=True)
    identity = models.ForeignKey(
        SandboxIdentity, on_delete=models.CASCADE, related_name="access_tokens"
    )
    client_id = models.CharField(_("client"), max_length=128)
    scope = models.TextField(_("scope"))
    acr = models.CharField(_("asserted assurance level"), max_length=1)
    authorization_code = models.ForeignKey(
        SandboxAuthorizationCode,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="access_tokens",
    )
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"), db_index=True)
    revoked = models.BooleanField(_("revoked"), default=False)

    class Meta:
        verbose_name = _("sandbox access token")
        verbose_name_plural = _("sandbox access tokens")

    def __str__(self) -> str:
        return f"{self.client_id} · {self.identity_id}"

    # The interface of Authlib's TokenMixin (authlib.oauth2.rfc6749.models).
    def check_client(self, client: object) -> bool:
        return getattr(client, "client_id", None) == self.client_id

    def get_scope(self) -> str:
        return self.scope

    def get_expires_in(self) -> int:
        return int((self.expires_at - self.issued_at).total_seconds())

    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at

    def is_revoked(self) -> bool:
        return self.revoked

    def get_user(self) -> SandboxIdentity:
        return self.identity

    def get_client(self) -> object | None:
        from .clients import find_client

        return find_client(self.client_id)
