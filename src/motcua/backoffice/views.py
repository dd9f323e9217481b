from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .access import active_roles, officer_required


@officer_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "backoffice/home.html", {"roles": active_roles(request.user)})
