"""The administrator's page: the synchronisation indicator per agency, and resending."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_GET, require_POST

from motcua.accounts.middleware import needs_second_factor, redirect_to_second_factor
from motcua.accounts.models import User

from . import selectors, services
from .access import check_administrator
from .client import selected_identifier
from .forms import PeriodForm
from .models import CatalogueImport, SyncItem

# The site menu's link to the report (templates/includes/site_nav.html), translated here.
MENU_LABEL = gettext_noop("National portal sync")


def administrator_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if needs_second_factor(request):
            return redirect_to_second_factor(request)
        check_administrator(request.user)
        return view(request, *args, **kwargs)

    return wrapper


@require_GET
@administrator_required
def report(request: HttpRequest) -> HttpResponse:
    form = PeriodForm(request.GET or None)
    if request.GET and not form.is_valid():
        return render(request, "nationalportal/report.html", {"form": form}, status=400)
    if not request.GET:
        form = PeriodForm({})
    return render(request, "nationalportal/report.html", _report_context(form))


def _report_context(form: PeriodForm) -> dict[str, Any]:
    form.is_valid()
    start, end = form.bounds()
    return {
        "form": form,
        "rows": selectors.by_agency(start, end),
        "refused": selectors.refused()[:200],
        "client": selected_identifier(),
        "show": True,
        "imports": CatalogueImport.objects.select_related("asked_by")[:5],
        "never_introduced": services.never_introduced().count(),
    }


@require_POST
@administrator_required
def backfill(request: HttpRequest) -> HttpResponse:
    """Queue the dossiers never introduced to the portal (filed before the synchronisation);
    the worker does it."""
    assert isinstance(request.user, User)  # administrator_required signed them in
    services.ask_backfill(user=request.user)
    messages.success(
        request,
        _("The dossiers filed before the synchronisation are being queued by the worker."),
    )
    return redirect(reverse("nationalportal:report") + "#backfill")


@require_POST
@administrator_required
def import_catalogue(request: HttpRequest) -> HttpResponse:
    """Ask for the catalogue to be imported from the national database (the worker runs it)."""
    assert isinstance(request.user, User)  # administrator_required signed them in
    services.ask_catalogue_import(user=request.user)
    messages.success(
        request,
        _("The catalogue is being updated from the national database; its result shows below."),
    )
    return redirect(reverse("nationalportal:report") + "#catalogue")


@require_POST
@administrator_required
def resend(request: HttpRequest, item_id: int) -> HttpResponse:
    item = get_object_or_404(SyncItem, pk=item_id)
    assert isinstance(request.user, User)  # administrator_required signed them in
    services.resend(item=item, user=request.user)
    messages.success(
        request, _("The change of dossier %(code)s is sent again.") % {"code": item.dossier}
    )
    return redirect("nationalportal:report")
