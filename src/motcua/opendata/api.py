"""CKAN's Action API (``/api/3/action/<name>``), so that CKAN clients work unchanged.

Each action parses CKAN's parameters, calls a selector or a service and answers in CKAN's
envelope: ``{help, success: true, result}``, or ``{help, success: false, error: {__type,
message}}`` with a 4xx. Writes need an API token in the ``Authorization`` header (or CKAN's
older ``X-CKAN-API-Key``), as CKAN's clients send it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db.models import Count, Q
from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from motcua.agencies.models import Agency

from . import datastore, selectors, services
from .access import ANONYMOUS, Actor, can_read, readable, token_for_key
from .constants import DatasetState
from .errors import (
    BadRequest,
    DatasetNotFound,
    InvalidInput,
    NotAuthorized,
    OpendataError,
    SearchQueryError,
)
from .forms import DatasetForm, ResourceForm
from .models import Dataset, Resource, Tag, Theme
from .serialization import (
    CKAN_API_VERSION,
    code_for_org,
    group_dict,
    organization_dict,
    package_dict,
    resource_dict,
)
from .uploads import guard_upload

Action = Callable[["Call"], Any]
ACTIONS: dict[str, Action] = {}
WRITE_ACTIONS: set[str] = set()


class Call:
    """One call of an action: its parameters, who makes it and the site's address."""

    def __init__(self, request: HttpRequest, data: dict[str, Any], actor: Actor) -> None:
        self.request = request
        self.data = data
        self.actor = actor
        self.base_url = request.build_absolute_uri("/").rstrip("/")

    def get(self, name: str, default: Any = None) -> Any:
        return self.data.get(name, default)

    def require(self, name: str) -> Any:
        value = self.data.get(name)
        if value in (None, ""):
            raise InvalidInput({name: [_("Missing value")]})
        return value

    def integer(self, name: str, default: int) -> int:
        value = self.data.get(name, default)
        try:
            return int(value)
        except (TypeError, ValueError):
            raise InvalidInput({name: [_("Invalid integer")]}) from None

    def boolean(self, name: str, default: bool = False) -> bool:
        value = self.data.get(name, default)
        if isinstance(value, str):
            return value.lower() in {"true", "1", "yes", "on"}
        return bool(value)


def action(name: str, *, write: bool = False) -> Callable[[Action], Action]:
    def register(function: Action) -> Action:
        ACTIONS[name] = function
        if write:
            WRITE_ACTIONS.add(name)
        return function

    return register


def _help_url(request: HttpRequest, name: str) -> str:
    path = reverse("opendata_api:action", kwargs={"name": "help_show"})
    return request.build_absolute_uri(path) + f"?name={name}"


def _answer(
    request: HttpRequest, name: str, body: dict[str, Any], status: int = 200
) -> JsonResponse:
    return JsonResponse(
        {"help": _help_url(request, name), **body},
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )


def _error(request: HttpRequest, name: str, exc: OpendataError) -> JsonResponse:
    error: dict[str, Any] = {"__type": exc.ckan_type, "message": str(exc)}
    if isinstance(exc, InvalidInput):
        error.update(exc.fields)
    return _answer(request, name, {"success": False, "error": error}, status=exc.status)


