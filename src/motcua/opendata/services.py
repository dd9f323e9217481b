"""Every change of open data: datasets, resources, tokens; each checked, kept and dated.

Callers validate input with ``forms.DatasetForm`` / ``forms.ResourceForm`` (``validated``) and
pass the cleaned values; the services check who acts, change the rows in one transaction and
append a ``Revision`` holding the dataset as it is after the change.
"""

from __future__ import annotations

import secrets
import uuid
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.agencies.models import Agency

from .access import Actor, can_write, hash_key, steward_agency_ids, writable_agency_ids
from .constants import TABULAR_FORMATS, DatasetState, RevisionAction
from .errors import DatasetNotFound, InvalidInput, NotAuthorized
from .models import ApiToken, Dataset, Resource, Revision, Tag
from .selectors import folded_text
from .serialization import package_dict
from .uploads import checksum_and_size, format_of, safe_filename

TOKEN_PREFIX = "mco_"  # noqa: S105 (a marker that makes leaked keys easy to find)


def validated(form_class: type[forms.Form], data: Any, files: Any = None) -> dict[str, Any]:
    """The cleaned values of ``data``, or ``InvalidInput`` naming each field's problems."""
    form = form_class(data, files)
    if not form.is_valid():
        raise InvalidInput(
            {name: [str(m) for m in messages] for name, messages in form.errors.items()}
        )
    return form.cleaned_data


def _record(dataset: Dataset, action: str, actor: Actor) -> Revision:
    last = dataset.revisions.aggregate(n=Max("number"))["n"] or 0
    fresh = (
        Dataset.objects.select_related("agency")
        .prefetch_related("tags", "themes", "resources__tables")
        .get(pk=dataset.pk)
    )
    return Revision.objects.create(
        dataset=dataset,
        number=last + 1,
        action=action,
        actor=None if actor.is_anonymous else actor.user,
        token=actor.token,
        snapshot=package_dict(fresh, ""),
    )


def _lock(dataset: Dataset) -> Dataset:
    return Dataset.objects.select_for_update().select_related("agency").get(pk=dataset.pk)


def _apply(dataset: Dataset, values: dict[str, Any]) -> list[str]:
    agency: Agency = values["owner_org"]
    dataset.name = values["name"]
    dataset.title = values["title"]
    dataset.title_en = values.get("title_en", "")
    dataset.notes = values.get("notes", "")
    dataset.notes_en = values.get("notes_en", "")
    dataset.agency = agency
    dataset.licence_id = values["license_id"]
    dataset.frequency = values.get("frequency", "")
    dataset.temporal_start = values.get("temporal_start")
    dataset.temporal_end = values.get("temporal_end")
    dataset.spatial = values.get("spatial", "")
    dataset.contact_name = values.get("maintainer", "")
    dataset.contact_email = values.get("maintainer_email", "")
    dataset.version = values.get("version", "")
    dataset.private = bool(values.get("private"))
    dataset.state = values.get("state") or DatasetState.ACTIVE
    dataset.modified_at = timezone.now()
    tags: list[str] = values.get("tags") or []
    dataset.search_text = folded_text(dataset, tags)
    return tags


def _save_with_relations(dataset: Dataset, values: dict[str, Any], tags: list[str]) -> None:
    try:
        with transaction.atomic():
            dataset.save()
    except IntegrityError as exc:
        raise InvalidInput({"name": [_("That name is already in use.")]}) from exc
    dataset.tags.set([Tag.objects.get_or_create(name=name)[0] for name in tags])
    dataset.themes.set(values.get("groups") or [])


@transaction.atomic
def create_dataset(*, actor: Actor, values: dict[str, Any]) -> Dataset:
    agency: Agency = values["owner_org"]
    if agency.pk not in writable_agency_ids(actor):
        raise NotAuthorized(
            _("You may not publish datasets for %(agency)s.") % {"agency": agency.name}
        )
    dataset = Dataset(created_by=None if actor.is_anonymous else actor.user)
    tags = _apply(dataset, values)
    dataset.created_at = dataset.modified_at
    _save_with_relations(dataset, values, tags)
    _record(dataset, RevisionAction.CREATED, actor)
    return dataset


@transaction.atomic
def update_dataset(*, actor: Actor, dataset: Dataset, values: dict[str, Any]) -> Dataset:
    dataset = _lock(dataset)
    if not can_write(actor, dataset):
        raise NotAuthorized(_("You may not change this dataset."))
    moving_to: Agency = values["owner_org"]
    if moving_to.pk != dataset.agency_id and moving_to.pk not in writable_agency_ids(actor):
        raise NotAuthorized(
            _("You may not publish datasets for %(agency)s.") % {"agency": moving_to.name}
        )
    tags = _apply(dataset, values)
    _save_with_relations(dataset, values, tags)
    _record(dataset, RevisionAction.UPDATED, actor)
    return dataset


@transaction.atomic
def delete_dataset(*, actor: Actor, dataset: Dataset) -> None:
    """CKAN's delete: the dataset is marked deleted (kept, with its history), not erased."""
    dataset = _lock(dataset)
    if not can_write(actor, dataset):
        raise NotAuthorized(_("You may not delete this dataset."))
    dataset.state = DatasetState.DELETED
    dataset.modified_at = timezone.now()
    dataset.save(update_fields=["state", "modified_at"])
    _record(dataset, RevisionAction.DELETED, actor)


