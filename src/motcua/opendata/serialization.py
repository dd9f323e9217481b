"""Datasets, resources, agencies and themes as CKAN's Action API shows them."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from motcua.agencies.models import Agency

from .constants import LICENCES, MEDIA_TYPES
from .models import Dataset, Resource, Theme

# The CKAN API version whose answers these follow (clients read it from status_show).
CKAN_API_VERSION = "2.10.0"


def org_name(agency: Agency) -> str:
    """CKAN's organisation name: the agency code in the lower-case, dash form CKAN allows."""
    return agency.code.lower().replace(".", "-")


def code_for_org(ref: str) -> str:
    """The agency code an organisation id or name stands for (both are accepted)."""
    return ref.strip().upper().replace("-", ".")


def iso(value: Any) -> str | None:
    if value is None:
        return None
    text: str = value.isoformat()
    return text.replace("+00:00", "")


def organization_dict(agency: Agency, *, package_count: int | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": agency.code,
        "name": org_name(agency),
        "title": agency.name,
        "display_name": agency.name,
        "title_translated": {"vi": agency.name, "en": agency.name_en or agency.name},
        "description": agency.address,
        "type": "organization",
        "is_organization": True,
        "state": "active",
        "approval_status": "approved",
        "image_url": "",
    }
    if package_count is not None:
        data["package_count"] = package_count
    return data


def group_dict(theme: Theme, *, package_count: int | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": theme.name,
        "name": theme.name,
        "title": theme.title,
        "display_name": theme.title,
        "title_translated": {"vi": theme.title, "en": theme.title_en or theme.title},
        "description": theme.description,
        "type": "group",
        "is_organization": False,
        "state": "active",
    }
    if package_count is not None:
        data["package_count"] = package_count
    return data


def download_url(resource: Resource, base_url: str) -> str:
    if not resource.is_upload:
        return resource.url
    filename = resource.file.name.rsplit("/", 1)[-1]
    path = reverse(
        "opendata:download",
        kwargs={"name": resource.dataset.name, "resource_id": resource.pk, "filename": filename},
    )
    return base_url + path


def resource_dict(resource: Resource, base_url: str) -> dict[str, Any]:
    table = next((t for t in resource.tables.all() if t.live), None)
    return {
        "id": str(resource.pk),
        "package_id": str(resource.dataset_id),
        "position": resource.position,
        "name": resource.name,
        "description": resource.description,
        "format": resource.format,
        "mimetype": MEDIA_TYPES.get(resource.format, ""),  # type: ignore[call-overload]
        "url": download_url(resource, base_url),
        "url_type": "upload" if resource.is_upload else "",
        "size": resource.size,
        "hash": f"sha256:{resource.sha256}" if resource.sha256 else "",
        "created": iso(resource.created_at),
        "last_modified": iso(resource.modified_at),
        "metadata_modified": iso(resource.modified_at),
        "datastore_active": table is not None,
        "state": "active",
    }


def package_dict(dataset: Dataset, base_url: str) -> dict[str, Any]:
    """CKAN's package, with the fields CKAN's schema extensions give to ours (translated
    titles, frequency, coverage) at the top level and again as ``extras``."""
    licence = LICENCES.get(dataset.licence_id)
    resources = [resource_dict(resource, base_url) for resource in dataset.resources.all()]
    tags = sorted(tag.name for tag in dataset.tags.all())
    groups = [group_dict(theme) for theme in dataset.themes.all()]
    own = {
        "title_en": dataset.title_en,
        "notes_en": dataset.notes_en,
        "frequency": dataset.frequency,
        "temporal_start": iso(dataset.temporal_start) or "",
        "temporal_end": iso(dataset.temporal_end) or "",
        "spatial_text": dataset.spatial,
    }
    return {
        "id": str(dataset.pk),
        "name": dataset.name,
        "title": dataset.title,
        "notes": dataset.notes,
        "title_translated": {"vi": dataset.title, "en": dataset.title_en},
        "notes_translated": {"vi": dataset.notes, "en": dataset.notes_en},
        "type": "dataset",
        "state": dataset.state,
        "private": dataset.private,
        "owner_org": dataset.agency.code,
        "organization": organization_dict(dataset.agency),
        "author": dataset.agency.name,
        "author_email": dataset.agency.email,
        "maintainer": dataset.contact_name,
        "maintainer_email": dataset.contact_email,
        "license_id": dataset.licence_id,
        "license_title": licence.title if licence else dataset.licence_id,
        "license_url": licence.url if licence else "",
        "isopen": bool(licence and licence.open),
        "version": dataset.version,
        "url": base_url + reverse("opendata:dataset", kwargs={"name": dataset.name}),
        "metadata_created": iso(dataset.created_at),
        "metadata_modified": iso(dataset.modified_at),
        "groups": groups,
        "tags": [{"name": name, "display_name": name, "state": "active"} for name in tags],
        "num_tags": len(tags),
        "resources": resources,
        "num_resources": len(resources),
        **own,
        "extras": [{"key": key, "value": value} for key, value in own.items() if value],
    }
