from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.accounts.models import User
from motcua.dossiers.access import can_view
from motcua.dossiers.models import Dossier
from motcua.errors import DomainError

from . import services
from .forms import RatingForm


@login_required
@require_POST
def rate(request: HttpRequest, code: str) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    dossier = get_object_or_404(Dossier, code=code)
    if not can_view(user, dossier):
        raise Http404
    form = RatingForm(request.POST)
    problem = ""
    if form.is_valid():
        try:
            services.rate(
                dossier=dossier,
                user=user,
                value=form.cleaned_data["value"],
                comment=form.cleaned_data["comment"],
                answers=form.answers(),
            )
        except DomainError as exc:
            problem = str(exc)
        else:
            messages.success(request, _("Thank you: your rating was recorded."))
            return redirect("dossiers:detail", code=dossier.code)
    # What was typed comes back with the error, on a page of its own.
    return render(
        request,
        "feedback/rate.html",
        {"dossier": dossier, "form": form, "problem": problem},
        status=400,
    )
