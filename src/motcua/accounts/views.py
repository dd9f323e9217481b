"""Account pages: sign in (national e-ID or local), sign up, verify, profile, businesses, TOTP."""

from __future__ import annotations

from urllib.parse import urlencode

import requests
import structlog
from authlib.integrations.base_client import OAuthError
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice
from joserfc.errors import JoseError

from motcua.errors import DomainError

from . import access, acting, eid, services
from .forms import (
    EnrolmentCodeForm,
    GrantRoleForm,
    ProfileForm,
    SignUpForm,
    TotpForm,
    VerificationCodeForm,
)
from .models import AuditAction, Business, BusinessMembership, BusinessRole, User
from .second_factor import EID_LEVEL_SESSION_KEY, enrolment_done, may_enrol, redeem
from .totp import enrolment_qr_svg, manual_entry_key, pending_device

logger = structlog.get_logger(__name__)
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


def landing_url(user: User) -> str:
    """Where a person lands after signing in when no ``next`` was given: an officer (anyone
    serving an agency today) on their worklist, everyone else on their account page."""
    if access.active_memberships(user).exists():
        return reverse("dossiers:officer_worklist")
    return reverse("accounts:home")


class SignInView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_default_redirect_url(self) -> str:
        return landing_url(self.request.user)  # type: ignore[arg-type]

    def get_context_data(self, **kwargs: object) -> dict[str, object]:
        context = super().get_context_data(**kwargs)
        context["eid_available"] = eid.is_configured()
        return context


@require_http_methods(["GET", "POST"])
def sign_up(request: HttpRequest) -> HttpResponse:
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save(commit=False)
        user.full_name = form.cleaned_data["full_name"]
        user.email = form.cleaned_data["email"]
        user.phone = form.cleaned_data.get("phone") or ""
        user.save()
        login(request, user, backend=MODEL_BACKEND)
        messages.success(request, _("Your account is ready. Verify your e-mail address next."))
        return redirect("accounts:verify", purpose="email")
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/signup.html", {"form": form}, status=status)


# --- national e-ID -------------------------------------------------------------------------


