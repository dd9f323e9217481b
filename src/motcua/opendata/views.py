"""The open-data portal's pages: search, a dataset with its preview, downloads, DCAT, and the
steward's pages. Thin: each parses input, asks a selector or calls one service, renders."""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from motcua.accounts.access import officer_required
from motcua.agencies.models import Agency
from motcua.security import file_response

from . import datastore, dcat, previews, selectors, services
from .access import Actor, can_read, can_write, readable, steward_agency_ids
from .constants import MEDIA_TYPES
from .errors import OpendataError, UploadTooLarge
from .forms import ColumnForm, DatasetForm, ResourceForm
from .models import ApiToken, Dataset, Resource
from .uploads import guard_upload

PAGE_SIZE = 20
FACET_TITLES = {
    "organization": gettext_lazy("Agency"),
    "groups": gettext_lazy("Theme"),
    "res_format": gettext_lazy("Format"),
    "license_id": gettext_lazy("Licence"),
    "tags": gettext_lazy("Tag"),
}


def _actor(request: HttpRequest) -> Actor:
    return Actor(user=request.user) if request.user.is_authenticated else Actor()


@require_GET
def search_page(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "")[:200]
    chosen = {name: request.GET.getlist(name) for name in FACET_TITLES if request.GET.getlist(name)}
    fq = " AND ".join(
        f'{name}:"{value}"'
        for name, values in chosen.items()
        for value in values
        if '"' not in value
    )
    try:
        page_number = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        page_number = 1
    found = selectors.search(
        Dataset.objects.public(),
        q=q,
        fq=fq,
        sort=request.GET.get("sort", "")
        if request.GET.get("sort") in {"name asc", "metadata_modified desc"}
        else "",
        rows=PAGE_SIZE,
        start=(page_number - 1) * PAGE_SIZE,
        facet_fields=list(FACET_TITLES),
        facet_limit=10,
        shared_scope="public",
    )
    facet_groups = []
    for name, items in found.facets.items():
        entries = []
        for value, label, count in items:
            selected = value in chosen.get(name, [])
            params = [(k, v) for k in chosen for v in chosen[k] if not (k == name and v == value)]
            if not selected:
                params.append((name, value))
            if q:
                params.append(("q", q))
            entries.append(
                {
                    "label": label,
                    "count": count,
                    "selected": selected,
                    "href": "?" + urlencode(params),
                }
            )
        facet_groups.append({"name": name, "title": FACET_TITLES[name], "entries": entries})
    pages = max(1, -(-found.count // PAGE_SIZE))
    base = [(k, v) for k in chosen for v in chosen[k]] + ([("q", q)] if q else [])
    share = selectors.publishing_share()
    return render(
        request,
        "opendata/search.html",
        {
            "q": q,
            "count": found.count,
            "datasets": found.datasets,
            "facet_groups": facet_groups,
            "page": page_number,
            "pages": pages,
            "previous_href": "?" + urlencode([*base, ("page", page_number - 1)])
            if page_number > 1
            else "",
            "next_href": "?" + urlencode([*base, ("page", page_number + 1)])
            if page_number < pages
            else "",
            "publishing": share.publishing,
            "agencies_total": share.agencies,
            "publishing_share": share.percent,
        },
    )


def _dataset_for(request: HttpRequest, name: str) -> Dataset:
    try:
        dataset = services.find_dataset(name)
    except OpendataError:
        raise Http404 from None
    if not can_read(_actor(request), dataset):
        raise Http404
    return dataset


@require_GET
def dataset_page(request: HttpRequest, name: str) -> HttpResponse:
    dataset = _dataset_for(request, name)
    Dataset.objects.filter(pk=dataset.pk).update(view_count=F("view_count") + 1)
    dataset.view_count += 1  # this visit counts too
    resources = []
    for resource in dataset.resources.all():
        preview = None
        table = datastore.live_table(resource)
        if table is not None:
            preview = datastore.search(resource, filters={}, limit=10)
        resources.append(
            {
                "resource": resource,
                "url": _download_path(resource) if resource.is_upload else resource.url,
                "preview": preview,
                "chart": previews.bar_chart(preview),
                "geo": previews.geojson_preview(resource),
                "load": datastore.latest_table(resource),
            }
        )
    api_base = request.build_absolute_uri(
        reverse("opendata_api:action", kwargs={"name": "package_show"})
    )
    return render(
        request,
        "opendata/dataset.html",
        {
            "dataset": dataset,
            "resources": resources,
            "api_show": f"{api_base}?id={dataset.name}",
            "api_datastore": request.build_absolute_uri(
                reverse("opendata_api:action", kwargs={"name": "datastore_search"})
            ),
            "may_edit": can_write(_actor(request), dataset),
            "tags": dataset.tags.all(),
            "themes": dataset.themes.all(),
            "map_tiles": settings.MOTCUA_MAP_TILE_URL,
            "has_map": bool(settings.MOTCUA_MAP_TILE_URL) and any(r["geo"] for r in resources),
            "map_attribution": settings.MOTCUA_MAP_ATTRIBUTION,
        },
    )


def _download_path(resource: Resource) -> str:
    return reverse(
        "opendata:download",
        kwargs={
            "name": resource.dataset.name,
            "resource_id": resource.pk,
            "filename": resource.file.name.rsplit("/", 1)[-1],
        },
    )


@require_GET
def download(
    request: HttpRequest, name: str, resource_id: uuid.UUID, filename: str
) -> HttpResponse:
    dataset = _dataset_for(request, name)
    resource = get_object_or_404(Resource, pk=resource_id, dataset=dataset)
    if not resource.is_upload:
        return redirect(resource.url)
    Resource.objects.filter(pk=resource.pk).update(download_count=F("download_count") + 1)
    response = file_response(
        resource.file.open("rb"),
        filename=filename,
        content_type=MEDIA_TYPES.get(resource.format, "application/octet-stream"),  # type: ignore[call-overload]
    )
    if dataset.is_public:
        response["Cache-Control"] = "public, max-age=300"
    return response


def _rdf(graph: Any, extension: str) -> HttpResponse:
    if extension not in dcat.FORMATS:
        raise Http404
    rdf_format, media_type = dcat.FORMATS[extension]
    return HttpResponse(
        graph.serialize(format=rdf_format), content_type=f"{media_type}; charset=utf-8"
    )


@require_GET
def catalog_rdf(request: HttpRequest, extension: str) -> HttpResponse:
    try:
        page = int(request.GET.get("page", "1"))
    except ValueError:
        page = 1
    base = dcat._base() + reverse("opendata:catalog_rdf", kwargs={"extension": extension})
    graph = dcat.catalog_graph(page=page, page_url=lambda n: f"{base}?page={n}")
    return _rdf(graph, extension)


@require_GET
def dataset_rdf(request: HttpRequest, name: str, extension: str) -> HttpResponse:
    dataset = _dataset_for(request, name)
    if not dataset.is_public:
        raise Http404  # harvesters describe what is public, whoever asks
    return _rdf(dcat.dataset_graph(dataset), extension)


# The steward's pages ---------------------------------------------------------------------------


def _steward_only(request: HttpRequest) -> set[int]:
    agencies = steward_agency_ids(request.user)
    if not agencies:
        raise Http404
    return agencies


@officer_required
@require_GET
def steward_home(request: HttpRequest) -> HttpResponse:
    agencies = _steward_only(request)
    datasets = Paginator(
        readable(_actor(request))
        .filter(agency_id__in=agencies)
        .select_related("agency")
        .order_by("-modified_at"),
        50,
    ).get_page(request.GET.get("page"))
    tokens = ApiToken.objects.filter(
        user_id=int(request.user.pk or 0), revoked_at__isnull=True
    ).select_related("agency", "dataset")
    return render(
        request,
        "opendata/steward_home.html",
        {
            "datasets": datasets,
            "tokens": tokens,
            "agencies": Agency.objects.filter(pk__in=agencies),
            "new_key": request.session.pop("opendata_new_key", None),
        },
    )


def _agency_choices(form: DatasetForm, agencies: set[int]) -> None:
    form.fields["owner_org"].queryset = Agency.objects.filter(pk__in=agencies)  # type: ignore[attr-defined]


@officer_required
@require_http_methods(["GET", "POST"])
def dataset_create(request: HttpRequest) -> HttpResponse:
    agencies = _steward_only(request)
    form = DatasetForm(request.POST or None, initial={"license_id": "cc-by", "state": "active"})
    _agency_choices(form, agencies)
    if request.method == "POST" and form.is_valid():
        try:
            dataset = services.create_dataset(actor=_actor(request), values=form.cleaned_data)
        except OpendataError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("The dataset was created."))
            return redirect("opendata:dataset", name=dataset.name)
    return render(
        request, "opendata/dataset_form.html", {"form": form}, status=400 if form.errors else 200
    )


def _form_error(form: Any, exc: OpendataError) -> None:
    fields = getattr(exc, "fields", None)
    if fields:
        for name, problems in fields.items():
            form.add_error(name if name in form.fields else None, " ".join(problems))
    else:
        form.add_error(None, str(exc))


def _initial(dataset: Dataset) -> dict[str, Any]:
    return {
        "name": dataset.name,
        "title": dataset.title,
        "title_en": dataset.title_en,
        "notes": dataset.notes,
        "notes_en": dataset.notes_en,
        "owner_org": dataset.agency.code,
        "groups": list(dataset.themes.all()),
        "tags": ", ".join(tag.name for tag in dataset.tags.all()),
        "license_id": dataset.licence_id,
        "frequency": dataset.frequency,
        "temporal_start": dataset.temporal_start,
        "temporal_end": dataset.temporal_end,
        "spatial": dataset.spatial,
        "maintainer": dataset.contact_name,
        "maintainer_email": dataset.contact_email,
        "version": dataset.version,
        "private": dataset.private,
        "state": dataset.state,
    }


@officer_required
@require_http_methods(["GET", "POST"])
def dataset_edit(request: HttpRequest, name: str) -> HttpResponse:
    agencies = _steward_only(request)
    dataset = _dataset_for(request, name)
    if not can_write(_actor(request), dataset):
        raise Http404
    form = DatasetForm(request.POST or None, initial=_initial(dataset))
    _agency_choices(form, agencies)
    if request.method == "POST" and form.is_valid():
        try:
            dataset = services.update_dataset(
                actor=_actor(request), dataset=dataset, values=form.cleaned_data
            )
        except OpendataError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("The dataset was saved."))
            return redirect("opendata:dataset", name=dataset.name)
    return render(
        request,
        "opendata/dataset_form.html",
        {"form": form, "dataset": dataset},
        status=400 if form.errors else 200,
    )


