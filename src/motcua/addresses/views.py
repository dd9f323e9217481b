"""Pages of digital addresses: the ward officer's register, the citizen's own address, and
the public look-up. Thin: a form, one service or selector, a template (ADR 0008)."""

from __future__ import annotations

from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from motcua.accounts.access import officer_required
from motcua.accounts.models import User
from motcua.errors import DomainError

from . import access, selectors, services, wards
from .errors import ImportRefused, PossibleDuplicate
from .forms import (
    ConfirmForm,
    CorrectionForm,
    DecisionForm,
    HouseholdForm,
    ImportForm,
    PlaceForm,
    SearchForm,
)
from .models import Correction, CorrectionStatus, Place, Scheme


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _officer_wards(request: HttpRequest) -> set[int]:
    codes = access.officer_ward_codes(request.user)
    if not codes:
        raise Http404  # officers of other agencies: no register to show
    return codes


def _managed_place(request: HttpRequest, code: str) -> Place:
    place = get_object_or_404(Place, code=code)
    if place.ward_code not in _officer_wards(request):
        raise Http404
    return place


def map_context(latitude: float | None = None, longitude: float | None = None) -> dict[str, Any]:
    return {
        "map_tiles": settings.MOTCUA_MAP_TILE_URL,
        "map_attribution": settings.MOTCUA_MAP_ATTRIBUTION,
        "map_latitude": latitude,
        "map_longitude": longitude,
    }


def describe(place: Place) -> dict[str, Any]:
    """What a page shows of a place besides its fields: ward name, short plus code."""
    ward = wards.ward(place.ward_code)
    return {
        "ward_name": ward.name if ward else str(place.ward_code),
        "short_plus_code": selectors.short_plus_code(place),
        "province_name": wards.province_name(place.province_code),
    }


# --- the ward officer -----------------------------------------------------------------------


@officer_required
@require_GET
def officer_places(request: HttpRequest) -> HttpResponse:
    codes = _officer_wards(request)
    form = SearchForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    page = Paginator(selectors.ward_places(codes, query), 30).get_page(request.GET.get("page"))
    pending = Correction.objects.filter(
        place__ward_code__in=codes, status=CorrectionStatus.PENDING
    ).count()
    return render(
        request,
        "addresses/officer_places.html",
        {
            "form": form,
            "page": page,
            "wards": [wards.ward(code) for code in sorted(codes)],
            "pending": pending,
        },
    )


@officer_required
@require_http_methods(["GET", "POST"])
def officer_place_new(request: HttpRequest) -> HttpResponse:
    codes = _officer_wards(request)
    form = PlaceForm(request.POST or None, ward_codes=codes)
    candidates: list[Place] = []
    problem = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            place = services.create_place(
                officer=_user(request),
                data=services.PlaceInput(
                    ward_code=data["ward"],
                    street=data["street"],
                    house_number=data["house_number"],
                    latitude=data["latitude"],
                    longitude=data["longitude"],
                    former_ward_name=data["former_ward"],
                    identifiers={
                        Scheme.VPOSTCODE: data["vpostcode"],
                        Scheme.NATIONAL: data["national_code"],
                    },
                ),
                allow_duplicate=data["create_anyway"],
            )
        except PossibleDuplicate as exc:
            problem, candidates = str(exc), exc.candidates
        except DomainError as exc:
            problem = str(exc)
        else:
            messages.success(
                request,
                _("Place recorded: digital address %(code)s, plus code %(plus)s.")
                % {"code": place.code, "plus": place.plus_code},
            )
            return redirect("addresses:officer_place", code=place.code)
    first = wards.ward(min(codes))
    return render(
        request,
        "addresses/officer_place_new.html",
        {
            "form": form,
            "problem": problem,
            "candidates": candidates,
            **map_context(first.latitude if first else None, first.longitude if first else None),
        },
        status=400 if request.method == "POST" else 200,
    )


def _place_page(
    request: HttpRequest,
    place: Place,
    *,
    confirm_form: ConfirmForm | None = None,
    household_form: HouseholdForm | None = None,
    problem: str = "",
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "addresses/officer_place.html",
        {
            "place": place,
            **describe(place),
            "events": place.events.select_related("actor"),
            "identifiers": place.identifiers.order_by("scheme"),
            "households": place.households.filter(ended_at=None).prefetch_related("members__user"),
            "confirm_form": confirm_form
            or ConfirmForm(initial={"latitude": place.latitude, "longitude": place.longitude}),
            "household_form": household_form or HouseholdForm(),
            "problem": problem,
            **map_context(place.latitude, place.longitude),
        },
        status=status,
    )


@officer_required
@require_GET
def officer_place(request: HttpRequest, code: str) -> HttpResponse:
    return _place_page(request, _managed_place(request, code))


