"""Public catalogue pages: the searchable list and one procedure (printable)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from motcua.accounts.acting import acting_business

from .cache import ResultPage, catalog_cache
from .forms import CatalogFilterForm
from .selectors import (
    filter_procedures,
    procedure_list_rows,
    published_procedures,
    search_key,
    search_procedures,
)
from .services import eligibility_problem

PAGE_SIZE = 20
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
    catalog = catalog_cache()
    form = CatalogFilterForm(request.GET or None, catalog=catalog)
    filters_open = any(request.GET.get(name) for name in FILTER_NAMES)
    if request.GET and not form.is_valid():
        # Refuse bad filters with a message next to each, keeping what was typed.
        return render(
            request,
            "catalog/procedure_list.html",
            {"form": form, "filters_open": True},
            status=400,
        )
    filters = form.cleaned_data if request.GET else {}
    number = filters.get("page") or 1
    language = get_language()
    page = catalog.remember(
        "page",
        {**search_key(filters), "page": number, "language": language},
        lambda: _result_page(filters, number),
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "catalog/procedure_list.html",
        {
            "form": form,
            "page": page,
            "query_string": query.urlencode(),
            "filters_open": filters_open,
        },
    )


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


@require_GET
def procedure_detail(request: HttpRequest, code: str) -> HttpResponse:
    procedure = get_object_or_404(
        published_procedures().prefetch_related("agencies", "cases__components", "cases__steps"),
        code=code,
    )
    agencies = list(procedure.agencies.all())
    return render(
        request,
        "catalog/procedure_detail.html",
        {
            "procedure": procedure,
            "agencies": agencies[:12],
            "agency_count": len(agencies),
        },
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
