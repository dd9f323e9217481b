from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from motcua.accounts.access import active_memberships, officer_required


@officer_required
def home(request: HttpRequest) -> HttpResponse:
    roles = active_memberships(request.user).select_related("agency", "desk")
    return render(request, "backoffice/home.html", {"roles": list(roles)})
