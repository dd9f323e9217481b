"""Places, their identifiers, households and every change to them (DOMAIN.md §10).

A place is a point a household lives at: ward (after the 2025 reorganisation), street and
house number, WGS84 coordinates and the 11-character plus code derived from them. Codes of
other schemes (Vpostcode, the national digital address) are kept as ``{scheme, code}`` pairs
beside the platform's own. Rows are changed only by ``services``, each change appended to
``PlaceEvent`` with a snapshot, so that an address as it was on a date can be shown again.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Scheme(models.TextChoices):
    PLATFORM = "platform", _("Platform code")
    VPOSTCODE = "vpostcode", _("Vpostcode (Vietnam Post)")
    NATIONAL = "national", _("National digital address")


class PlaceStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed, to be confirmed on the map")
    CONFIRMED = "confirmed", _("Confirmed by the ward")


class Place(models.Model):
    """Địa điểm: where a household lives, with its digital address."""

    code = models.CharField(_("digital address"), max_length=10, unique=True)
    province_code = models.PositiveIntegerField(_("province code"))
    ward_code = models.PositiveIntegerField(_("ward/commune code"), db_index=True)
    former_ward_code = models.PositiveIntegerField(_("former ward code"), null=True, blank=True)
    former_ward_name = models.CharField(_("former ward"), max_length=100, blank=True)
    street = models.CharField(_("street"), max_length=200)
    house_number = models.CharField(_("house number"), max_length=40, blank=True)
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))
    plus_code = models.CharField(_("plus code"), max_length=12, db_index=True)
    # The plus code's first 8 characters: the 275 m cell the nearest-place search reads.
    cell = models.CharField(max_length=8, db_index=True, editable=False)
    # Its first 10 characters: the 14 m cell read first where places are dense.
    fine_cell = models.CharField(max_length=10, db_index=True, editable=False, default="")
    # House number, street and ward, folded (no case, no diacritics): what street search reads.
    search_text = models.CharField(max_length=400, editable=False)
    status = models.CharField(
        _("status"), max_length=16, choices=PlaceStatus.choices, default=PlaceStatus.CONFIRMED
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("place")
        verbose_name_plural = _("places")
        ordering = ["ward_code", "search_text", "code"]
        indexes = [models.Index(fields=["ward_code", "search_text"], name="place_ward_text")]

    def __str__(self) -> str:
        return f"{self.code} — {self.text}"

    def get_absolute_url(self) -> str:
        return reverse("addresses:public_place", kwargs={"code": self.code})

    @property
    def text(self) -> str:
        """The address as written: house number and street (the ward is shown apart)."""
        return " ".join(part for part in (self.house_number, self.street) if part)

    def snapshot(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "province_code": self.province_code,
            "ward_code": self.ward_code,
            "former_ward_code": self.former_ward_code,
            "former_ward_name": self.former_ward_name,
            "street": self.street,
            "house_number": self.house_number,
            "latitude": self.latitude,
            "longitude": self.longitude,
            "plus_code": self.plus_code,
            "status": self.status,
            "identifiers": sorted(
                [i.scheme, i.code]
                for i in self.identifiers.all()  # type: ignore[attr-defined]
            ),
        }


class PlaceIdentifier(models.Model):
    """A ``{scheme, code}`` pair: the same place as another register knows it."""

    place = models.ForeignKey(
        Place, on_delete=models.CASCADE, related_name="identifiers", verbose_name=_("place")
    )
    scheme = models.CharField(_("scheme"), max_length=16, choices=Scheme.choices)
    code = models.CharField(_("code"), max_length=40)

    class Meta:
        verbose_name = _("identifier")
        verbose_name_plural = _("identifiers")
        constraints = [
            models.UniqueConstraint(fields=["scheme", "code"], name="one_place_per_code"),
            models.UniqueConstraint(fields=["place", "scheme"], name="one_code_per_scheme"),
        ]

    def __str__(self) -> str:
        return f"{self.scheme}:{self.code}"


class PlaceAction(models.TextChoices):
    CREATED = "created", _("Created")
    IMPORTED = "imported", _("Imported")
    CONFIRMED = "confirmed", _("Confirmed on the map")
    CORRECTED = "corrected", _("Corrected at a resident's request")
    WARD_CHANGED = "ward_changed", _("Moved to the successor ward")
    HOUSEHOLD = "household", _("Household changed")


class PlaceEvent(models.Model):
    """One change of a place, appended, never edited: who, when, why and the place after it."""

    place = models.ForeignKey(
        Place, on_delete=models.CASCADE, related_name="events", verbose_name=_("place")
    )
    version = models.PositiveIntegerField(_("version"))
    action = models.CharField(_("action"), max_length=16, choices=PlaceAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    snapshot = models.JSONField(_("place after the change"))

    class Meta:
        verbose_name = _("place history line")
        verbose_name_plural = _("place history")
        ordering = ["place", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.place_id} v{self.version} {self.action}"


class Household(models.Model):
    """Hộ gia đình: citizens living at one place, one of them the head."""

    place = models.ForeignKey(
        Place, on_delete=models.PROTECT, related_name="households", verbose_name=_("place")
    )
    head = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("head of household"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["place", "created_at"]

    def __str__(self) -> str:
        return f"{self.place.code} / {self.pk}"


class HouseholdMember(models.Model):
    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="members", verbose_name=_("household")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="household_memberships",
        verbose_name=_("citizen"),
    )
    joined_at = models.DateTimeField(_("joined at"), default=timezone.now)
    left_at = models.DateTimeField(_("left at"), null=True, blank=True)

    class Meta:
        verbose_name = _("household member")
        verbose_name_plural = _("household members")
        constraints = [
            # A citizen lives in one household at a time.
            models.UniqueConstraint(
                fields=["user"], condition=Q(left_at__isnull=True), name="one_current_household"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.household_id}"


class CorrectionStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the ward")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class Correction(models.Model):
    """A resident's request to correct their household's address, decided by the ward."""

    place = models.ForeignKey(
        Place, on_delete=models.PROTECT, related_name="corrections", verbose_name=_("place")
    )
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="+", verbose_name=_("household")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    street = models.CharField(_("street"), max_length=200)
    house_number = models.CharField(_("house number"), max_length=40, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    reason = models.CharField(_("what is wrong"), max_length=500)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=CorrectionStatus.choices,
        default=CorrectionStatus.PENDING,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("correction request")
        verbose_name_plural = _("correction requests")
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.place.code}: {self.get_status_display()}"


class CodeSequence(models.Model):
    """The last serial number given to a place of a province (platform codes)."""

    province_code = models.PositiveIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.province_code}: {self.last}"


#: ``DossierAddress.field`` of the address a result is posted to (the review step's choice).
DELIVERY_FIELD = "delivery"


class DossierAddress(models.Model):
    """A digital address a dossier gives (an e-form answer, or where its result is posted),
    kept with the address text as it was at filing: a later correction of the place does not
    change what the dossier says."""

    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.CASCADE, related_name="+", verbose_name=_("dossier")
    )
    field = models.CharField(_("field"), max_length=300)  # dotted path, or DELIVERY_FIELD
    place = models.ForeignKey(
        Place, on_delete=models.PROTECT, related_name="dossier_uses", verbose_name=_("place")
    )
    code = models.CharField(_("digital address"), max_length=10)
    text = models.CharField(_("address at filing"), max_length=500)
    place_version = models.PositiveIntegerField(_("version of the place"))
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("address in a dossier")
        verbose_name_plural = _("addresses in dossiers")
        ordering = ["dossier", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "field"], name="one_address_per_field")
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.field}: {self.code}"
