"""Pages of reports: filing (with a phone code for anonymous reporters and similar reports
suggested first), the public list and tracking page, the reporter's rating and reopening, and
the officers' lists and actions. Thin: a form, one service or selector, a template."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from motcua.accounts.access import officer_required
from motcua.accounts.models import User
from motcua.accounts.ratelimits import seconds_to_wait, too_many
from motcua.errors import DomainError
from motcua.security import file_response

from . import access, selectors, services
from .forms import AnswerForm, CodeForm, ForwardForm, PhoneForm, RateForm, ReopenForm, ReportForm
from .models import FileKind, Report, ReportFile, ReportStatus


def _map_context() -> dict[str, Any]:
    return {
        "map_tiles": settings.MOTCUA_MAP_TILE_URL,
        "map_attribution": settings.MOTCUA_MAP_ATTRIBUTION,
        "map_latitude": None,
        "map_longitude": None,
    }


def _verified_phone(request: HttpRequest) -> str:
    """The phone this session verified within the last hour, or ""."""
    phone = str(request.session.get(access.SESSION_PHONE, ""))
    at = request.session.get(access.SESSION_PHONE_AT)
    if not phone or not at:
        return ""
    if timezone.now() - dt.datetime.fromisoformat(str(at)) > services.VERIFIED_FOR:
        return ""
    return phone


# --- the public ------------------------------------------------------------------------------


@require_GET
def report_list(request: HttpRequest) -> HttpResponse:
    reports = selectors.public_reports().order_by("-filed_at")
    status = request.GET.get("status", "")
    if status == "open":
        reports = reports.filter(status__in=[ReportStatus.RECEIVED, ReportStatus.PROCESSING])
    elif status == "answered":
        reports = reports.filter(status__in=[ReportStatus.ANSWERED, ReportStatus.CLOSED])
    page = Paginator(reports, 20).get_page(request.GET.get("page"))
    return render(
        request, "petitions/list.html", {"page": page, "status": status, **_map_context()}
    )


@require_GET
def map_data(request: HttpRequest) -> JsonResponse:
    """Open public reports in a box at a zoom: ``?bbox=west,south,east,north&zoom=0…19``
    (zoom optional: the box's own). The reports themselves when there are few, else clusters
    per cell of the zoom's grid (``selectors.map_data``)."""
    try:
        west, south, east, north = (float(x) for x in request.GET.get("bbox", "").split(","))
    except ValueError:
        return JsonResponse(
            {"detail": _("Give bbox=west,south,east,north in decimal degrees.")}, status=400
        )
    if not all(math.isfinite(x) for x in (west, south, east, north)) or not (
        -90 <= south < north <= 90 and -180 <= west < east <= 180
    ):
        return JsonResponse({"detail": _("The box is not valid.")}, status=400)
    zoom = None
    if request.GET.get("zoom", "") != "":
        try:
            zoom = int(request.GET["zoom"])
        except ValueError:
            zoom = -1
        if not 0 <= zoom <= selectors.MAP_MAX_ZOOM:
            return JsonResponse(
                {
                    "detail": _("Give zoom as a whole number from 0 to %(max)d.")
                    % {"max": selectors.MAP_MAX_ZOOM}
                },
                status=400,
            )
    view = selectors.map_view(west=west, south=south, east=east, north=north, zoom=zoom)
    return JsonResponse(selectors.map_data(view))


@require_http_methods(["GET", "POST"])
def verify_phone(request: HttpRequest) -> HttpResponse:
    """Anonymous reporters: a one-time code proves the phone is theirs."""
    phone_form = PhoneForm(request.POST if "send" in request.POST else None)
    code_form = CodeForm(request.POST if "confirm" in request.POST else None)
    problem = ""
    status = 200
    if request.method == "POST" and "send" in request.POST and phone_form.is_valid():
        try:
            phone = services.normalise_phone(phone_form.cleaned_data["phone"])
            wait = seconds_to_wait(request, "petition_code", phone)
            if wait is not None:
                return too_many(request, "petitions:verify_phone", wait)
            services.send_phone_code(phone=phone)
        except DomainError as exc:
            problem, status = str(exc), exc.status
        else:
            code_form = CodeForm(initial={"phone": phone})
            return render(
                request, "petitions/verify_phone.html", {"code_form": code_form, "phone": phone}
            )
    elif request.method == "POST" and "confirm" in request.POST and code_form.is_valid():
        phone = code_form.cleaned_data["phone"]
        try:
            at = services.confirm_phone_code(phone=phone, code=code_form.cleaned_data["code"])
        except DomainError as exc:
            problem, status = str(exc), exc.status
            return render(
                request,
                "petitions/verify_phone.html",
                {"code_form": code_form, "phone": phone, "problem": problem},
                status=status,
            )
        request.session.cycle_key()
        request.session[access.SESSION_PHONE] = services.normalise_phone(phone)
        request.session[access.SESSION_PHONE_AT] = at.isoformat()
        messages.success(request, _("Your phone number is confirmed: you can now send a report."))
        return redirect("petitions:file")
    elif request.method == "POST":
        status = 400
        if "confirm" in request.POST:
            return render(
                request,
                "petitions/verify_phone.html",
                {"code_form": code_form, "phone": request.POST.get("phone", "")},
                status=400,
            )
    return render(
        request,
        "petitions/verify_phone.html",
        {"phone_form": phone_form, "problem": problem},
        status=status,
    )


def _input(form: ReportForm) -> services.ReportInput:
    data = form.cleaned_data
    files = [(FileKind.PHOTO, f) for f in data["photos"]] + [
        (FileKind.DOCUMENT, f) for f in data["documents"]
    ]
    return services.ReportInput(
        topic=data["topic"],
        subject=data["subject"],
        text=data["text"],
        title=data["title"],
        latitude=data["latitude"],
        longitude=data["longitude"],
        address_text=data["address_text"],
        address_code=data["address_code"],
        ward_code=data["ward"],
        procedure_code=data["procedure_code"],
        dossier_code=data["dossier_code"],
        agency_code=data["agency"].code if data["agency"] else "",
        name=data["name"],
        name_public=data["name_public"],
        is_public=data["is_public"],
        files=files,
    )


def _suggestions(data: Any) -> list[selectors.Similar]:
    """Similar open reports for the point and the procedure typed so far."""
    probe = ReportForm(data)
    probe.is_valid()  # partial: only the point and the procedure are read
    cleaned = probe.cleaned_data
    return selectors.similar_open(
        latitude=cleaned.get("latitude"),
        longitude=cleaned.get("longitude"),
        procedure_code=cleaned.get("procedure_code") or "",
    )


def _typed(data: Any) -> dict[str, Any]:
    """What was typed, as the form's initial values (ticked boxes as ticked, not as "on")."""
    typed: dict[str, Any] = {
        key: value for key, value in data.items() if key not in {"csrfmiddlewaretoken", "check"}
    }
    for box in ("name_public", "is_public"):
        typed[box] = box in data
    return typed


@require_http_methods(["GET", "POST"])
def file(request: HttpRequest) -> HttpResponse:
    user = request.user if request.user.is_authenticated else None
    phone = "" if user else _verified_phone(request)
    if user is None and not phone:
        return redirect("petitions:verify_phone")
    problem = ""
    status = 200
    suggestions = None
    if request.method == "POST" and "check" in request.POST:
        # "Check for similar reports" comes before the text and photos: it is a POST so that
        # what was typed (names, the text) and the form's token never travel in a URL, and the
        # form comes back with everything typed, without errors yet.
        form = ReportForm(initial=_typed(request.POST))
        suggestions = _suggestions(request.POST)
        if request.FILES:
            # A page cannot give a chosen file back to the browser: say so rather than lose
            # it silently.
            problem = _("The files you chose were not kept by the check: choose them again.")
    elif request.method == "POST":
        form = ReportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                report = services.file_report(
                    data=_input(form),
                    filer=services.Filer(
                        user=user if isinstance(user, User) else None,
                        phone=phone,
                        phone_verified=bool(phone),
                    ),
                )
            except DomainError as exc:
                problem, status = str(exc), exc.status
            else:
                messages.success(
                    request,
                    _("Your report was received with the code %(code)s.") % {"code": report.code},
                )
                return redirect("petitions:track", code=report.code)
        else:
            status = 400
    else:
        form = ReportForm(initial={"is_public": True, "subject": "place"})
    return render(
        request,
        "petitions/file.html",
        {
            "form": form,
            "problem": problem,
            "suggestions": suggestions,
            "phone": phone,
            **_map_context(),
        },
        status=status,
    )


def _report(code: str) -> Report:
    return get_object_or_404(Report.objects.select_related("topic", "agency"), code=code)


@require_GET
def track(request: HttpRequest, code: str) -> HttpResponse:
    report = _report(code)
    reporter = access.reporter_of(request)
    sees_all = access.can_see_all(request.user, reporter, report)
    is_reporter = access.is_reporter(reporter, report)
    files = [
        f
        for f in report.files.all()
        if sees_all or f.from_officer or (report.is_public and f.kind == FileKind.PHOTO)
    ]
    return render(
        request,
        "petitions/track.html",
        {
            "report": report,
            "shows_content": report.is_public or sees_all,
            "sees_all": sees_all,
            "files": files,
            "events": report.events.select_related("from_agency", "to_agency"),
            "rate_form": RateForm()
            if is_reporter and report.status == ReportStatus.ANSWERED and report.rating is None
            else None,
            "reopen_form": ReopenForm()
            if is_reporter
            and report.answered_at
            and report.status in (ReportStatus.ANSWERED, ReportStatus.CLOSED)
            and report.reopen_count < services.REOPEN_LIMIT
            else None,
        },
    )


@require_GET
def report_file(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    report = _report(code)
    stored = get_object_or_404(ReportFile, report=report, pk=pk)
    sees_all = access.can_see_all(request.user, access.reporter_of(request), report)
    public = stored.from_officer or (report.is_public and stored.kind == FileKind.PHOTO)
    if not (sees_all or public):
        raise Http404
    return file_response(
        stored.file.open("rb"), filename=stored.original_name, content_type=stored.content_type
    )


@require_POST
def rate(request: HttpRequest, code: str) -> HttpResponse:
    report = _report(code)
    form = RateForm(request.POST)
    if form.is_valid():
        services.rate(
            report=report,
            reporter=access.reporter_of(request),
            value=form.cleaned_data["value"],
            comment=form.cleaned_data["comment"],
        )
        messages.success(request, _("Thank you: your rating was recorded."))
        return redirect("petitions:track", code=report.code)
    return render(
        request,
        "petitions/action.html",
        {"report": report, "form": form, "action": "rate"},
        status=400,
    )


@require_POST
def reopen(request: HttpRequest, code: str) -> HttpResponse:
    report = _report(code)
    form = ReopenForm(request.POST)
    problem = ""
    if form.is_valid():
        try:
            services.reopen(
                report=report,
                reporter=access.reporter_of(request),
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            if exc.status == 404:
                raise
            problem = str(exc)
        else:
            messages.success(request, _("The report was reopened."))
            return redirect("petitions:track", code=report.code)
    return render(
        request,
        "petitions/action.html",
        {"report": report, "form": form, "action": "reopen", "problem": problem},
        status=400,
    )


# --- officers --------------------------------------------------------------------------------


@officer_required
@require_GET
def officer_list(request: HttpRequest) -> HttpResponse:
    ids = access.handler_agency_ids(request.user)
    now = timezone.now()
    return render(
        request,
        "petitions/officer_list.html",
        {
            "overdue": selectors.overdue(ids, now)[:100],
            "due_soon": selectors.due_soon(ids, now)[:100],
            "open": selectors.open_for(ids)[:200],
            "now": now,
        },
    )


def _handled(request: HttpRequest, code: str) -> Report:
    report = _report(code)
    if not access.is_handler(request.user, report):
        raise Http404
    return report


def _officer_page(
    request: HttpRequest, report: Report, *, status: int = 200, **forms: Any
) -> HttpResponse:
    acts = report.agency_id in access.handler_agency_ids(request.user)
    context: dict[str, Any] = {
        "report": report,
        "acts": acts,
        "files": report.files.all(),
        "events": report.events.select_related("actor", "from_agency", "to_agency"),
        "forward_form": ForwardForm(),
        "answer_form": AnswerForm(),
    }
    context.update(forms)
    return render(request, "petitions/officer_report.html", context, status=status)


@officer_required
@require_GET
def officer_report(request: HttpRequest, code: str) -> HttpResponse:
    return _officer_page(request, _handled(request, code))


def _officer(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@officer_required
@require_POST
def officer_accept(request: HttpRequest, code: str) -> HttpResponse:
    report = _handled(request, code)
    services.accept(report=report, officer=_officer(request))
    messages.success(request, _("You accepted the report: answer it before its deadline."))
    return redirect("petitions:officer_report", code=code)


@officer_required
@require_POST
def officer_forward(request: HttpRequest, code: str) -> HttpResponse:
    report = _handled(request, code)
    form = ForwardForm(request.POST)
    if form.is_valid():
        try:
            services.forward(
                report=report,
                officer=_officer(request),
                to_agency=form.cleaned_data["to_agency"],
                note=form.cleaned_data["note"],
            )
        except DomainError as exc:
            if exc.status == 404:
                raise
            return _officer_page(
                request, report, status=exc.status, forward_form=form, problem=str(exc)
            )
        messages.success(request, _("The report was forwarded."))
        return redirect("petitions:officer_list")
    return _officer_page(request, report, status=400, forward_form=form)


@officer_required
@require_POST
def officer_answer(request: HttpRequest, code: str) -> HttpResponse:
    report = _handled(request, code)
    form = AnswerForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.answer(
                report=report,
                officer=_officer(request),
                text=form.cleaned_data["text"],
                files=form.cleaned_data["attachments"],
            )
        except DomainError as exc:
            if exc.status == 404:
                raise
            return _officer_page(
                request, report, status=exc.status, answer_form=form, problem=str(exc)
            )
        messages.success(request, _("The answer was published."))
        return redirect("petitions:officer_report", code=code)
    return _officer_page(request, report, status=400, answer_form=form)