@officer_required
@require_POST
def officer_place_confirm(request: HttpRequest, code: str) -> HttpResponse:
    place = _managed_place(request, code)
    form = ConfirmForm(request.POST)
    if form.is_valid():
        try:
            services.confirm_place(
                officer=_user(request),
                place=place,
                latitude=form.cleaned_data["latitude"],
                longitude=form.cleaned_data["longitude"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            return _place_page(request, place, confirm_form=form, problem=str(exc), status=400)
        messages.success(request, _("The place is confirmed."))
        return redirect("addresses:officer_place", code=place.code)
    return _place_page(request, place, confirm_form=form, status=400)


@officer_required
@require_POST
def officer_household_new(request: HttpRequest, code: str) -> HttpResponse:
    place = _managed_place(request, code)
    form = HouseholdForm(request.POST)
    if form.is_valid():
        try:
            services.create_household(
                officer=_user(request),
                place=place,
                head=form.cleaned_data["head"],
                members=form.cleaned_data["members"],
            )
        except DomainError as exc:
            return _place_page(request, place, household_form=form, problem=str(exc), status=400)
        messages.success(request, _("The household is recorded at this place."))
        return redirect("addresses:officer_place", code=place.code)
    return _place_page(request, place, household_form=form, status=400)


@officer_required
@require_http_methods(["GET", "POST"])
def officer_import(request: HttpRequest) -> HttpResponse:
    _officer_wards(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: list[tuple[int, str, str]] = []
    problem = ""
    if request.method == "POST" and form.is_valid():
        try:
            created = services.import_places(officer=_user(request), text=form.cleaned_data["file"])
        except ImportRefused as exc:
            problem, problems = str(exc), exc.problems
        else:
            messages.success(
                request,
                _("%(count)d place(s) imported, to be confirmed on the map.")
                % {"count": len(created)},
            )
            return redirect("addresses:officer_places")
    return render(
        request,
        "addresses/officer_import.html",
        {"form": form, "problems": problems, "problem": problem},
        status=400 if request.method == "POST" else 200,
    )


@officer_required
@require_GET
def officer_corrections(request: HttpRequest) -> HttpResponse:
    codes = _officer_wards(request)
    pending = (
        Correction.objects.filter(place__ward_code__in=codes, status=CorrectionStatus.PENDING)
        .select_related("place", "requested_by")
        .order_by("requested_at")
    )
    return render(request, "addresses/officer_corrections.html", {"corrections": pending})


@officer_required
@require_POST
def officer_correction_decide(request: HttpRequest, pk: int) -> HttpResponse:
    correction = get_object_or_404(Correction, pk=pk)
    _managed_place(request, correction.place.code)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        raise Http404
    services.decide_correction(
        officer=_user(request),
        correction=correction,
        approve=form.cleaned_data["decision"] == "approve",
        note=form.cleaned_data["note"],
    )  # a refusal (no reason to reject …) is answered by the error page with its message
    messages.success(request, _("The request is decided; the resident sees the answer."))
    return redirect("addresses:officer_corrections")


# --- the citizen ----------------------------------------------------------------------------


def share_url(request: HttpRequest, place: Place) -> str:
    return request.build_absolute_uri(place.get_absolute_url())


@login_required
@require_GET
def my_address(request: HttpRequest) -> HttpResponse:
    household = access.current_household(request.user)
    context: dict[str, Any] = {"household": household}
    if household is not None:
        place = household.place
        url = share_url(request, place)
        context.update(
            place=place,
            **describe(place),
            share_url=url,
            qr=segno.make(url, error="m").svg_data_uri(scale=5),
            corrections=Correction.objects.filter(household=household)[:5],
            members=household.members.filter(left_at=None).select_related("user"),
        )
    return render(request, "addresses/my_address.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def my_address_correction(request: HttpRequest) -> HttpResponse:
    household = access.current_household(request.user)
    if household is None:
        raise Http404
    form = CorrectionForm(
        request.POST or None,
        initial={"street": household.place.street, "house_number": household.place.house_number},
    )
    problem = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.request_correction(
                citizen=_user(request),
                street=data["street"],
                house_number=data["house_number"],
                latitude=data["latitude"],
                longitude=data["longitude"],
                reason=data["reason"],
            )
        except DomainError as exc:
            problem = str(exc)
        else:
            messages.success(request, _("Your request is sent to the ward."))
            return redirect("addresses:mine")
    return render(
        request,
        "addresses/my_address_correction.html",
        {"form": form, "problem": problem, "place": household.place},
        status=400 if request.method == "POST" else 200,
    )


# --- everyone -------------------------------------------------------------------------------


@require_GET
def public_place(request: HttpRequest, code: str) -> HttpResponse:
    """A shared digital address: the place only, never who lives there."""
    place = get_object_or_404(Place, code=code)
    return render(
        request,
        "addresses/public_place.html",
        {"place": place, **describe(place), "identifiers": place.identifiers.order_by("scheme")},
    )


@require_GET
def lookup(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    found: list[Place] = []
    problem = ""
    if form.is_valid() and form.cleaned_data["q"]:
        try:
            found = selectors.find(form.cleaned_data["q"])
        except DomainError as exc:
            problem = str(exc)
    return render(
        request,
        "addresses/lookup.html",
        {"form": form, "found": [(p, describe(p)) for p in found], "problem": problem},
        status=400 if problem or form.errors else 200,
    )