@csrf_exempt  # checked by _resource_add, once the upload's size limit is in place
@officer_required
@require_http_methods(["GET", "POST"])
def resource_add(request: HttpRequest, name: str) -> HttpResponse:
    # The CSRF check reads the form, which reads the upload: the size limit's handler must be
    # set before it (Django refuses to change the handlers of a read upload).
    try:
        guard_upload(request)
        return _resource_add(request, name)
    except UploadTooLarge as exc:  # declared too large, or found so while the check read it
        return _refused_upload(request, name, exc)


def _refused_upload(request: HttpRequest, name: str, exc: OpendataError) -> HttpResponse:
    """Over the size limit before anything was read: the page again, saying so (the form's
    other answers cannot be read without reading the upload)."""
    _steward_only(request)
    dataset = _dataset_for(request, name)
    if not can_write(_actor(request), dataset):
        raise Http404
    form = ResourceForm(data={})
    form.is_valid()
    form.errors.clear()  # only the upload is wrong; nothing else could be read
    form.add_error("upload", str(exc))
    return render(
        request, "opendata/resource_form.html", {"form": form, "dataset": dataset}, status=400
    )


@csrf_protect
def _resource_add(request: HttpRequest, name: str) -> HttpResponse:
    _steward_only(request)
    dataset = _dataset_for(request, name)
    if not can_write(_actor(request), dataset):
        raise Http404
    form = ResourceForm()
    if request.method == "POST":
        try:
            form = ResourceForm(request.POST, request.FILES)
            if form.is_valid():
                upload = form.cleaned_data.pop("upload")
                services.add_resource(
                    actor=_actor(request), dataset=dataset, values=form.cleaned_data, upload=upload
                )
                messages.success(request, _("The resource was added."))
                return redirect("opendata:dataset", name=dataset.name)
        except OpendataError as exc:
            form = ResourceForm(request.POST) if form.is_bound is False else form
            _form_error(form, exc)
    return render(
        request,
        "opendata/resource_form.html",
        {"form": form, "dataset": dataset},
        status=400 if form.errors else 200,
    )


