"""Home page and the error pages."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET
from django.views.i18n import set_language

from motcua.catalog.cache import catalog_cache
from motcua.catalog.forms import CatalogFilterForm
from motcua.catalog.models import Field, OnlineLevel, Procedure, ServiceKind
from motcua.opendata import selectors as opendata_selectors

HOME_CONTENT = "portal/includes/home_content.html"

# Choosing a language sets only the visitor's own language cookie: a forged request could at
# worst show someone the other language. Without a token in the menu's language switch, pages
# with no form of their own need none: no CSRF cookie made and set on every anonymous page.
switch_language = csrf_exempt(set_language)


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    # The content follows from the catalogue alone: rendered once per catalogue version and
    # language, the page then costs what its frame costs.
    content = catalog_cache(request).remember(
        "home-content",
        {"language": get_language()},
        lambda: render_to_string(HOME_CONTENT, _home_context(), request),
    )
    # counted apart from the cached content: it follows datasets, not the catalogue
    open_data = opendata_selectors.publishing_share()
    return render(request, "portal/home.html", {"content": content, "open_data": open_data})


def _home_context() -> dict[str, Any]:
    published = Procedure.objects.published()
    fields = (
        Field.objects.annotate(
            procedure_count=Count("procedures", filter=Q(procedures__status="published"))
        )
        .filter(procedure_count__gt=0)
        .order_by("name")
    )
    counts = dict(
        published.order_by()
        .values_list("service_kind")
        .annotate(count=Count("pk"))
        .values_list("service_kind", "count")
    )
    # The resolution counts public non-business services and Party procedures too.
    kinds = [
        {"value": value, "label": label, "count": counts[value]}
        for value, label in ServiceKind.choices
        if counts.get(value)
    ]
    return {
        "form": CatalogFilterForm(),
        "fields": fields,
        "kinds": kinds,
        "procedure_count": published.count(),
        "full_online_count": published.filter(online_level=OnlineLevel.FULL).count(),
    }


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)
