"""Public agency pages: the tree and one agency with its desks and procedures.

Composed here, above both apps: an agency page lists the catalogue's procedures, and the
catalogue builds on agencies, so neither app imports the other for it.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from motcua.agencies.models import Agency, AgencyKind
from motcua.catalog.selectors import published_procedures


@require_GET
def agency_list(request: HttpRequest) -> HttpResponse:
    agencies = list(Agency.objects.current().order_by("code"))
    groups = [
        (label, [a for a in agencies if a.kind == kind]) for kind, label in AgencyKind.choices
    ]
    return render(request, "agencies/agency_list.html", {"groups": [g for g in groups if g[1]]})


@require_GET
def agency_detail(request: HttpRequest, code: str) -> HttpResponse:
    agency = get_object_or_404(Agency.objects.select_related("parent", "successor"), code=code)
    return render(
        request,
        "agencies/agency_detail.html",
        {
            "agency": agency,
            "ancestors": agency.ancestors(),
            "children": agency.children.order_by("code"),
            "desks": agency.desks.all(),
            "procedures": published_procedures().filter(agencies=agency).order_by("name"),
            "is_current": agency.is_current(),
        },
    )