@officer_required
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    agencies = _steward_only(request)
    agency = Agency.objects.filter(pk__in=agencies, code=request.POST.get("agency", "")).first()
    if agency is None:
        messages.error(request, _("Choose one of your agencies."))
        return redirect("opendata:steward_home")
    _token, key = services.issue_token(
        user=request.user, name=request.POST.get("name", ""), agency=agency
    )
    request.session["opendata_new_key"] = key
    return redirect("opendata:steward_home")


@officer_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=token_id, user_id=int(request.user.pk or 0))
    services.revoke_token(user=request.user, token=token)
    messages.success(request, _("The token was revoked."))
    return redirect("opendata:steward_home")


@officer_required
@require_http_methods(["GET", "POST"])
def dictionary_edit(request: HttpRequest, resource_id: uuid.UUID) -> HttpResponse:
    """The steward's data dictionary: a type, label, description and unit per column."""
    _steward_only(request)
    resource = get_object_or_404(Resource.objects.select_related("dataset__agency"), pk=resource_id)
    if not can_write(_actor(request), resource.dataset):
        raise Http404
    table = datastore.live_table(resource)
    if table is None:
        raise Http404
    columns = [
        (
            field["id"],
            ColumnForm(
                request.POST or None,
                prefix=f"c{position}",
                initial={"type": field["type"], **field.get("info", {})},
            ),
        )
        for position, field in enumerate(table.fields)
    ]
    if request.method == "POST" and all(form.is_valid() for _name, form in columns):
        entries = [
            {
                "id": name,
                "type": form.cleaned_data["type"],
                "info": {key: form.cleaned_data[key] for key in ("label", "notes", "unit")},
            }
            for name, form in columns
        ]
        try:
            datastore.edit_dictionary(actor=_actor(request), resource=resource, fields=entries)
        except OpendataError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The data dictionary was saved."))
            return redirect("opendata:dataset", name=resource.dataset.name)
    return render(
        request,
        "opendata/dictionary_form.html",
        {"resource": resource, "columns": columns},
        status=400 if request.method == "POST" else 200,
    )