def _provider_down(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/eid_unavailable.html", status=503)


@require_http_methods(["GET"])
def eid_start(request: HttpRequest) -> HttpResponse:
    if not eid.is_configured():
        return _provider_down(request)
    request.session["eid_next"] = _safe_next(request, "")  # none given: ``landing_url``
    try:
        client = eid.eid_client(request)
        response: HttpResponse = client.authorize_redirect(
            request, eid.callback_url(request), acr_values=eid.acr_values()
        )
        return response
    except (requests.RequestException, OAuthError, ValueError) as exc:
        logger.warning("eid.provider_unreachable", error=type(exc).__name__)
        return _provider_down(request)


@require_http_methods(["GET"])
def eid_callback(request: HttpRequest) -> HttpResponse:
    try:
        claims = eid.fetch_identity_claims(request)
        identity = services.identity_from_claims(claims)
    except requests.RequestException as exc:
        logger.warning("eid.provider_unreachable", error=type(exc).__name__)
        return _provider_down(request)
    except (OAuthError, JoseError, services.AccountError, KeyError, ValueError) as exc:
        # Tampered, expired or replayed tokens, a wrong nonce or state: refused, never trusted.
        reason = getattr(exc, "error", "") or type(exc).__name__
        logger.warning("eid.refused", reason=reason)
        services.audit(AuditAction.EID_FAILED, actor=None, reason=str(reason)[:64])
        message = (
            str(exc)
            if isinstance(exc, services.AccountError)
            else _(
                "We could not confirm your identity with the national e-ID. "
                "The sign-in may have expired or been used already."
            )
        )
        return render(request, "accounts/eid_failed.html", {"message": message}, status=400)
    user, business = services.sign_in_with_eid(identity)
    request.motcua_sign_in_method = "national_eid"  # type: ignore[attr-defined]
    login(request, user, backend=MODEL_BACKEND)
    # What the e-ID asserted at this sign-in (not the account's stored level): a level-2 sign-in
    # may enrol an officer's first authenticator.
    request.session[EID_LEVEL_SESSION_KEY] = identity.assurance_level
    if business is not None:
        acting.start_acting(request, business)
    target = request.session.pop("eid_next", "") or landing_url(user)
    return HttpResponseRedirect(target)


# --- my account ----------------------------------------------------------------------------


@login_required
def account_home(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    memberships = BusinessMembership.objects.active().filter(user=user).select_related("business")
    return render(
        request,
        "accounts/home.html",
        {
            "profile_user": user,
            "memberships": memberships,
            "officer_roles": user.agency_memberships.active().select_related("agency"),  # type: ignore[attr-defined]
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    initial = {
        "email": user.email,
        "phone": user.phone,
        "current_street": user.current_street,
        "notify_by_email": user.notify_by_email,
        "notify_by_sms": user.notify_by_sms,
    }
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "accounts/profile.html", {"form": form}, status=400)
        user.current_street = form.cleaned_data["current_street"]
        user.notify_by_email = form.cleaned_data["notify_by_email"]
        user.notify_by_sms = form.cleaned_data["notify_by_sms"]
        user.save(update_fields=["current_street", "notify_by_email", "notify_by_sms"])
        for purpose in ("email", "phone"):
            new_value = form.cleaned_data[purpose]
            if new_value and new_value != getattr(user, purpose):
                # A changed address counts only once its owner proves they receive there.
                try:
                    services.send_verification_code(
                        user=user, purpose=purpose, destination=new_value
                    )
                except DomainError as exc:
                    form.add_error(purpose, str(exc))
                    return render(request, "accounts/profile.html", {"form": form}, status=429)
                messages.info(request, _("We sent a code to confirm the change."))
                return redirect("accounts:verify", purpose=purpose)
        messages.success(request, _("Your profile was saved."))
        return redirect("accounts:home")
    return render(request, "accounts/profile.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest, purpose: str) -> HttpResponse:
    if purpose not in ("email", "phone"):
        raise Http404
    user = _user(request)
    form = VerificationCodeForm(request.POST if request.POST.get("action") == "confirm" else None)
    status = 200
    if request.method == "POST":
        try:
            if request.POST.get("action") == "send":
                destination = user.email if purpose == "email" else user.phone
                if not destination:
                    raise services.AccountError(_("Add this contact to your profile first."))
                services.send_verification_code(user=user, purpose=purpose, destination=destination)
                messages.info(request, _("We sent you a 6-digit code."))
                return redirect("accounts:verify", purpose=purpose)
            if form.is_valid():
                services.confirm_verification_code(
                    user=user, purpose=purpose, code=form.cleaned_data["code"]
                )
                messages.success(request, _("Verified. Thank you."))
                return redirect("accounts:home")
            status = 400
        except DomainError as exc:
            form.add_error(None, str(exc))
            status = 400
    return render(
        request, "accounts/verify.html", {"form": form, "purpose": purpose}, status=status
    )


# --- businesses ----------------------------------------------------------------------------


@login_required
def business_list(request: HttpRequest) -> HttpResponse:
    memberships = (
        BusinessMembership.objects.active().filter(user=_user(request)).select_related("business")
    )
    return render(request, "accounts/business_list.html", {"memberships": memberships})


def _membership_or_404(request: HttpRequest, business_id: int) -> BusinessMembership:
    business = get_object_or_404(Business, pk=business_id)
    membership = services.active_membership(_user(request), business)
    if membership is None:
        # Not "forbidden": whether the business uses the platform is not disclosed.
        raise Http404
    return membership


@login_required
@require_http_methods(["GET", "POST"])
def business_detail(request: HttpRequest, business_id: int) -> HttpResponse:
    membership = _membership_or_404(request, business_id)
    business = membership.business
    is_representative = membership.role == BusinessRole.LEGAL_REPRESENTATIVE
    form = GrantRoleForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not is_representative:
            raise Http404
        if form.is_valid():
            try:
                services.grant_business_role(
                    business=business,
                    actor=_user(request),
                    personal_id=form.cleaned_data["personal_id"],
                    role=form.cleaned_data["role"],
                )
            except DomainError as exc:
                form.add_error("personal_id", str(exc))
                status = 400
            else:
                messages.success(request, _("The person can now act for the business."))
                return redirect("accounts:business", business_id=business.pk)
        else:
            status = 400
    members = (
        business.memberships.active().select_related("user").order_by("role", "granted_at")  # type: ignore[attr-defined]
        if is_representative
        else []
    )
    return render(
        request,
        "accounts/business_detail.html",
        {
            "business": business,
            "membership": membership,
            "is_representative": is_representative,
            "members": members,
            "form": form,
        },
        status=status,
    )


@login_required
@require_POST
def business_revoke(request: HttpRequest, business_id: int, membership_id: int) -> HttpResponse:
    own = _membership_or_404(request, business_id)
    target = get_object_or_404(BusinessMembership, pk=membership_id, business=own.business)
    try:
        services.revoke_business_role(membership=target, actor=_user(request))
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect("accounts:business", business_id=business_id)
    messages.success(request, _("The role was revoked."))
    return redirect("accounts:business", business_id=business_id)


@login_required
@require_POST
def business_act(request: HttpRequest, business_id: int) -> HttpResponse:
    membership = _membership_or_404(request, business_id)
    acting.start_acting(request, membership.business)
    return redirect("accounts:home")


@login_required
@require_POST
def business_stop_acting(request: HttpRequest) -> HttpResponse:
    acting.stop_acting(request)
    return redirect("accounts:home")


# --- second factor -------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def second_factor(request: HttpRequest) -> HttpResponse:
    """Verify a TOTP code; officer powers hold in this session after this.

    Enrolling the first authenticator needs more than the password (``second_factor`` module):
    the enrolment code an administrator issued, or a level-2 national e-ID sign-in.
    """
    user = _user(request)
    next_url = _safe_next(request, reverse("backoffice:home"))
    confirmed = TOTPDevice.objects.devices_for_user(user, confirmed=True).first()
    if confirmed is None and not may_enrol(request, user):
        return _enrolment_code(request, user, next_url)
    device = confirmed or pending_device(user)
    form = TotpForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid() and device.verify_token(form.cleaned_data["token"]):
            if not device.confirmed:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                enrolment_done(request, user)
                services.audit(AuditAction.SECOND_FACTOR_ENROLLED, actor=user, subject_user=user)
            otp_login(request, device)
            services.audit(AuditAction.SECOND_FACTOR, actor=user, subject_user=user)
            return HttpResponseRedirect(next_url)
        if form.is_valid():
            form.add_error("token", _("The code is not right or has expired. Try the next one."))
        status = 400
    context = {"form": form, "enrolling": confirmed is None, "next": next_url}
    if confirmed is None:
        context["qr_svg"] = enrolment_qr_svg(device)
        context["secret"] = manual_entry_key(device)
    return render(request, "accounts/second_factor.html", context, status=status)


def _enrolment_code(request: HttpRequest, user: User, next_url: str) -> HttpResponse:
    """No authenticator yet and nothing but the password: ask for the enrolment code first."""
    initial = {"code": request.GET.get("enrol", "")[:32]}
    form = EnrolmentCodeForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid() and redeem(request, user, form.cleaned_data["code"]):
            return HttpResponseRedirect(
                reverse("accounts:second_factor") + "?" + urlencode({"next": next_url})
            )
        if form.is_valid():
            form.add_error("code", _("This enrolment code is not valid, used or expired."))
        status = 400
    eid_url = (
        reverse("accounts:eid_start")
        + "?"
        + urlencode(
            {"next": reverse("accounts:second_factor") + "?" + urlencode({"next": next_url})}
        )
    )
    context = {
        "form": form,
        "next": next_url,
        "eid_url": eid_url if eid.is_configured() else "",
    }
    return render(request, "accounts/second_factor_enrol.html", context, status=status)
