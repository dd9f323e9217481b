"""Open data (dữ liệu mở): datasets an agency publishes, their files, tables and history."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .constants import (
    DEFAULT_LICENCE,
    LICENCE_CHOICES,
    DatasetState,
    Frequency,
    LoadStatus,
    ResourceFormat,
    RevisionAction,
)

NAME_PATTERN = r"^[a-z0-9_-]{2,100}$"


class Theme(models.Model):
    """A group (CKAN) / theme (DCAT): a subject that datasets of every agency share."""

    name = models.SlugField(_("name"), max_length=100, unique=True)
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("English title"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    # The EU data theme (DCAT-AP's recommended vocabulary) this theme falls under, if any.
    eu_theme = models.URLField(_("EU data theme"), blank=True)

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.title


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class DatasetQuerySet(models.QuerySet["Dataset"]):
    def public(self) -> DatasetQuerySet:
        """What anyone may see: published and not private."""
        return self.filter(state=DatasetState.ACTIVE, private=False)


class Dataset(models.Model):
    """Bộ dữ liệu: CKAN's package, DCAT's dcat:Dataset."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name (in the address)"), max_length=100, unique=True)
    title = models.CharField(_("title"), max_length=300)
    title_en = models.CharField(_("English title"), max_length=300, blank=True)
    notes = models.TextField(_("description"), blank=True)
    notes_en = models.TextField(_("English description"), blank=True)
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("publishing agency"),
        on_delete=models.PROTECT,
        related_name="datasets",
    )
    themes = models.ManyToManyField(Theme, verbose_name=_("themes"), blank=True)
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True)
    licence_id = models.CharField(
        _("licence"), max_length=40, choices=LICENCE_CHOICES, default=DEFAULT_LICENCE
    )
    frequency = models.CharField(
        _("update frequency"), max_length=20, choices=Frequency.choices, blank=True
    )
    temporal_start = models.DateField(_("covers from"), null=True, blank=True)
    temporal_end = models.DateField(_("covers until"), null=True, blank=True)
    spatial = models.CharField(_("area covered"), max_length=200, blank=True)
    contact_name = models.CharField(_("contact"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    version = models.CharField(_("version"), max_length=50, blank=True)
    private = models.BooleanField(_("private"), default=False)
    state = models.CharField(
        _("state"), max_length=10, choices=DatasetState.choices, default=DatasetState.DRAFT
    )
    # Folded title, description and tags ("giay phep" finds "giấy phép"), written by services.
    search_text = models.TextField(editable=False, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    modified_at = models.DateTimeField(_("modified"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    view_count = models.PositiveIntegerField(_("views"), default=0, editable=False)

    objects = DatasetQuerySet.as_manager()

    class Meta:
        verbose_name = _("dataset")
        verbose_name_plural = _("datasets")
        ordering = ["-modified_at"]
        indexes = [
            models.Index(fields=["state", "private", "agency"]),
            models.Index(fields=["modified_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(temporal_end__isnull=True)
                | Q(temporal_start__isnull=True)
                | Q(temporal_end__gte=models.F("temporal_start")),
                name="dataset_temporal_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        return self.state == DatasetState.ACTIVE and not self.private


def upload_path(resource: Resource, filename: str) -> str:
    return f"opendata/{resource.dataset_id}/{resource.id}/{filename}"


class Resource(models.Model):
    """Tài nguyên: one file (uploaded, or a link) of a dataset; DCAT's dcat:Distribution."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    dataset = models.ForeignKey(
        Dataset, on_delete=models.CASCADE, related_name="resources", verbose_name=_("dataset")
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    name = models.CharField(_("name"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    format = models.CharField(_("format"), max_length=10, choices=ResourceFormat.choices)
    url = models.URLField(_("link"), max_length=1000, blank=True)
    file = models.FileField(_("file"), upload_to=upload_path, max_length=500, blank=True)
    size = models.PositiveBigIntegerField(_("size in bytes"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    modified_at = models.DateTimeField(_("modified"), default=timezone.now, editable=False)
    download_count = models.PositiveIntegerField(_("downloads"), default=0, editable=False)

    class Meta:
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        ordering = ["dataset", "position", "created_at"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_upload(self) -> bool:
        return bool(self.file)


class Revision(models.Model):
    """One change of a dataset, with what it was after the change; appended, never edited."""

    dataset = models.ForeignKey(
        Dataset, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("dataset")
    )
    number = models.PositiveIntegerField(_("number"))
    action = models.CharField(_("action"), max_length=24, choices=RevisionAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    token = models.ForeignKey(
        "ApiToken",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("through API token"),
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    snapshot = models.JSONField(_("the dataset after the change"))

    class Meta:
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        ordering = ["dataset", "number"]
        constraints = [
            models.UniqueConstraint(fields=["dataset", "number"], name="one_revision_number")
        ]

    def __str__(self) -> str:
        return f"{self.dataset_id} #{self.number}"


class ApiToken(models.Model):
    """A steward's key for writing through the API, limited to one agency or one dataset.

    Only the SHA-256 of the key is kept (the key has 256 random bits, so a plain hash is
    enough); the key itself is shown once, when it is made.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="opendata_tokens",
        verbose_name=_("steward"),
    )
    name = models.CharField(_("name"), max_length=200)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("starts with"), max_length=12, editable=False)
    agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agency"),
    )
    dataset = models.ForeignKey(
        Dataset,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dataset"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(agency__isnull=False, dataset__isnull=True)
                | Q(agency__isnull=True, dataset__isnull=False),
                name="token_limited_to_agency_or_dataset",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class DatastoreTable(models.Model):
    """A tabular resource's rows as loaded by the background worker (one load = one table).

    The live table of a resource answers queries while the next load runs; a load that
    succeeds takes its place, one that fails keeps its report and leaves the live one alone.
    """

    resource = models.ForeignKey(
        Resource, on_delete=models.CASCADE, related_name="tables", verbose_name=_("resource")
    )
    live = models.BooleanField(_("live"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=LoadStatus.choices, default=LoadStatus.WAITING
    )
    # [{"id": column, "type": ColumnType, "info": {"label", "notes", "unit"}}], CKAN's shape.
    fields = models.JSONField(_("columns"), default=list)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    rows_loaded = models.PositiveIntegerField(_("rows loaded so far"), default=0)
    errors = models.JSONField(_("problems found"), default=list)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    # When the running load last wrote rows: a load that stops moving was left by a worker
    # that ended (datastore.sweep_abandoned_loads).
    progress_at = models.DateTimeField(_("last progress"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("datastore table")
        verbose_name_plural = _("datastore tables")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["resource"], condition=Q(live=True), name="one_live_table_per_resource"
            )
        ]

    def __str__(self) -> str:
        return f"{self.resource_id} ({self.get_status_display()})"


class DatastoreRow(models.Model):
    """One row of a datastore table, as JSON (``_id`` is the row's number from 1)."""

    table = models.ForeignKey(DatastoreTable, on_delete=models.CASCADE, related_name="rows")
    number = models.PositiveIntegerField()
    data = models.JSONField()
    # Folded values of the row ("ha noi" finds "Hà Nội"), for datastore_search's q.
    search_text = models.TextField(blank=True)

    class Meta:
        ordering = ["table", "number"]
        constraints = [models.UniqueConstraint(fields=["table", "number"], name="one_row_number")]

    def __str__(self) -> str:
        return f"{self.table_id}:{self.number}"
