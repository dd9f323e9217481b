"""Payment pages: pay (→ gateway), the return page, the IPN endpoint, my payments, receipts,
and the officers' daily reconciliation report with its CSV export."""

from __future__ import annotations

import csv
import datetime
import io

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from motcua.accounts import access as accounts_access
from motcua.accounts.access import officer_required
from motcua.accounts.models import User
from motcua.agencies.models import Agency
from motcua.dossiers.models import Dossier
from motcua.errors import DomainError
from motcua.security import file_response

from . import selectors, services
from .gateways.registry import UnknownGateway
from .lifecycle import State
from .models import Payment
from .receipt import receipt_pdf


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def client_ip(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR") or "127.0.0.1")[:45]


def return_url(request: HttpRequest, gateway_name: str) -> str:
    return request.build_absolute_uri(
        reverse("payments:return", kwargs={"gateway_name": gateway_name})
    )


@login_required
@require_POST
def pay(request: HttpRequest, code: str) -> HttpResponse:
    """The "pay" button: a new payment, then off to the gateway."""
    dossier = get_object_or_404(Dossier, code=code)
    try:
        _payment, url = services.start_payment(
            dossier=dossier,
            user=_user(request),
            return_url=return_url(request, settings.MOTCUA_PAYMENT_GATEWAY),
            client_ip=client_ip(request),
            locale=get_language() or "vi",
        )
    except services.NotAllowed:
        raise Http404 from None
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect(dossier.get_absolute_url())
    return redirect(url)


@require_GET
@never_cache
def payment_return(request: HttpRequest, gateway_name: str) -> HttpResponse:
    """Where the gateway sends the browser back: shows the result, changes nothing."""
    try:
        result = services.read_return(gateway_name=gateway_name, params=request.GET.dict())
    except UnknownGateway:
        raise Http404 from None
    payment = result.payment
    mine = (
        payment is not None
        and request.user.is_authenticated
        and selectors.visible_payment(_user(request), payment.order_ref) is not None
    )
    context = {
        "verified": result.verified,
        "notification": result.notification,
        "payment": payment if mine else None,
        "gateway_says_paid": bool(result.notification and result.notification.outcome == "paid"),
    }
    return render(request, "payments/return.html", context, status=200 if result.verified else 400)


@csrf_exempt
@require_GET
@never_cache
def ipn(request: HttpRequest, gateway_name: str) -> HttpResponse:
    """The gateway's server-to-server notification (VNPay calls it with GET)."""
    try:
        answer = services.handle_notification(gateway_name=gateway_name, params=request.GET.dict())
    except UnknownGateway:
        raise Http404 from None
    return JsonResponse(answer)


@login_required
def my_payments(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.payments_of(_user(request)), 20).get_page(request.GET.get("page"))
    return render(request, "payments/my_payments.html", {"page": page})


@login_required
def receipt(request: HttpRequest, order_ref: str) -> HttpResponse:
    """The receipt of a paid payment, as PDF, for whoever may see the dossier."""
    payment = selectors.visible_payment(_user(request), order_ref)
    if payment is None or payment.state not in (State.PAID, State.REFUNDED):
        raise Http404
    return file_response(
        receipt_pdf(payment),
        filename=f"bien-lai-{payment.order_ref}.pdf",
        content_type="application/pdf",
    )


# --- officers -------------------------------------------------------------------------------


def _report_arguments(
    request: HttpRequest,
) -> tuple[list[Agency], Agency | None, datetime.date, list[str]]:
    agencies = accounts_access.agencies(_user(request))
    problems: list[str] = []
    wanted = request.GET.get("agency", "")
    agency = next((a for a in agencies if a.code == wanted), None) if wanted else None
    if wanted and agency is None:
        problems.append(_("Choose one of your agencies."))
    if agency is None and agencies:
        agency = agencies[0]
    day = timezone.localdate()
    if request.GET.get("day"):
        try:
            day = datetime.date.fromisoformat(request.GET["day"])
        except ValueError:
            problems.append(_("Enter the day as YYYY-MM-DD."))
    return agencies, agency, day, problems


@officer_required
def officer_report(request: HttpRequest) -> HttpResponse:
    """Payments of one's agency for one day: counts and totals by state, and the list."""
    agencies, agency, day, problems = _report_arguments(request)
    report = selectors.agency_day_report(agency, day) if agency and not problems else None
    context = {
        "agencies": agencies,
        "agency": agency,
        "day": day,
        "day_text": request.GET.get("day", day.isoformat())[:20],
        "problems": problems,
        "report": report,
    }
    return render(request, "payments/officer_report.html", context, status=400 if problems else 200)


@officer_required
def officer_report_csv(request: HttpRequest) -> HttpResponse:
    _agencies, agency, day, problems = _report_arguments(request)
    if problems or agency is None:
        return HttpResponse("; ".join(problems) or _("No agency."), status=400)
    report = selectors.agency_day_report(agency, day)
    table = io.StringIO()
    table.write("\ufeff")  # spreadsheet programs then read the Vietnamese letters right
    writer = csv.writer(table)
    writer.writerow(
        [
            "order_ref",
            "dossier",
            "created_at",
            "state",
            "amount_dong",
            "gateway",
            "gateway_transaction_no",
            "bank_code",
            "paid_at",
        ]
    )
    for payment in report.payments:
        writer.writerow(
            [
                payment.order_ref,
                payment.dossier.code,
                timezone.localtime(payment.created_at).isoformat(timespec="seconds"),
                payment.state,
                payment.amount,
                payment.gateway,
                payment.gateway_transaction_no,
                payment.bank_code,
                timezone.localtime(payment.paid_at).isoformat(timespec="seconds")
                if payment.paid_at
                else "",
            ]
        )
    return file_response(
        table.getvalue().encode("utf-8"),
        filename=f"thanh-toan-{agency.code}-{day.isoformat()}.csv",
        content_type="text/csv; charset=utf-8",
    )


@officer_required
@require_POST
def record_refund(request: HttpRequest, order_ref: str) -> HttpResponse:
    """An officer records that a paid fee was given back (a double payment, a refusal)."""
    payment = get_object_or_404(Payment.objects.select_related("dossier"), order_ref=order_ref)
    user = request.user
    assert isinstance(user, User)
    try:
        services.record_refund(payment=payment, officer=user, reason=request.POST.get("reason", ""))
    except services.NotAllowed:
        raise Http404 from None
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The refund of %(ref)s was recorded.") % {"ref": order_ref})
    agency = payment.dossier.processing_unit or payment.dossier.receiving_agency
    day = timezone.localdate(payment.created_at)
    query = f"?agency={agency.code}&day={day.isoformat()}"
    return redirect(reverse("payments:officer_report") + query)
