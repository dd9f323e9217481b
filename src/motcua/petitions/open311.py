"""Open311 GeoReport v2 (wiki.open311.org/GeoReport_v2): services, service definitions,
requests (GET and POST) and tokens, in JSON and XML, so that existing Open311 apps and tools
file and read reports.

- A service is a report topic (``Topic``); ``service_code`` is its code. Each service has
  metadata: two optional attributes, ``subject`` (what the report is about) and
  ``procedure`` (a procedure code).
- ``service_request_id`` is the report's code. Only public reports are listed or shown, and
  never a phone number, an e-mail or a name: what the public tracking page shows, no more.
- POST needs an ``api_key`` (``ApiKey``, made in the admin or by ``manage.py
  open311_key``); the report is created at once, and its ``token`` can be looked up too.
- Errors are the spec's list of ``{code, description}`` with the HTTP status.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any
from xml.etree import ElementTree as ET

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from motcua.errors import DomainError

from . import selectors, services
from .models import OPEN_STATUSES, Report, Subject, Topic

FORMATS = ("json", "xml")
MAX_REQUESTS = 1000
DEFAULT_SPAN = dt.timedelta(days=90)


class Open311Error(Exception):
    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description


# --- rendering -------------------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _element(tag: str, value: Any) -> ET.Element:
    node = ET.Element(tag)
    if isinstance(value, Mapping):
        for key, item in value.items():
            node.append(_element(key, item))
    elif isinstance(value, list):
        child_tag = {
            "attributes": "attribute",
            "values": "value",
            "endpoints": "endpoint",
            "formats": "format",
        }.get(tag, "item")
        for item in value:
            node.append(_element(child_tag, item))
    else:
        node.text = _text(value)
    return node


def render(
    fmt: str, root: str, item: str, rows: list[dict[str, Any]], status: int = 200
) -> HttpResponse:
    """A list of rows as the spec's JSON array or XML ``<root><item>…</item></root>``."""
    if fmt == "json":
        return JsonResponse(
            rows, safe=False, status=status, json_dumps_params={"ensure_ascii": False}
        )
    top = ET.Element(root)
    for row in rows:
        top.append(_element(item, row))
    body = b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(top, encoding="utf-8")
    return HttpResponse(body, content_type="text/xml; charset=utf-8", status=status)


def _render_one(fmt: str, root: str, row: dict[str, Any]) -> HttpResponse:
    if fmt == "json":
        return JsonResponse(row, json_dumps_params={"ensure_ascii": False})
    body = b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(
        _element(root, row), encoding="utf-8"
    )
    return HttpResponse(body, content_type="text/xml; charset=utf-8")


def _error(fmt: str, status: int, description: str) -> HttpResponse:
    return render(
        fmt if fmt in FORMATS else "json",
        "errors",
        "error",
        [{"code": status, "description": description}],
        status=status,
    )


def _checked_format(view: Any) -> Any:
    def wrapper(request: HttpRequest, *args: Any, fmt: str, **kwargs: Any) -> HttpResponse:
        if fmt not in FORMATS:
            return _error("json", 404, _("Unknown format: use .json or .xml."))
        try:
            response: HttpResponse = view(request, *args, fmt=fmt, **kwargs)
        except Open311Error as exc:
            return _error(fmt, exc.status, exc.description)
        except DomainError as exc:
            return _error(fmt, exc.status, str(exc))
        return response

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


def _w3c(moment: dt.datetime | None) -> str | None:
    if moment is None:
        return None
    return timezone.localtime(moment).isoformat(timespec="seconds")


# --- services --------------------------------------------------------------------------------


def service_row(topic: Topic) -> dict[str, Any]:
    return {
        "service_code": topic.code,
        "service_name": topic.name,
        "description": topic.description,
        "metadata": True,
        "type": "realtime",
        "keywords": topic.keywords,
        "group": topic.group,
    }


