"""Agencies (cơ quan, đơn vị) and their one-stop desks (DOMAIN.md §3)."""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .codes import validate_agency_code


class AgencyKind(models.TextChoices):
    PEOPLES_COMMITTEE = "peoples_committee", _("People's committee")
    DEPARTMENT = "department", _("Department")
    WARD_COMMITTEE = "ward_committee", _("Ward/commune people's committee")
    PUBLIC_SERVICE_UNIT = "public_service_unit", _("Public service unit")
    PARTY_BODY = "party_body", _("Party body")
    SOCIO_POLITICAL = "socio_political", _("Socio-political organisation")


class AgencyLevel(models.TextChoices):
    CITY = "city", _("City level")
    WARD = "ward", _("Ward/commune level")


class AgencyQuerySet(models.QuerySet["Agency"]):
    def current(self, on: datetime.date | None = None) -> AgencyQuerySet:
        """Agencies valid on a date (today by default)."""
        on = on or timezone.localdate()
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=on)).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=on)
        )


class Agency(models.Model):
    """Cơ quan: a node of the agency tree, identified by its electronic identifier code."""

    code = models.CharField(
        _("electronic identifier"),
        max_length=40,
        unique=True,
        validators=[validate_agency_code],
        help_text=_("Decision 20/2020/QĐ-TTg code, e.g. H17 or H17.50.05."),
    )
    name = models.CharField(_("name"), max_length=255)
    name_en = models.CharField(_("English name"), max_length=255, blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=AgencyKind.choices)
    level = models.CharField(_("level"), max_length=16, choices=AgencyLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    province_code = models.PositiveIntegerField(_("province code"), default=48)
    ward_code = models.PositiveIntegerField(
        _("ward/commune code"), null=True, blank=True, unique=True
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("successor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
        help_text=_("The agency that took over when this one ceased to exist."),
    )

    objects = AgencyQuerySet.as_manager()

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_until__gte=models.F("valid_from")),
                name="agency_validity_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("agencies:detail", kwargs={"code": self.code})

    def is_current(self, on: datetime.date | None = None) -> bool:
        on = on or timezone.localdate()
        return (self.valid_from is None or self.valid_from <= on) and (
            self.valid_until is None or self.valid_until >= on
        )

    def ancestors(self) -> list[Agency]:
        chain: list[Agency] = []
        node = self.parent
        while node is not None and len(chain) < 20:
            chain.append(node)
            node = node.parent
        return list(reversed(chain))


class OneStopDesk(models.Model):
    """Bộ phận một cửa: where an agency receives dossiers and returns results."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.CASCADE, related_name="desks"
    )
    name = models.CharField(_("name"), max_length=255)
    address = models.CharField(_("address"), max_length=255)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    opening_hours = models.CharField(
        _("opening hours"), max_length=255, default="07:00–11:30, 13:30–17:00"
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        verbose_name = _("one-stop desk")
        verbose_name_plural = _("one-stop desks")
        ordering = ["agency__code", "name"]

    def __str__(self) -> str:
        return self.name
