from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from motcua.accounts.access import active_memberships, officer_required
from motcua.accounts.models import OfficerRole


@officer_required
def home(request: HttpRequest) -> HttpResponse:
    roles = list(active_memberships(request.user).select_related("agency", "desk"))
    designs_forms = any(role.role == OfficerRole.FORM_DESIGNER for role in roles)
    return render(request, "backoffice/home.html", {"roles": roles, "designs_forms": designs_forms})