def definition(topic: Topic) -> dict[str, Any]:
    return {
        "service_code": topic.code,
        "attributes": [
            {
                "variable": True,
                "code": "subject",
                "datatype": "singlevaluelist",
                "required": False,
                "datatype_description": _("What the report is about (a place by default)."),
                "order": 1,
                "description": _("The report is about"),
                "values": [{"key": key, "name": str(name)} for key, name in Subject.choices],
            },
            {
                "variable": True,
                "code": "procedure",
                "datatype": "string",
                "required": False,
                "datatype_description": _("A procedure code, e.g. 1.001193."),
                "order": 2,
                "description": _("Procedure code"),
                "values": [],
            },
        ],
    }


@require_GET
@_checked_format
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    base = request.build_absolute_uri(reverse("open311:services", kwargs={"fmt": "json"}))
    endpoint = base.rsplit("/", 1)[0] + "/"
    return _render_one(
        fmt,
        "discovery",
        {
            "changeset": "2026-12-05T00:00:00+07:00",
            "contact": _("The city's one-stop help desk"),
            "key_service": _("Ask the city's administrators for an API key."),
            "endpoints": [
                {
                    "specification": "http://wiki.open311.org/GeoReport_v2",
                    "url": endpoint,
                    "changeset": "2026-12-05T00:00:00+07:00",
                    "type": "production",
                    "formats": ["application/json", "text/xml"],
                }
            ],
        },
    )


@require_GET
@_checked_format
def service_list(request: HttpRequest, fmt: str) -> HttpResponse:
    return render(fmt, "services", "service", [service_row(t) for t in selectors.topics()])


@require_GET
@_checked_format
def service_definition(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    topic = Topic.objects.filter(code=code, active=True).first()
    if topic is None:
        raise Open311Error(404, _("No service has the code %(code)s.") % {"code": code[:64]})
    return _render_one(fmt, "service_definition", definition(topic))


# --- requests --------------------------------------------------------------------------------


def request_row(report: Report) -> dict[str, Any]:
    """A public report as a GeoReport v2 service request: no phone, e-mail or name."""
    status_notes = report.get_status_display()
    if report.answered_at:
        status_notes = report.answer
    return {
        "service_request_id": report.code,
        "status": "open" if report.status in OPEN_STATUSES else "closed",
        "status_notes": status_notes,
        "service_name": report.topic.name,
        "service_code": report.topic.code,
        "description": report.public_text,
        "agency_responsible": report.agency.name,
        "service_notice": "",
        "requested_datetime": _w3c(report.filed_at),
        "updated_datetime": _w3c(report.updated_at),
        "expected_datetime": _w3c(report.answer_due_at) if report.is_open else None,
        "address": report.address_text,
        "address_id": report.address_code,
        "zipcode": "",
        "lat": report.latitude,
        "long": report.longitude,
        "media_url": report.media_url,
    }


def _date(request: HttpRequest, name: str) -> dt.datetime | None:
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None
    parsed = parse_datetime(raw.replace(" ", "+"))
    if parsed is None:
        raise Open311Error(
            400,
            _("%(name)s must be a date and time such as 2026-12-01T00:00:00Z.") % {"name": name},
        )
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, dt.UTC)
    return parsed


def _list_requests(request: HttpRequest, fmt: str) -> HttpResponse:
    reports = selectors.public_reports()
    ids = [x.strip() for x in request.GET.get("service_request_id", "").split(",") if x.strip()]
    if ids:
        reports = reports.filter(code__in=ids[:MAX_REQUESTS])
    else:
        codes = [x.strip() for x in request.GET.get("service_code", "").split(",") if x.strip()]
        if codes:
            reports = reports.filter(topic__code__in=codes)
        start, end = _date(request, "start_date"), _date(request, "end_date")
        if start is None and end is None:
            start = timezone.now() - DEFAULT_SPAN
        if start is not None:
            reports = reports.filter(filed_at__gte=start)
        if end is not None:
            reports = reports.filter(filed_at__lte=end)
        wanted = {x.strip() for x in request.GET.get("status", "").split(",") if x.strip()}
        if wanted - {"open", "closed"}:
            raise Open311Error(400, _("status must be open or closed."))
        if wanted == {"open"}:
            reports = reports.filter(status__in=OPEN_STATUSES)
        elif wanted == {"closed"}:
            reports = reports.exclude(status__in=OPEN_STATUSES)
    rows = [request_row(r) for r in reports.order_by("-filed_at")[:MAX_REQUESTS]]
    return render(fmt, "service_requests", "request", rows)


