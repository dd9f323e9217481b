"""Signed electronic results (kết quả điện tử), their templates and their delivery by post.

An electronic result has the legal value of paper (DOMAIN.md §8; Decree 45/2020): the signed
PDF is the result, kept with its SHA-256; it is revoked, never edited or deleted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.template import Engine, TemplateSyntaxError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Agency
from motcua.catalog.models import Procedure
from motcua.dossiers.models import Dossier

# Plain text for the PDF (no HTML escaping); only Django's built-in tags and filters.
TEMPLATE_ENGINE = Engine(autoescape=False, debug=False)


def check_template_syntax(source: str) -> None:
    try:
        TEMPLATE_ENGINE.from_string(source)
    except TemplateSyntaxError as exc:
        raise ValidationError(
            _("This template cannot be read: %(error)s"), params={"error": exc}
        ) from exc


# The kinds of value an officer fills at the decision (a small, closed list: typed form inputs).
DECISION_FIELD_TYPES = ("text", "number", "date")
DECISION_FIELD_NAME = re.compile(r"^[a-z][a-z0-9_]{0,49}$")


def check_decision_fields(fields: object) -> None:
    """``[{"name", "label", "type", "required"}, …]``: what the officer fills at the decision."""
    if not isinstance(fields, list):
        raise ValidationError(_("Decision fields are a list."))
    seen: set[str] = set()
    for position, field in enumerate(fields, start=1):
        if not isinstance(field, dict):
            raise ValidationError(
                _("Decision field %(n)s is not an object."), params={"n": position}
            )
        name = field.get("name")
        if not isinstance(name, str) or not DECISION_FIELD_NAME.match(name) or name in seen:
            raise ValidationError(
                _(
                    "Decision field %(n)s needs a unique name of lower-case letters, digits "
                    "and underscores."
                ),
                params={"n": position},
            )
        seen.add(name)
        if not isinstance(field.get("label"), str) or not field["label"].strip():
            raise ValidationError(_("Decision field %(n)s needs a label."), params={"n": position})
        if field.get("type", "text") not in DECISION_FIELD_TYPES:
            raise ValidationError(
                _("Decision field %(n)s: the type is one of %(types)s."),
                params={"n": position, "types": ", ".join(DECISION_FIELD_TYPES)},
            )
        if not isinstance(field.get("required", False), bool):
            raise ValidationError(
                _("Decision field %(n)s: “required” is true or false."), params={"n": position}
            )


@dataclass(frozen=True)
class DecisionField:
    name: str
    label: str
    type: str = "text"
    required: bool = False


class ResultTemplate(models.Model):
    """The decision text of one procedure's result, in Django template syntax.

    The body receives ``dossier`` (code, procedure, case, dates), ``form`` (the e-form's
    values), ``applicant`` (the name), ``agency`` (name, code, address) and ``decision`` (the
    values of ``decision_fields``, which the officer fills on the dossier page before deciding).
    """

    procedure = models.OneToOneField(
        Procedure,
        on_delete=models.CASCADE,
        related_name="result_template",
        verbose_name=_("procedure"),
    )
    title = models.CharField(_("title"), max_length=255)
    body = models.TextField(
        _("body"),
        help_text=_(
            "Django template syntax. Available: {{ dossier.code }}, {{ dossier.procedure }}, "
            "{{ dossier.case }}, {{ form.<field> }}, {{ decision.<field> }}, {{ applicant }}, "
            "{{ agency.name }}. One paragraph per line."
        ),
    )
    decision_fields = models.JSONField(
        _("decision fields"),
        default=list,
        blank=True,
        validators=[check_decision_fields],
        help_text=_(
            "What the officer fills at the decision, as a JSON list: "
            '[{"name": "so_giay_phep", "label": "Số giấy phép", "type": "text", '
            '"required": true}]. Types: text, number, date. Used as {{ decision.<name> }}.'
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("result template")
        verbose_name_plural = _("result templates")
        ordering = ["procedure__code"]

    def __str__(self) -> str:
        return f"{self.procedure.code}: {self.title}"

    def clean(self) -> None:
        if self.decision_fields is None:  # the admin's empty box: no decision fields
            self.decision_fields = []
        errors = {}
        for field in ("title", "body"):
            try:
                check_template_syntax(getattr(self, field))
            except ValidationError as exc:
                errors[field] = exc
        if errors:
            raise ValidationError(errors)

    @property
    def fields(self) -> list[DecisionField]:
        return [
            DecisionField(
                name=field["name"],
                label=field["label"],
                type=field.get("type", "text"),
                required=bool(field.get("required", False)),
            )
            for field in self.decision_fields or []
        ]


class ResultDraft(models.Model):
    """The decision fields an officer filled for one dossier, used when its result is signed."""

    dossier = models.OneToOneField(
        Dossier, on_delete=models.CASCADE, related_name="result_draft", verbose_name=_("dossier")
    )
    values = models.JSONField(_("values"), default=dict, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("updated by"),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("result draft")
        verbose_name_plural = _("result drafts")

    def __str__(self) -> str:
        return str(self.dossier_id)


class IssuedResultQuerySet(models.QuerySet["IssuedResult"]):
    def live(self) -> IssuedResultQuerySet:
        return self.filter(revoked_at__isnull=True)


def result_path(instance: IssuedResult, filename: str) -> str:
    return f"results/{timezone.now():%Y/%m}/{instance.token}.pdf"


class IssuedResult(models.Model):
    """One signed result of a dossier. At most one is not revoked per dossier."""

    dossier = models.ForeignKey(
        Dossier, on_delete=models.PROTECT, related_name="results", verbose_name=_("dossier")
    )
    number = models.CharField(_("number"), max_length=64, unique=True)
    file = models.FileField(_("signed PDF"), upload_to=result_path)
    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.PositiveIntegerField()
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("issuing agency")
    )
    signer_subject = models.CharField(_("signed by (certificate)"), max_length=500)
    signer_serial = models.CharField(_("certificate serial"), max_length=64)
    # The person and their title (chức vụ) as printed on the result, kept as signed.
    signer_name = models.CharField(_("signer's name"), max_length=200, blank=True)
    signer_title = models.CharField(_("signer's title"), max_length=200, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("issued by"),
    )
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    # In the QR code and the verification address; says nothing about the person.
    token = models.CharField(max_length=64, unique=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )
    revocation_reason = models.TextField(_("reason for revocation"), blank=True)

    objects = IssuedResultQuerySet.as_manager()

    class Meta:
        verbose_name = _("issued result")
        verbose_name_plural = _("issued results")
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier"],
                condition=Q(revoked_at__isnull=True),
                name="one_live_result_per_dossier",
            )
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class DeliveryStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    SENT = "sent", _("Sent")
    DELIVERED = "delivered", _("Delivered")
    RETURNED = "returned", _("Returned to the agency")


# Which status may follow which (a returned copy may be sent again).
DELIVERY_STEPS: dict[str, frozenset[str]] = {
    DeliveryStatus.REQUESTED: frozenset({DeliveryStatus.SENT}),
    DeliveryStatus.SENT: frozenset({DeliveryStatus.DELIVERED, DeliveryStatus.RETURNED}),
    DeliveryStatus.RETURNED: frozenset({DeliveryStatus.SENT}),
    DeliveryStatus.DELIVERED: frozenset(),
}


class PostalDelivery(models.Model):
    """A paper copy of the result sent by public postal service (DOMAIN.md §4.7); one per result."""

    result = models.OneToOneField(
        IssuedResult, on_delete=models.PROTECT, related_name="delivery", verbose_name=_("result")
    )
    recipient = models.CharField(_("recipient"), max_length=200)
    address = models.CharField(_("postal address"), max_length=500)
    phone = models.CharField(_("phone"), max_length=20)
    status = models.CharField(
        _("status"), max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.REQUESTED
    )
    tracking_number = models.CharField(_("tracking number"), max_length=64, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("postal delivery")
        verbose_name_plural = _("postal deliveries")
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.result.number}: {self.status}"

    @property
    def next_statuses(self) -> list[str]:
        return [s for s in DeliveryStatus.values if s in DELIVERY_STEPS[self.status]]


class PostalDeliveryEvent(models.Model):
    """One change of a postal delivery. Never edited."""

    delivery = models.ForeignKey(PostalDelivery, on_delete=models.PROTECT, related_name="events")
    status = models.CharField(_("status"), max_length=16, choices=DeliveryStatus.choices)
    tracking_number = models.CharField(_("tracking number"), max_length=64, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("postal delivery event")
        verbose_name_plural = _("postal delivery history")
        ordering = ["delivery", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.delivery_id} {self.status}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("Delivery history is never changed.")
        super().save(*args, **kwargs)
