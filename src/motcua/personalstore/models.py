"""The personal data store (kho quản lý dữ liệu điện tử của tổ chức, cá nhân; DOMAIN.md §8).

Every citizen and every business holds documents the platform can vouch for: its own signed
results, attachments an officer checked against the original (số hóa) and records of national
databases. Each is kept with its SHA-256: a file that no longer matches is never reused. What
is read, by whom, for which dossier and why is written to an append-only log the owner sees.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import Business
from motcua.agencies.models import Agency
from motcua.catalog.models import Procedure
from motcua.dossiers.models import Attachment, Dossier, DossierDraft
from motcua.results.models import IssuedResult


class Source(models.TextChoices):
    RESULT = "result", _("Signed result of this platform")
    VERIFIED = "verified", _("Attachment verified against the original")
    NATIONAL = "national", _("National database")
    DEPOSIT = "deposit", _("Deposited by the issuing agency")


class ResultType(models.Model):
    """Which document a procedure's signed result is (its document-type code), so that a later
    procedure asking for that type takes it from the store."""

    procedure = models.OneToOneField(
        Procedure,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("procedure"),
    )
    document_type = models.CharField(_("document-type code"), max_length=64)
    title = models.CharField(_("title"), max_length=255)
    valid_for_days = models.PositiveIntegerField(
        _("valid for (days)"), null=True, blank=True, help_text=_("Empty: does not expire.")
    )
    # Answers of the dossier's form copied into the document's structured data.
    form_fields = models.JSONField(_("form fields kept as data"), default=list, blank=True)

    class Meta:
        verbose_name = _("result document type")
        verbose_name_plural = _("result document types")
        ordering = ["procedure__code"]

    def __str__(self) -> str:
        return f"{self.procedure.code} → {self.document_type}"


def document_path(instance: StoredDocument, filename: str) -> str:
    return f"personalstore/{timezone.now():%Y/%m}/{instance.sha256}"


class StoredDocumentQuerySet(models.QuerySet["StoredDocument"]):
    def of_user(self, user_id: int) -> StoredDocumentQuerySet:
        return self.filter(owner_user_id=user_id, owner_business__isnull=True)

    def of_business(self, business_id: int) -> StoredDocumentQuerySet:
        return self.filter(owner_business_id=business_id)


class StoredDocument(models.Model):
    """One document of a citizen's (``owner_user``) or a business's (``owner_business``) store."""

    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("citizen"),
    )
    owner_business = models.ForeignKey(
        Business,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("business"),
    )
    document_type = models.CharField(_("document-type code"), max_length=64)
    title = models.CharField(_("title"), max_length=255)
    issuer = models.CharField(_("issuer"), max_length=255)
    issuer_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    number = models.CharField(_("number"), max_length=64, blank=True)
    issued_on = models.DateField(_("issued on"))
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    file = models.FileField(upload_to=document_path)
    content_type = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(_("checksum (SHA-256)"), max_length=64)
    data = models.JSONField(_("structured data"), default=dict, blank=True)
    # Where it came from on this platform (one stored document per result, per attachment).
    origin_dossier = models.ForeignKey(
        Dossier, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    origin_result = models.OneToOneField(
        IssuedResult, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    origin_attachment = models.OneToOneField(
        Attachment, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    hidden_at = models.DateTimeField(_("hidden from reuse"), null=True, blank=True)
    # Set when the file was found not to match its checksum: never offered again.
    flagged_at = models.DateTimeField(_("flagged as altered"), null=True, blank=True)
    flag_reason = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(_("stored at"), default=timezone.now)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("added by"),
    )
    deposited_by = models.ForeignKey(
        "IssuerClient", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = StoredDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("stored document")
        verbose_name_plural = _("stored documents")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(owner_user__isnull=False) | Q(owner_business__isnull=False),
                name="stored_document_has_an_owner",
            ),
        ]
        indexes = [
            models.Index(fields=["owner_user", "-created_at"], name="store_user_recent"),
            models.Index(fields=["owner_business", "-created_at"], name="store_business_recent"),
            models.Index(fields=["owner_user", "document_type"], name="store_user_type"),
        ]

    def __str__(self) -> str:
        return f"{self.document_type} {self.number or self.pk}"

    @property
    def is_expired(self) -> bool:
        return self.expires_on is not None and self.expires_on < timezone.localdate()

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def is_flagged(self) -> bool:
        return self.flagged_at is not None

    @property
    def usable(self) -> bool:
        """Offered for reuse: not hidden, not expired, not flagged (the file is checked apart)."""
        return not (self.is_hidden or self.is_expired or self.is_flagged)

    def file_matches(self) -> bool:
        """Whether the stored bytes still have the recorded SHA-256."""
        digest = hashlib.sha256()
        try:
            with self.file.open("rb") as handle:
                for chunk in iter(lambda: handle.read(65536), b""):
                    digest.update(chunk)
        except (OSError, ValueError):
            return False
        return digest.hexdigest() == self.sha256


class ShareLink(models.Model):
    """A time-limited link through which anyone holding it downloads one document."""

    document = models.ForeignKey(
        StoredDocument, on_delete=models.PROTECT, related_name="share_links"
    )
    token = models.CharField(max_length=64, unique=True)
    note = models.CharField(_("for whom"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("share link")
        verbose_name_plural = _("share links")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.document_id} until {self.expires_at:%Y-%m-%d %H:%M}"

    @property
    def is_live(self) -> bool:
        return self.withdrawn_at is None and self.expires_at > timezone.now()


class Purpose(models.TextChoices):
    OWNER = "owner", _("Viewed or downloaded by the owner")
    SHARE_LINK = "share_link", _("Downloaded through a share link")
    PREVIEW = "preview", _("Previewed before use in a dossier")
    DOSSIER = "dossier", _("Read by an officer handling the dossier")
    FILING = "filing", _("Used in a dossier")
    FETCHED = "fetched", _("Fetched from a national database for a dossier")
    DEPOSIT = "deposit", _("Deposited")


class Read(models.Model):
    """One read (or use) of a stored document: who, when, through which dossier, why.
    Never changed (X-Road's message log; the owner's "who used my data" page)."""

    document = models.ForeignKey(StoredDocument, on_delete=models.PROTECT, related_name="reads")
    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    reader_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    dossier = models.ForeignKey(
        Dossier, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    share_link = models.ForeignKey(
        ShareLink, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    purpose = models.CharField(_("purpose"), max_length=16, choices=Purpose.choices)
    channel = models.CharField(max_length=8, default="web")  # web, api
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("read of a stored document")
        verbose_name_plural = _("reads of stored documents")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["document", "-at"], name="store_read_recent")]

    def __str__(self) -> str:
        return f"{self.document_id} {self.purpose} {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("The read log is never changed.")
        super().save(*args, **kwargs)


class Reuse(models.Model):
    """A stored document given for one component of a draft, then of the dossier filed from it."""

    document = models.ForeignKey(StoredDocument, on_delete=models.PROTECT, related_name="reuses")
    draft = models.ForeignKey(
        DossierDraft, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    dossier = models.ForeignKey(
        Dossier, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    component_position = models.PositiveSmallIntegerField()
    component_name = models.CharField(max_length=500)
    sha256 = models.CharField(max_length=64)  # what was given, checked again at filing
    # Taken by the receiving officer from a national database (not given by the applicant).
    fetched_by_agency = models.BooleanField(default=False)
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    chosen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("reused document")
        verbose_name_plural = _("reused documents")
        ordering = ["component_position", "chosen_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["draft", "component_position"], name="one_reuse_per_draft_component"
            )
        ]

    def __str__(self) -> str:
        return f"{self.document_id} → #{self.component_position}"


class FetchOutcome(models.TextChoices):
    FETCHED = "fetched", _("Fetched")
    NOT_FOUND = "not_found", _("Not in the database")
    DOWN = "down", _("Database unreachable")


class AgencyFetch(models.Model):
    """The receiving officer asked a national database for a component of a dossier (the
    agency fetches what a national database knows; DOMAIN.md §8). Kept whatever the outcome:
    a failure says why, and the applicant is asked instead."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="+")
    component_position = models.PositiveSmallIntegerField()
    connector = models.CharField(max_length=64)
    outcome = models.CharField(max_length=16, choices=FetchOutcome.choices)
    reason = models.CharField(max_length=500, blank=True)
    exchange_id = models.CharField(_("X-Road-Id"), max_length=64, blank=True)
    document = models.ForeignKey(
        StoredDocument, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("fetch from a national database")
        verbose_name_plural = _("fetches from national databases")
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"{self.dossier_id} #{self.component_position} {self.outcome}"


class IssuerClient(models.Model):
    """Another agency's system allowed to deposit signed documents into citizens' stores
    (DigiLocker's issuers), registered by an administrator with its client credentials."""

    name = models.CharField(_("name"), max_length=255)
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    client_id = models.CharField(_("client id"), max_length=64, unique=True)
    secret_hash = models.CharField(max_length=255)
    document_types = models.JSONField(
        _("document types it may deposit"),
        default=list,
        help_text=_('A JSON list of document-type codes, e.g. ["GIAY_KHAI_SINH"].'),
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("issuer client")
        verbose_name_plural = _("issuer clients")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.client_id})"
