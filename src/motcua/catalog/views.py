"""Public catalogue pages: the searchable list and one procedure (printable)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from motcua.accounts.acting import acting_business

from .cache import CatalogCache, ResultPage, catalog_cache
from .forms import CatalogFilterForm
from .models import Procedure, ServiceKind
from .panels import procedure_panels
from .selectors import (
    close_procedures,
    filter_procedures,
    procedure_list_rows,
    published_procedures,
    search_key,
    search_procedures,
)
from .services import eligibility_problem

PAGE_SIZE = 20
LIST_PAGE = "catalog/procedure_list.html"
LIST_CONTENT = "catalog/includes/procedure_list_content.html"
PROCEDURE_TOP = "catalog/includes/procedure_top.html"
PROCEDURE_BOTTOM = "catalog/includes/procedure_bottom.html"
FILTER_NAMES = (
    "field",
    "agency",
    "agency_level",
    "online_level",
    "service_kind",
    "applicant_type",
)


@require_GET
def procedure_list(request: HttpRequest) -> HttpResponse:
    catalog = catalog_cache(request)
    # Everything in the content follows from the query string (the form echoes it back). Only
    # valid query strings are stored, so what is found needs no second check.
    content_key = {"query": sorted(request.GET.lists()), "language": get_language()}
    content = catalog.find("list-content", content_key)
    if content is None:
        form = CatalogFilterForm(request.GET or None, catalog=catalog)
        if request.GET and not form.is_valid():
            # Refuse bad filters with a message next to each, keeping what was typed.
            content = render_to_string(LIST_CONTENT, {"form": form, "filters_open": True})
            return render(request, LIST_PAGE, {"content": content}, status=400)
        content = _list_content(request, form, form.cleaned_data if request.GET else {}, catalog)
        catalog.store("list-content", content_key, content)
    return render(request, LIST_PAGE, {"content": content})


def _list_content(
    request: HttpRequest,
    form: CatalogFilterForm,
    filters: dict[str, Any],
    catalog: CatalogCache,
) -> SafeString:
    number = filters.get("page") or 1
    page = catalog.remember(
        "page",
        {**search_key(filters), "page": number, "language": get_language()},
        lambda: _result_page(filters, number),
    )
    query = request.GET.copy()
    query.pop("page", None)
    # Nothing found: say where else to look (close procedures here, the national portal).
    suggestions = close_procedures(filters) if page.count == 0 else []
    return render_to_string(
        LIST_CONTENT,
        {
            "form": form,
            "page": page,
            "query_string": query.urlencode(),
            "filters_open": any(request.GET.get(name) for name in FILTER_NAMES),
            "kind_tabs": _kind_tabs(request, filters.get("service_kind") or ""),
            "suggestions": suggestions,
            "national_portal": settings.MOTCUA_NATIONAL_PORTAL_URL,
        },
    )


def _kind_tabs(request: HttpRequest, current: str) -> list[dict[str, Any]]:
    """One link per kind of service, keeping the other filters: residents look for public
    non-business services (schools, hospitals, utilities) apart from administrative
    procedures (DOMAIN.md §2)."""
    tabs = []
    for value, label in [("", _("All kinds")), *ServiceKind.choices]:
        query = request.GET.copy()
        query.pop("page", None)
        query.pop("service_kind", None)
        if value:
            query["service_kind"] = value
        tabs.append({"label": label, "query": query.urlencode(), "current": value == current})
    return tabs


def _result_page(filters: dict[str, Any], number: int) -> ResultPage:
    """One page of results, rendered: what the cache keeps for the HTML list."""
    procedures = search_procedures(
        filter_procedures(procedure_list_rows(published_procedures()), filters),
        filters.get("q") or "",
    )
    page = Paginator(procedures, PAGE_SIZE).get_page(number)
    rows = render_to_string(
        "catalog/includes/result_list.html", {"page": page, "LANGUAGE_CODE": get_language()}
    )
    return ResultPage(
        rows=rows,  # SafeString: it stays one through the cache's pickling
        count=page.paginator.count,
        number=page.number,
        num_pages=page.paginator.num_pages,
        per_page=PAGE_SIZE,
    )


@dataclass(frozen=True)
class ProcedurePage:
    """A procedure page as cached: the rendered parts above and below the panels, and the
    procedure (without its related rows) that the panels are given."""

    procedure: Procedure
    top: SafeString
    bottom: SafeString

    @property
    def name(self) -> str:
        return self.procedure.name


@require_GET
def procedure_detail(request: HttpRequest, code: str) -> HttpResponse:
    # What the catalogue says is rendered once per catalogue version and language; the panels
    # (listening, …) change on their own and are rendered on each request.
    page = catalog_cache(request).remember(
        "procedure-page",
        {"code": code, "language": get_language()},
        lambda: _procedure_page(request, code),
    )
    return render(
        request,
        "catalog/procedure_detail.html",
        {"page": page, "panels": procedure_panels.shown(request, page.procedure)},
    )


def _procedure_page(request: HttpRequest, code: str) -> ProcedurePage:
    procedure = get_object_or_404(
        published_procedures().prefetch_related("agencies", "cases__components", "cases__steps"),
        code=code,
    )
    agencies = list(procedure.agencies.all())
    context = {"procedure": procedure, "agencies": agencies[:12], "agency_count": len(agencies)}
    return ProcedurePage(
        procedure=published_procedures().get(pk=procedure.pk),  # small to keep: no related rows
        top=render_to_string(PROCEDURE_TOP, context, request),
        bottom=render_to_string(PROCEDURE_BOTTOM, context, request),
    )


@login_required
@require_GET
def apply(request: HttpRequest, code: str) -> HttpResponse:
    """Start filing online: who may file this procedure, checked before any form is shown."""
    procedure = get_object_or_404(
        published_procedures().prefetch_related("cases__components"), code=code
    )
    problem = eligibility_problem(
        user=request.user,  # type: ignore[arg-type]
        procedure=procedure,
        acting_for=acting_business(request),
    )
    return render(
        request,
        "catalog/apply.html",
        {"procedure": procedure, "problem": problem},
        status=403 if problem else 200,
    )