def _store_file(resource: Resource, upload: UploadedFile, declared_format: str) -> None:
    fmt = format_of(upload, declared_format)
    resource.format = fmt
    resource.sha256, resource.size = checksum_and_size(upload)
    # FileField.save copies chunk by chunk from the temporary file the upload went to.
    resource.file.save(safe_filename(upload.name or "data", fmt), upload, save=False)
    resource.url = ""


def _check_resource_source(
    values: dict[str, Any], upload: UploadedFile | None, existing: Resource | None
) -> None:
    if (
        upload is None
        and not values.get("url")
        and (existing is None or not (existing.file or existing.url))
    ):
        raise InvalidInput({"url": [_("Give a link or upload a file.")]})
    if upload is None and values.get("url") and not values.get("format"):
        raise InvalidInput({"format": [_("Say which format the linked file is in.")]})


@transaction.atomic
def add_resource(
    *, actor: Actor, dataset: Dataset, values: dict[str, Any], upload: UploadedFile | None = None
) -> Resource:
    dataset = _lock(dataset)
    if not can_write(actor, dataset):
        raise NotAuthorized(_("You may not change this dataset."))
    _check_resource_source(values, upload, None)
    position = (dataset.resources.aggregate(n=Max("position"))["n"] or -1) + 1
    resource = Resource(
        dataset=dataset,
        position=position,
        name=values["name"],
        description=values.get("description", ""),
        format=values.get("format") or "",
        url=values.get("url") or "",
    )
    if upload is not None:
        _store_file(resource, upload, values.get("format") or "")
    resource.save()
    _touch(dataset)
    _record(dataset, RevisionAction.RESOURCE_CREATED, actor)
    _after_file_change(resource)
    return resource


@transaction.atomic
def update_resource(
    *, actor: Actor, resource: Resource, values: dict[str, Any], upload: UploadedFile | None = None
) -> Resource:
    dataset = _lock(resource.dataset)
    if not can_write(actor, dataset):
        raise NotAuthorized(_("You may not change this dataset."))
    _check_resource_source(values, upload, resource)
    resource = Resource.objects.select_for_update().get(pk=resource.pk)
    resource.name = values["name"]
    resource.description = values.get("description", "")
    new_file = upload is not None or (values.get("url") and values["url"] != resource.url)
    if upload is not None:
        _store_file(resource, upload, values.get("format") or "")
    elif values.get("url") and values["url"] != resource.url:
        resource.file = None  # type: ignore[assignment]
        resource.url = values["url"]
        resource.size = None
        resource.sha256 = ""
    if values.get("format") and upload is None:
        resource.format = values["format"]
    resource.modified_at = timezone.now()
    resource.save()
    _touch(dataset)
    _record(dataset, RevisionAction.RESOURCE_UPDATED, actor)
    if new_file:
        _after_file_change(resource)
    return resource


def _touch(dataset: Dataset) -> None:
    Dataset.objects.filter(pk=dataset.pk).update(modified_at=timezone.now())


def _after_file_change(resource: Resource) -> None:
    """A new table is loaded into the datastore by the background worker."""
    if resource.format in TABULAR_FORMATS and resource.is_upload:
        from . import datastore  # the datastore builds on these services' models

        # A new version of the file keeps the columns' types and dictionary when its header
        # is the same (a value that no longer fits is then reported, not silently retyped).
        previous = datastore.live_table(resource)
        datastore.request_load(resource, previous.fields if previous else None)


def is_uuid(text: str) -> bool:
    try:
        uuid.UUID(str(text))
    except ValueError:
        return False
    return True


def find_dataset(ref: str) -> Dataset:
    """A dataset by id or name (what CKAN's ``id`` parameter takes)."""
    queryset = Dataset.objects.select_related("agency")
    dataset = queryset.filter(name=ref).first()
    if dataset is None and is_uuid(ref):
        dataset = queryset.filter(pk=ref).first()
    if dataset is None:
        raise DatasetNotFound(_("Dataset not found."))
    return dataset


# API tokens ------------------------------------------------------------------------------------


@transaction.atomic
def issue_token(
    *, user: Any, name: str, agency: Agency | None = None, dataset: Dataset | None = None
) -> tuple[ApiToken, str]:
    """A new token for ``user`` limited to ``agency`` or ``dataset``; the key is returned once."""
    if (agency is None) == (dataset is None):
        raise InvalidInput({"scope": [_("Limit the token to one agency or one dataset.")]})
    scope_agency = agency.pk if agency is not None else dataset.agency_id  # type: ignore[union-attr]
    if scope_agency not in steward_agency_ids(user):
        raise NotAuthorized(_("You are not a data steward of that agency."))
    key = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name.strip()[:200] or _("API token"),
        key_hash=hash_key(key),
        prefix=key[:10],
        agency=agency,
        dataset=dataset,
    )
    return token, key


@transaction.atomic
def revoke_token(*, user: Any, token: ApiToken) -> None:
    if token.user_id != user.pk:
        raise DatasetNotFound(_("Token not found."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
