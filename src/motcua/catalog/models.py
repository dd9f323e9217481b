"""The procedure catalogue (thủ tục hành chính, DOMAIN.md §2).

A procedure has cases (trường hợp); each case carries its own time limit, fee, dossier
components, e-form and processing steps. Every change is kept as a ``ProcedureVersion``.
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Agency, AgencyLevel

from .eforms import validate_eform_schema

PROCEDURE_CODE = re.compile(r"^\d\.\d{6}(\.[A-Z]\d{2}(\.\d{2,3})*)?$")
validate_procedure_code = RegexValidator(
    PROCEDURE_CODE,
    _("A procedure code looks like 1.001193, or 1.000948.H38 for a local variant."),
)


class Field(models.Model):
    """Lĩnh vực: the subject area a procedure belongs to (civil status, land …)."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=255)
    name_en = models.CharField(_("English name"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("field")
        verbose_name_plural = _("fields")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ServiceKind(models.TextChoices):
    ADMINISTRATIVE = "administrative", _("Administrative procedure")
    PUBLIC_SERVICE = "public_service", _("Public non-business service")
    PARTY = "party", _("Party body procedure")
    SOCIO_POLITICAL = "socio_political", _("Socio-political organisation procedure")


class ApplicantType(models.TextChoices):
    CITIZEN = "citizen", _("Citizens")
    BUSINESS = "business", _("Businesses and organisations")
    BOTH = "both", _("Citizens and businesses")


class OnlineLevel(models.TextChoices):
    """Decree 42/2022 Art. 11."""

    FULL = "full", _("Full online")
    PARTIAL = "partial", _("Partial online")


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class TimeUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("working days")
    CALENDAR_DAYS = "calendar_days", _("calendar days")
    WORKING_HOURS = "working_hours", _("working hours")


class FeeBasis(models.TextChoices):
    FIXED = "fixed", _("Fixed amount")
    PER_COPY = "per_copy", _("Per copy requested")
    RULE = "rule", _("By a rule on the form's answers")


class PaymentTiming(models.TextChoices):
    BEFORE_PROCESSING = "before_processing", _("Before processing starts")
    AT_RESULT = "at_result", _("When the result is ready")


def validate_fee_rules(value: Any) -> None:
    """``[{"field": name, "equals": value, "amount": đồng}, …]``: the first match applies."""
    if not isinstance(value, list):
        raise ValidationError(_("Fee rules must be a list."))
    for index, item in enumerate(value, start=1):
        if (
            not isinstance(item, dict)
            or set(item) != {"field", "equals", "amount"}
            or not isinstance(item["field"], str)
            or not item["field"]
            or not isinstance(item["amount"], int)
            or isinstance(item["amount"], bool)
            or item["amount"] < 0
        ):
            raise ValidationError(
                _(
                    "Fee rule %(number)s needs a form field name, the value it equals and "
                    "a whole, non-negative amount in đồng."
                )
                % {"number": index}
            )


class StepRole(models.TextChoices):
    RECEIVER = "receiver", _("One-stop receiver")
    PROCESSOR = "processor", _("Processing officer")
    APPROVER = "approver", _("Approver / leader")
    COORDINATOR = "coordinator", _("Coordinating agency")


class ProcedureQuerySet(models.QuerySet["Procedure"]):
    def published(self) -> ProcedureQuerySet:
        return self.filter(status=PublicationStatus.PUBLISHED)


class Procedure(models.Model):
    """Thủ tục hành chính (or a public service / Party or mass-organisation procedure)."""

    code = models.CharField(
        _("code"), max_length=40, unique=True, validators=[validate_procedure_code]
    )
    name = models.CharField(_("name"), max_length=500)
    field = models.ForeignKey(
        Field, verbose_name=_("field"), on_delete=models.PROTECT, related_name="procedures"
    )
    service_kind = models.CharField(
        _("kind of service"),
        max_length=32,
        choices=ServiceKind.choices,
        default=ServiceKind.ADMINISTRATIVE,
    )
    applicant_type = models.CharField(
        _("applicant type"), max_length=16, choices=ApplicantType.choices
    )
    agency_level = models.CharField(_("agency level"), max_length=16, choices=AgencyLevel.choices)
    online_level = models.CharField(_("online level"), max_length=16, choices=OnlineLevel.choices)
    agencies = models.ManyToManyField(
        Agency,
        verbose_name=_("implementing agencies"),
        related_name="procedures",
        blank=True,
    )
    description = models.TextField(_("description"), blank=True)
    method = models.TextField(_("method of submission"), blank=True)
    conditions = models.TextField(_("conditions"), blank=True)
    result_document = models.CharField(_("result document"), max_length=500)
    legal_basis = models.JSONField(_("legal basis"), default=list, blank=True)
    publishing_decision = models.CharField(_("publishing decision"), max_length=255, blank=True)
    required_assurance_level = models.PositiveSmallIntegerField(
        _("required identity assurance level"),
        choices=[(1, _("Level 1")), (2, _("Level 2"))],
        default=1,
        help_text=_("Level 2 (chip ID card with fingerprint) for sensitive procedures."),
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=PublicationStatus.choices,
        default=PublicationStatus.DRAFT,
    )
    version = models.PositiveIntegerField(_("version"), default=0, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    # Folded copies for diacritic-insensitive search; kept in step by services.refresh_search.
    search_name = models.CharField(max_length=500, editable=False, blank=True, db_index=True)
    search_text = models.TextField(editable=False, blank=True)
    # PostgreSQL full-text vector over the folded text (stays NULL on SQLite).
    search_vector = SearchVectorField(null=True, editable=False)

    objects = ProcedureQuerySet.as_manager()

    class Meta:
        verbose_name = _("procedure")
        verbose_name_plural = _("procedures")
        ordering = ["name", "code"]
        indexes = [
            models.Index(fields=["status", "field"]),
            models.Index(fields=["status", "agency_level"]),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("catalog:procedure", kwargs={"code": self.code})


class ProcedureCase(models.Model):
    """Trường hợp: a variant of the procedure with its own limit, fee, components and form."""

    procedure = models.ForeignKey(
        Procedure, verbose_name=_("procedure"), on_delete=models.CASCADE, related_name="cases"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    name = models.CharField(_("name"), max_length=500)
    # Two decimals, as the national procedure database states limits and step durations
    # (0.12 working days); a fraction of a day is that fraction of its office hours.
    time_limit = models.DecimalField(
        _("time limit"),
        max_digits=8,
        decimal_places=2,
        validators=[MinValueValidator(0)],
    )
    time_unit = models.CharField(_("time unit"), max_length=16, choices=TimeUnit.choices)
    fee = models.PositiveBigIntegerField(_("fee (đồng)"), default=0)
    fee_description = models.CharField(_("fee details"), max_length=500, blank=True)
    fee_basis = models.CharField(
        _("fee basis"), max_length=16, choices=FeeBasis.choices, default=FeeBasis.FIXED
    )
    fee_copies_field = models.CharField(
        _("form field with the number of copies"),
        max_length=100,
        blank=True,
        help_text=_("For a fee per copy: the e-form field that holds how many copies."),
    )
    fee_rules = models.JSONField(
        _("fee rules"),
        default=list,
        blank=True,
        validators=[validate_fee_rules],
        help_text=_(
            'For a fee by rule: [{"field": …, "equals": …, "amount": …}]; the first match '
            "applies, otherwise the fee above."
        ),
    )
    payment_timing = models.CharField(
        _("when the fee is paid"),
        max_length=20,
        choices=PaymentTiming.choices,
        default=PaymentTiming.BEFORE_PROCESSING,
    )
    eform_schema = models.JSONField(
        _("e-form (JSON Schema)"), default=dict, validators=[validate_eform_schema]
    )

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["procedure", "position", "id"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The e-form is checked on every save, not only through forms: a broken schema would
        # break every dossier filed under this case.
        validate_eform_schema(self.eform_schema)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        if self.fee_basis == FeeBasis.PER_COPY and not self.fee_copies_field:
            raise ValidationError(
                {"fee_copies_field": _("Name the form field that holds the number of copies.")}
            )


class Component(models.Model):
    """Thành phần hồ sơ: a document the applicant provides."""

    case = models.ForeignKey(
        ProcedureCase, verbose_name=_("case"), on_delete=models.CASCADE, related_name="components"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    name = models.CharField(_("name"), max_length=500)
    document_type = models.CharField(
        _("document-type code"),
        max_length=64,
        blank=True,
        help_text=_("National document-type code; lets a document the city holds be reused."),
    )
    mandatory = models.BooleanField(_("mandatory"), default=True)
    # Once-only (DOMAIN.md §8): the agency takes it from a national database itself; the
    # applicant is never asked for it (the personal data store's connectors fetch it).
    fetched_by_agency = models.BooleanField(
        _("fetched by the agency"),
        default=False,
        help_text=_(
            "The receiving agency takes this document from a national database itself; the "
            "applicant is never asked for it."
        ),
    )
    originals = models.PositiveSmallIntegerField(_("originals"), default=1)
    copies = models.PositiveSmallIntegerField(_("copies"), default=0)
    form_template = models.CharField(_("form template"), max_length=255, blank=True)
    per_row_of = models.CharField(
        _("one for each row of"),
        max_length=100,
        blank=True,
        help_text=_(
            "For a document each row of a repeating group of the e-form needs (each co-owner's "
            "identity card): the group's key. Empty: one document for the dossier."
        ),
    )

    class Meta:
        verbose_name = _("dossier component")
        verbose_name_plural = _("dossier components")
        ordering = ["case", "position", "id"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        problem = per_row_problem(self.per_row_of, self.case.eform_schema if self.case_id else {})
        if problem:
            raise ValidationError({"per_row_of": problem})


def per_row_problem(group: str, eform: Any) -> str:
    """Why ``group`` is not a repeating group of the e-form (empty when it is, or not set)."""
    if not group:
        return ""
    found = eform.get("properties", {}).get(group) if isinstance(eform, dict) else None
    items = found.get("items") if isinstance(found, dict) else None
    if not (isinstance(items, dict) and items.get("type") == "object"):
        return str(_("«%(key)s» is not a repeating group of the case's e-form.") % {"key": group})
    return ""


class ProcessingStep(models.Model):
    """Bước xử lý: who does what, and how much of the time limit it takes."""

    case = models.ForeignKey(
        ProcedureCase, verbose_name=_("case"), on_delete=models.CASCADE, related_name="steps"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    name = models.CharField(_("name"), max_length=255)
    role = models.CharField(_("role"), max_length=16, choices=StepRole.choices)
    duration = models.DecimalField(
        _("duration"),
        max_digits=8,
        decimal_places=2,
        validators=[MinValueValidator(0)],
        help_text=_("In the case's time unit."),
    )

    class Meta:
        verbose_name = _("processing step")
        verbose_name_plural = _("processing steps")
        ordering = ["case", "position", "id"]

    def __str__(self) -> str:
        return self.name


class ProcedureVersion(models.Model):
    """An immutable snapshot of a procedure after each change (never edited)."""

    procedure = models.ForeignKey(
        Procedure, on_delete=models.CASCADE, related_name="versions", verbose_name=_("procedure")
    )
    number = models.PositiveIntegerField(_("version"))
    snapshot = models.JSONField(_("snapshot"))
    status = models.CharField(_("status"), max_length=16, choices=PublicationStatus.choices)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("procedure version")
        verbose_name_plural = _("procedure versions")
        ordering = ["procedure", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "number"], name="procedure_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.procedure.code} v{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValidationError(_("A procedure version is never changed."))
        super().save(*args, **kwargs)