def _float(request: HttpRequest, name: str) -> float | None:
    raw = request.POST.get(name, "").strip()
    if not raw:
        return None
    try:
        return float(raw)
    except ValueError:
        raise Open311Error(400, _("%(name)s must be a number.") % {"name": name}) from None


def _create_request(request: HttpRequest, fmt: str) -> HttpResponse:
    key = services.check_api_key(request.POST.get("api_key", ""))
    if key is None:
        raise Open311Error(403, _("A valid api_key is required to create a request."))
    code = request.POST.get("service_code", "").strip()
    topic = Topic.objects.filter(code=code, active=True).first() if code else None
    if topic is None:
        raise Open311Error(
            400, _("service_code %(code)s is not a service of this city.") % {"code": code[:64]}
        )
    latitude, longitude = _float(request, "lat"), _float(request, "long")
    address = request.POST.get("address_string", "").strip()
    address_id = request.POST.get("address_id", "").strip()
    if (latitude is None or longitude is None) and not address and not address_id:
        raise Open311Error(
            400, _("A location is required: lat and long, address_string or address_id.")
        )
    subject = request.POST.get("attribute[subject]", "").strip() or (
        Subject.PLACE if latitude is not None or address_id else Subject.PROCEDURE
    )
    phone = request.POST.get("phone", "").strip()
    if phone:
        try:
            phone = services.normalise_phone(phone)
        except DomainError:
            phone = ""  # an unusable number is not kept; it is never shown anyway
    name = " ".join(
        x for x in (request.POST.get("first_name", ""), request.POST.get("last_name", "")) if x
    )
    media = request.POST.get("media_url", "").strip()
    if media and not media.startswith(("http://", "https://")):
        raise Open311Error(400, _("media_url must be an http or https address."))
    report = services.file_report(
        data=services.ReportInput(
            topic=topic,
            subject=subject,
            text=request.POST.get("description", ""),
            latitude=latitude,
            longitude=longitude,
            address_text=address,
            address_code=address_id,
            procedure_code=request.POST.get("attribute[procedure]", ""),
            name=name.strip(),
            name_public=False,
            is_public=True,
            media_url=media,
        ),
        filer=services.Filer(phone=phone, api_key=key),
    )
    row = {
        "service_request_id": report.code,
        "token": report.token,
        "service_notice": _("The competent agency answers by %(date)s.")
        % {"date": timezone.localtime(report.answer_due_at).strftime("%d/%m/%Y")},
        "account_id": None,
    }
    return render(fmt, "service_requests", "request", [row], status=201)


@csrf_exempt
@require_http_methods(["GET", "POST"])
@_checked_format
def requests(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _create_request(request, fmt)
    return _list_requests(request, fmt)


@require_GET
@_checked_format
def request_detail(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    report = selectors.public_reports().filter(code=code).first()
    if report is None:
        raise Open311Error(404, _("No public request has the id %(id)s.") % {"id": code[:40]})
    return render(fmt, "service_requests", "request", [request_row(report)])


@require_GET
@_checked_format
def token(request: HttpRequest, token: str, fmt: str) -> HttpResponse:
    report = Report.objects.filter(token=token).only("code", "token").first()
    if report is None:
        raise Open311Error(404, _("Unknown token."))
    return render(
        fmt, "service_requests", "request", [{"service_request_id": report.code, "token": token}]
    )