def _parameters(request: HttpRequest) -> dict[str, Any]:
    if request.method == "GET":
        return {key: request.GET.get(key) for key in request.GET}
    content_type = request.content_type or ""
    if content_type.startswith("multipart/form-data"):
        guard_upload(request)
        data: dict[str, Any] = {key: request.POST.get(key) for key in request.POST}
        data.update({key: request.FILES[key] for key in request.FILES})
        return data
    if (
        content_type == "application/x-www-form-urlencoded"
        and request.body
        and not request.body.lstrip().startswith(b"{")
    ):
        return {key: request.POST.get(key) for key in request.POST}
    if not request.body:
        return {}
    try:
        parsed = json.loads(request.body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadRequest(_("Bad request - JSON Error: %(error)s") % {"error": exc}) from None
    if not isinstance(parsed, dict):
        raise BadRequest(_("Bad request - JSON Error: the body must be a JSON object."))
    return parsed


def _actor(request: HttpRequest) -> Actor:
    key = request.headers.get("Authorization") or request.headers.get("X-CKAN-API-Key") or ""
    key = key.removeprefix("Bearer ").strip()
    if not key:
        return ANONYMOUS
    token = token_for_key(key)
    if token is None:
        raise NotAuthorized(_("The API token is not valid (unknown or revoked)."))
    return Actor(user=token.user, token=token)


@csrf_exempt
def action_view(request: HttpRequest, name: str) -> JsonResponse:
    function = ACTIONS.get(name)
    try:
        if function is None:
            raise BadRequest(_("Bad request - Action name not known: %(name)s") % {"name": name})
        if request.method not in {"GET", "POST"}:
            raise BadRequest(_("Bad request - use GET or POST."))
        if name in WRITE_ACTIONS and request.method != "POST":
            raise BadRequest(_("Bad request - %(name)s changes data: use POST.") % {"name": name})
        actor = _actor(request)
        data = _parameters(request)
        result = function(Call(request, data, actor))
    except OpendataError as exc:
        return _error(request, name, exc)
    return _answer(request, name, {"success": True, "result": result})


# Reading ---------------------------------------------------------------------------------------


def _visible_dataset(call: Call, ref: str) -> Dataset:
    dataset = services.find_dataset(ref)
    if not can_read(call.actor, dataset):
        raise DatasetNotFound(_("Dataset not found."))
    return dataset


def _with_relations(dataset: Dataset) -> Dataset:
    return (
        Dataset.objects.select_related("agency")
        .prefetch_related("tags", "themes", "resources__tables")
        .get(pk=dataset.pk)
    )


def _names(call: Call, name: str) -> list[str] | None:
    """A list of column names: a JSON list, or names separated by commas (CKAN takes both)."""
    value = call.get(name)
    if value in (None, "", []):
        return None
    if isinstance(value, str) and not value.lstrip().startswith("["):
        return [part.strip() for part in value.split(",") if part.strip()]
    return _json_list(call, name)


def _json_list(call: Call, name: str) -> list[str]:
    value = call.get(name)
    if value in (None, ""):
        return []
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            value = [value]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise InvalidInput({name: [_("A JSON list of field names")]})
    return value


@action("package_search")
def package_search(call: Call) -> dict[str, Any]:
    queryset = readable(call.actor)
    include_private = call.boolean("include_private", False)
    include_drafts = call.boolean("include_drafts", False)
    if not include_private:
        queryset = queryset.filter(private=False)
    if not include_drafts:
        queryset = queryset.exclude(state=DatasetState.DRAFT)
    # Without private datasets and drafts everyone sees the same catalogue: shareable facets.
    public = not include_private and not include_drafts
    facet_fields = _json_list(call, "facet.field")
    found = selectors.search(
        queryset,
        q=str(call.get("q") or ""),
        fq=str(call.get("fq") or ""),
        sort=str(call.get("sort") or ""),
        rows=call.integer("rows", 10),
        start=call.integer("start", 0),
        facet_fields=facet_fields,
        facet_limit=_facet_limit(call),
        shared_scope="public" if public else "",
    )
    search_facets = {
        name: {
            "title": name,
            "items": [
                {"name": value, "display_name": label, "count": count}
                for value, label, count in items
            ],
        }
        for name, items in found.facets.items()
    }
    return {
        "count": found.count,
        "results": [package_dict(dataset, call.base_url) for dataset in found.datasets],
        "facets": {
            name: {value: count for value, _l, count in items}
            for name, items in found.facets.items()
        },
        "search_facets": search_facets,
        "sort": call.get("sort") or "metadata_modified desc",
    }


def _facet_limit(call: Call) -> int:
    """CKAN's facet.limit; -1 (or less) means "all", which we bound."""
    limit = call.integer("facet.limit", 50)
    return selectors.MAX_FACET_ITEMS if limit < 0 else min(limit, selectors.MAX_FACET_ITEMS)


@action("package_show")
def package_show(call: Call) -> dict[str, Any]:
    dataset = _visible_dataset(call, str(call.require("id")))
    return package_dict(_with_relations(dataset), call.base_url)


@action("package_list")
def package_list(call: Call) -> list[str]:
    names = Dataset.objects.public().order_by("name").values_list("name", flat=True)
    offset = call.integer("offset", 0)
    limit = call.integer("limit", 0) if call.get("limit") is not None else None
    if offset < 0 or (limit is not None and limit < 0):
        raise InvalidInput({"limit": [_("Must be a natural number")]})
    if limit is not None:
        return list(names[offset : offset + limit])
    return list(names[offset:])


@action("resource_show")
def resource_show(call: Call) -> dict[str, Any]:
    resource = _visible_resource(call, str(call.require("id")))
    return resource_dict(resource, call.base_url)


def _visible_resource(call: Call, ref: str) -> Resource:
    resource = None
    if services.is_uuid(ref):
        resource = Resource.objects.select_related("dataset__agency").filter(pk=ref).first()
    if resource is None or not can_read(call.actor, resource.dataset):
        raise DatasetNotFound(_("Resource not found."))
    return resource


def _public_counts() -> Any:
    return Dataset.objects.public()


@action("organization_list")
def organization_list(call: Call) -> list[Any]:
    agencies = (
        Agency.objects.current()
        .annotate(package_count=Count("datasets", filter=Q(datasets__in=_public_counts())))
        .order_by("code")
    )
    if call.boolean("all_fields"):
        return [organization_dict(a, package_count=a.package_count) for a in agencies]  # type: ignore[attr-defined]
    return [organization_dict(a)["name"] for a in agencies]


@action("organization_show")
def organization_show(call: Call) -> dict[str, Any]:
    agency = Agency.objects.filter(code=code_for_org(str(call.require("id")))).first()
    if agency is None:
        raise DatasetNotFound(_("Organization not found."))
    public = Dataset.objects.public().filter(agency=agency)
    data = organization_dict(agency, package_count=public.count())
    if call.boolean("include_datasets"):
        data["packages"] = [
            package_dict(d, call.base_url)
            for d in public.select_related("agency").prefetch_related(
                "tags", "themes", "resources__tables"
            )[:1000]
        ]
    return data


@action("group_list")
def group_list(call: Call) -> list[Any]:
    themes = Theme.objects.annotate(
        package_count=Count("dataset", filter=Q(dataset__in=_public_counts()))
    ).order_by("name")
    if call.boolean("all_fields"):
        return [group_dict(t, package_count=t.package_count) for t in themes]  # type: ignore[attr-defined]
    return [t.name for t in themes]


@action("tag_list")
def tag_list(call: Call) -> list[Any]:
    tags = Tag.objects.filter(dataset__in=_public_counts()).distinct().order_by("name")
    query = call.get("query")
    if query:
        tags = tags.filter(name__icontains=str(query))
    if call.boolean("all_fields"):
        return [{"id": t.name, "name": t.name, "display_name": t.name} for t in tags]
    return [t.name for t in tags]


@action("status_show")
def status_show(call: Call) -> dict[str, Any]:
    return {
        "ckan_version": CKAN_API_VERSION,
        "site_title": "Dữ liệu mở Đà Nẵng",
        "site_description": "Motcua open data",
        "site_url": call.base_url,
        "locale_default": "vi",
        "extensions": ["datastore", "dcat"],
    }


@action("help_show")
def help_show(call: Call) -> str:
    function = ACTIONS.get(str(call.require("name")))
    if function is None:
        raise DatasetNotFound(_("Action not found."))
    return (function.__doc__ or "").strip()


# Writing ---------------------------------------------------------------------------------------


def _form_data(package: dict[str, Any], *, existing: Dataset | None = None) -> dict[str, Any]:
    """CKAN's package dict as the fields of ``DatasetForm``."""
    title_translated = _mapping(package, "title_translated")
    notes_translated = _mapping(package, "notes_translated")
    owner = package.get("owner_org") or (existing.agency.code if existing else "")
    tags = package.get("tags") or []
    if isinstance(tags, str):
        tags = _parsed(tags, "tags") if tags.startswith("[") else tags.split(",")
    groups = package.get("groups") or []
    for name, value in (("tags", tags), ("groups", groups)):
        if not isinstance(value, list):
            raise InvalidInput({name: [_("A list of {name: …}")]})
    raw_extras = package.get("extras") or []
    if not isinstance(raw_extras, list):
        raise InvalidInput({"extras": [_("A list of {key: …, value: …}")]})
    extras = {str(e.get("key")): e.get("value") for e in raw_extras if isinstance(e, dict)}

    def own(name: str) -> Any:
        return package.get(name, extras.get(name, ""))

    private = package.get("private", False)
    return {
        "name": package.get("name") or "",
        "title": package.get("title") or title_translated.get("vi") or "",
        "title_en": own("title_en") or title_translated.get("en") or "",
        "notes": package.get("notes") or notes_translated.get("vi") or "",
        "notes_en": own("notes_en") or notes_translated.get("en") or "",
        "owner_org": code_for_org(str(owner)) if owner else "",
        "groups": [g.get("name") or g.get("id") for g in groups if isinstance(g, dict)],
        "tags": ",".join(str(t.get("name", "")) if isinstance(t, dict) else str(t) for t in tags),
        "license_id": package.get("license_id") or "cc-by",
        "frequency": own("frequency") or "",
        "temporal_start": own("temporal_start") or "",
        "temporal_end": own("temporal_end") or "",
        "spatial": own("spatial_text") or "",
        "maintainer": package.get("maintainer") or "",
        "maintainer_email": package.get("maintainer_email") or "",
        "version": package.get("version") or "",
        "private": "on" if str(private).lower() in {"true", "1", "on"} else "",
        "state": package.get("state") or DatasetState.ACTIVE,
    }


def _mapping(package: dict[str, Any], name: str) -> dict[str, str]:
    value = package.get(name) or {}
    if isinstance(value, str):
        value = _parsed(value, name)
    if not isinstance(value, dict):
        raise InvalidInput({name: [_("An object with vi and en")]})
    return {key: str(text) for key, text in value.items() if isinstance(text, str)}


def _parsed(text: str, name: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        raise InvalidInput({name: [_("Not valid JSON")]}) from None


def _dataset_values(
    call: Call, package: dict[str, Any], existing: Dataset | None = None
) -> dict[str, Any]:
    data = _form_data(package, existing=existing)
    form = DatasetForm(data)
    if not form.is_valid():
        errors = {name: [str(m) for m in messages] for name, messages in form.errors.items()}
        raise InvalidInput(errors)
    return form.cleaned_data


def _sync_resources(call: Call, dataset: Dataset, resources: list[Any]) -> None:
    for entry in resources:
        if not isinstance(entry, dict):
            raise InvalidInput({"resources": [_("A list of resources")]})
        values = services.validated(ResourceForm, {**entry, "format": _format_name(entry)})
        ref = str(entry.get("id") or "")
        existing = (
            Resource.objects.filter(dataset=dataset, pk=ref).first()
            if services.is_uuid(ref)
            else None
        )
        if existing is not None:
            if existing.is_upload and entry.get("url") and entry["url"].startswith(call.base_url):
                values["url"] = ""  # the download address of the file itself: keep the file
            services.update_resource(actor=call.actor, resource=existing, values=values)
        else:
            services.add_resource(actor=call.actor, dataset=dataset, values=values)


def _format_name(entry: dict[str, Any]) -> str:
    from .uploads import declared_format_only

    found = declared_format_only(entry.get("format"))
    return found.value if found else ""


@action("package_create", write=True)
def package_create(call: Call) -> dict[str, Any]:
    values = _dataset_values(call, call.data)
    dataset = services.create_dataset(actor=call.actor, values=values)
    resources = call.get("resources") or []
    if resources:
        _sync_resources(call, dataset, resources)
    return package_dict(_with_relations(dataset), call.base_url)


@action("package_update", write=True)
def package_update(call: Call) -> dict[str, Any]:
    dataset = _visible_dataset(call, str(call.get("id") or call.require("name")))
    values = _dataset_values(call, call.data, existing=dataset)
    dataset = services.update_dataset(actor=call.actor, dataset=dataset, values=values)
    if isinstance(call.get("resources"), list):
        _sync_resources(call, dataset, call.get("resources"))
    return package_dict(_with_relations(dataset), call.base_url)


@action("package_patch", write=True)
def package_patch(call: Call) -> dict[str, Any]:
    dataset = _visible_dataset(call, str(call.require("id")))
    current = package_dict(_with_relations(dataset), call.base_url)
    current.pop("extras", None)
    merged = {**current, **{k: v for k, v in call.data.items() if k != "id"}}
    values = _dataset_values(call, merged, existing=dataset)
    dataset = services.update_dataset(actor=call.actor, dataset=dataset, values=values)
    return package_dict(_with_relations(dataset), call.base_url)


@action("package_delete", write=True)
def package_delete(call: Call) -> None:
    dataset = _visible_dataset(call, str(call.require("id")))
    services.delete_dataset(actor=call.actor, dataset=dataset)
    return None


def _resource_values(call: Call) -> tuple[dict[str, Any], Any]:
    upload = call.get("upload")
    if upload is not None and not hasattr(upload, "chunks"):
        upload = None  # an empty upload field
    data = {
        "name": call.get("name")
        or (getattr(upload, "name", "") if upload else "")
        or call.get("url")
        or "",
        "description": call.get("description") or "",
        "format": _format_name(call.data),
        "url": "" if upload else (call.get("url") or ""),
    }
    return services.validated(ResourceForm, data), upload


@action("resource_create", write=True)
def resource_create(call: Call) -> dict[str, Any]:
    dataset = _visible_dataset(call, str(call.require("package_id")))
    values, upload = _resource_values(call)
    resource = services.add_resource(
        actor=call.actor, dataset=dataset, values=values, upload=upload
    )
    return resource_dict(
        Resource.objects.select_related("dataset").get(pk=resource.pk), call.base_url
    )


@action("resource_update", write=True)
def resource_update(call: Call) -> dict[str, Any]:
    resource = _visible_resource(call, str(call.require("id")))
    values, upload = _resource_values(call)
    if not upload and resource.is_upload and values.get("url", "").startswith(call.base_url):
        values["url"] = ""
    resource = services.update_resource(
        actor=call.actor, resource=resource, values=values, upload=upload
    )
    return resource_dict(
        Resource.objects.select_related("dataset").get(pk=resource.pk), call.base_url
    )


# The datastore ---------------------------------------------------------------------------------


@action("datastore_search")
def datastore_search(call: Call) -> dict[str, Any]:
    resource = _visible_resource(call, str(call.require("resource_id")))
    filters = call.get("filters") or {}
    if isinstance(filters, str):
        try:
            filters = json.loads(filters)
        except ValueError:
            raise InvalidInput({"filters": [_("A JSON object")]}) from None
    fields = _names(call, "fields")
    return datastore.search(
        resource,
        filters=filters,
        q=str(call.get("q") or ""),
        fields=fields,
        sort=str(call.get("sort") or ""),
        limit=call.integer("limit", 100),
        offset=call.integer("offset", 0),
        include_total=call.boolean("include_total", True),
        total_estimation_threshold=_estimation_threshold(call),
    )


def _estimation_threshold(call: Call) -> int | None:
    """CKAN's ``total_estimation_threshold``: the setting when absent, exact when null/empty."""
    if "total_estimation_threshold" not in call.data:
        return settings.MOTCUA_OPENDATA_TOTAL_ESTIMATION_THRESHOLD
    if call.data["total_estimation_threshold"] in (None, ""):
        return None
    threshold = call.integer("total_estimation_threshold", 0)
    if threshold < 0:
        raise SearchQueryError(_("total_estimation_threshold cannot be negative."))
    return threshold


@action("datastore_search_sql")
def datastore_search_sql(call: Call) -> dict[str, Any]:
    return datastore.search_sql(str(call.require("sql")), actor=call.actor)


@action("datastore_info")
def datastore_info(call: Call) -> dict[str, Any]:
    resource = _visible_resource(call, str(call.get("id") or call.require("resource_id")))
    return datastore.info(resource)
