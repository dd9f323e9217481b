"""The vocabularies of open data: formats, licences, update frequencies (with their DCAT IRIs)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

# The EU Publications Office's authority tables, which DCAT-AP 3 asks formats, frequencies and
# licences to be drawn from.
FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
FREQUENCY = "http://publications.europa.eu/resource/authority/frequency/"


class ResourceFormat(models.TextChoices):
    CSV = "CSV", "CSV"
    JSON = "JSON", "JSON"
    XLSX = "XLSX", "XLSX"
    GEOJSON = "GeoJSON", "GeoJSON"
    PDF = "PDF", "PDF"


# Extension → format; the format an upload is declared or named as must be one of these.
EXTENSION_FORMATS = {
    ".csv": ResourceFormat.CSV,
    ".json": ResourceFormat.JSON,
    ".xlsx": ResourceFormat.XLSX,
    ".geojson": ResourceFormat.GEOJSON,
    ".pdf": ResourceFormat.PDF,
}
MEDIA_TYPES = {
    ResourceFormat.CSV: "text/csv",
    ResourceFormat.JSON: "application/json",
    ResourceFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ResourceFormat.GEOJSON: "application/geo+json",
    ResourceFormat.PDF: "application/pdf",
}
FORMAT_IRIS = {
    ResourceFormat.CSV: FILE_TYPE + "CSV",
    ResourceFormat.JSON: FILE_TYPE + "JSON",
    ResourceFormat.XLSX: FILE_TYPE + "XLSX",
    ResourceFormat.GEOJSON: FILE_TYPE + "GEOJSON",
    ResourceFormat.PDF: FILE_TYPE + "PDF",
}
TABULAR_FORMATS = {ResourceFormat.CSV, ResourceFormat.XLSX}


class Frequency(models.TextChoices):
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    ANNUAL = "annual", _("Yearly")
    IRREGULAR = "irregular", _("Irregular")
    NEVER = "never", _("Never updated")


FREQUENCY_IRIS = {
    Frequency.DAILY: FREQUENCY + "DAILY",
    Frequency.WEEKLY: FREQUENCY + "WEEKLY",
    Frequency.MONTHLY: FREQUENCY + "MONTHLY",
    Frequency.QUARTERLY: FREQUENCY + "QUARTERLY",
    Frequency.ANNUAL: FREQUENCY + "ANNUAL",
    Frequency.IRREGULAR: FREQUENCY + "IRREG",
    Frequency.NEVER: FREQUENCY + "NEVER",
}


@dataclass(frozen=True)
class Licence:
    id: str
    title: str
    url: str
    open: bool = True


# CKAN's licence ids, so that clients that know CKAN's list recognise them.
LICENCES = {
    licence.id: licence
    for licence in (
        Licence(
            "cc-by",
            "Creative Commons Attribution 4.0",
            "https://creativecommons.org/licenses/by/4.0/",
        ),
        Licence(
            "cc-by-sa",
            "Creative Commons Attribution Share-Alike 4.0",
            "https://creativecommons.org/licenses/by-sa/4.0/",
        ),
        Licence(
            "cc-zero",
            "Creative Commons CCZero",
            "https://creativecommons.org/publicdomain/zero/1.0/",
        ),
        Licence(
            "odc-by",
            "Open Data Commons Attribution License",
            "https://opendatacommons.org/licenses/by/1-0/",
        ),
        Licence(
            "odc-odbl",
            "Open Data Commons Open Database License (ODbL)",
            "https://opendatacommons.org/licenses/odbl/1-0/",
        ),
    )
}
LICENCE_CHOICES = [(licence.id, licence.title) for licence in LICENCES.values()]
DEFAULT_LICENCE = "cc-by"


class DatasetState(models.TextChoices):
    """CKAN's states: a draft is the steward's until published (``active``)."""

    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Published")
    DELETED = "deleted", _("Deleted")


class RevisionAction(models.TextChoices):
    CREATED = "created", _("Created")
    UPDATED = "updated", _("Updated")
    DELETED = "deleted", _("Deleted")
    RESOURCE_CREATED = "resource_created", _("Resource added")
    RESOURCE_UPDATED = "resource_updated", _("Resource updated")
    DATASTORE_LOADED = "datastore_loaded", _("Table loaded")
    DICTIONARY_EDITED = "dictionary_edited", _("Data dictionary edited")


class LoadStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    RUNNING = "running", _("Loading")
    DONE = "done", _("Loaded")
    FAILED = "failed", _("Failed")


class ColumnType(models.TextChoices):
    """The datastore's column types (CKAN's datastore names)."""

    TEXT = "text", _("Text")
    INTEGER = "int", _("Integer")
    NUMERIC = "numeric", _("Number")
    DATE = "date", _("Date")
    TIMESTAMP = "timestamp", _("Date and time")
    BOOLEAN = "bool", _("Yes/no")
