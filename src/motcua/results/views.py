"""Result pages: download, public verification, the decision's fields and preview, delivery by
post, revocation."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from motcua.accounts.access import officer_required
from motcua.accounts.models import User
from motcua.dossiers.models import Dossier
from motcua.errors import DomainError
from motcua.security import file_response

from . import services, verification
from .forms import DecisionForm, DeliveryRequestForm, DeliveryUpdateForm, RevokeForm, VerifyForm
from .models import IssuedResult, PostalDelivery


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _verified(request: HttpRequest) -> bool:
    is_verified = getattr(request.user, "is_verified", None)
    return bool(callable(is_verified) and is_verified())


def _back(request: HttpRequest, default: str) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(default)


def _result(result_id: int) -> IssuedResult:
    return get_object_or_404(IssuedResult.objects.select_related("dossier", "agency"), pk=result_id)


@login_required
def download(request: HttpRequest, result_id: int) -> HttpResponseBase:
    """The signed PDF: to the applicant once decided, to officers of the dossier's agencies."""
    result = _result(result_id)
    if not services.may_download(_user(request), result, verified_officer=_verified(request)):
        raise Http404
    return file_response(
        result.file.open("rb"), filename=f"{result.number}.pdf", content_type="application/pdf"
    )


# --- verification (public) -------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    form = VerifyForm(request.POST or None, request.FILES or None)
    outcome = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            outcome = verification.verify_pdf(form.cleaned_data["file"].read())
            status = 200 if outcome.recognised else 422
        else:
            status = 413 if form.has_error("file", "too_large") else 400
    return render(
        request, "results/verify.html", {"form": form, "verification": outcome}, status=status
    )


def verify_token(request: HttpRequest, token: str) -> HttpResponse:
    outcome = verification.verify_token(token)
    if outcome is None:
        outcome = verification.Verification(
            verification.Outcome.NOT_A_RESULT,
            _("This platform has no record of this verification code."),
        )
        return render(
            request,
            "results/verify.html",
            {"form": VerifyForm(), "verification": outcome},
            status=404,
        )
    return render(request, "results/verify.html", {"form": VerifyForm(), "verification": outcome})


# --- delivery by post and revocation ---------------------------------------------------------


def _form_page(
    request: HttpRequest, *, form: object, title: str, action: str, back: str, status: int = 400
) -> HttpResponse:
    """The form again with its errors and what was typed (no JavaScript, nothing lost)."""
    return render(
        request,
        "results/form_page.html",
        {
            "form": form,
            "title": title,
            "action": action,
            "back": back,
            "next": request.POST.get("next", ""),
        },
        status=status,
    )


@login_required
@require_POST
def request_delivery(request: HttpRequest, result_id: int) -> HttpResponse:
    result = _result(result_id)
    user = _user(request)
    if not services.may_download(user, result, verified_officer=False):
        raise Http404
    back = result.dossier.get_absolute_url()
    form = DeliveryRequestForm(request.POST, auto_id="id_delivery_%s")
    if form.is_valid():
        try:
            services.request_postal_delivery(result=result, user=user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Your request for a paper copy by post was received."))
            return _back(request, back)
    return _form_page(
        request,
        form=form,
        title=_("Receive a paper copy by post"),
        action=request.path,
        back=back,
    )


def _officer_back(result: IssuedResult) -> str:
    return reverse("dossiers:officer_dossier", kwargs={"code": result.dossier.code})


@officer_required
@require_POST
def update_delivery(request: HttpRequest, result_id: int) -> HttpResponse:
    result = _result(result_id)
    user = _user(request)
    delivery = PostalDelivery.objects.filter(result=result).first()
    if delivery is None or not services.is_officer_of(user, result.dossier):
        raise Http404
    form = DeliveryUpdateForm(
        request.POST, choices=delivery.next_statuses, auto_id="id_delivery_update_%s"
    )
    if form.is_valid():
        try:
            services.update_postal_delivery(delivery=delivery, officer=user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The delivery status was updated."))
            return _back(request, _officer_back(result))
    return _form_page(
        request,
        form=form,
        title=_("Update the postal delivery"),
        action=request.path,
        back=_officer_back(result),
    )


@officer_required
@require_POST
def revoke(request: HttpRequest, result_id: int) -> HttpResponse:
    result = _result(result_id)
    user = _user(request)
    if not services.is_officer_of(user, result.dossier):
        raise Http404
    form = RevokeForm(request.POST, auto_id="id_revoke_%s")
    if form.is_valid():
        try:
            services.revoke_result(result=result, officer=user, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The result was revoked."))
            return _back(request, _officer_back(result))
    return _form_page(
        request,
        form=form,
        title=_("Revoke the result"),
        action=request.path,
        back=_officer_back(result),
    )


@officer_required
@require_POST
def reissue(request: HttpRequest, code: str) -> HttpResponse:
    """Sign a corrected result in place of a revoked one."""
    dossier = get_object_or_404(Dossier, code=code)
    user = _user(request)
    if not services.is_officer_of(user, dossier):
        raise Http404
    try:
        services.issue_result(dossier=dossier, officer=user)
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect("dossiers:officer_dossier", code=dossier.code)
    messages.success(request, _("A corrected result was signed and replaces the revoked one."))
    return redirect("dossiers:officer_dossier", code=dossier.code)


# --- the decision's fields and the preview (before the approver decides) ---------------------


def _deciding(request: HttpRequest, code: str) -> Dossier:
    """The dossier, if this officer is its processor or approver now; 404 for anyone else."""
    dossier = get_object_or_404(
        Dossier.objects.select_related("procedure", "receiving_agency", "processing_unit"),
        code=code,
    )
    if not services.may_prepare_decision(_user(request), dossier):
        raise Http404
    return dossier


@officer_required
@require_POST
def decision_fields(request: HttpRequest, code: str) -> HttpResponse:
    dossier = _deciding(request, code)
    template = services.result_template(dossier)
    back = reverse("dossiers:officer_dossier", kwargs={"code": dossier.code})
    form = DecisionForm(
        request.POST, fields=template.fields if template else [], auto_id="id_decision_%s"
    )
    if form.is_valid():
        try:
            services.save_decision_values(
                dossier=dossier, officer=_user(request), values=dict(form.values())
            )
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The result's decision fields were saved."))
            return _back(request, back)
    return _form_page(
        request,
        form=form,
        title=_("The result's decision fields"),
        action=request.path,
        back=back,
    )


@officer_required
def preview(request: HttpRequest, code: str) -> HttpResponse:
    """The result as it will be signed, marked “BẢN XEM TRƯỚC”; never stored, never signed."""
    dossier = _deciding(request, code)
    try:
        data = services.preview_pdf(dossier=dossier, officer=_user(request))
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect("dossiers:officer_dossier", code=dossier.code)
    return file_response(
        data, filename=f"xem-truoc-{dossier.code}.pdf", content_type="application/pdf"
    )
